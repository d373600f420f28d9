"""survey_response: drop updated_at (never read; each answer keeps its answered_at)

Touching it on every answer cost the chat a statement per answer.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.kernel.types

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('survey_response') as batch_op:
        batch_op.drop_column('updated_at')


def downgrade() -> None:
    with op.batch_alter_table('survey_response') as batch_op:
        batch_op.add_column(sa.Column('updated_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False,
                                      server_default=sa.func.now()))
