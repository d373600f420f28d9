"""consent: survey_response.sensitive_consent, the vecino's express consent to a survey's sensitive questions

NULL until asked, true when given, false when declined (the sensitive questions are then
skipped; results and exports count who declined).

Revision ID: 0013_consent
Revises: 0010_staff
Create Date: 2026-11-29 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_consent'
down_revision: str | Sequence[str] | None = '0010_staff'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sensitive_consent', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_column('sensitive_consent')
