"""answersrev: survey_response.revision, changed with every change to the response's answers

The chat keeps the last answers it read or wrote of each response in memory under this
revision (api/surveys/store.py), and reads them again from the database only when the
revision it finds differs. Rows from before start at 0, which is never kept in memory.

Revision ID: 0027_answersrev
Revises: 0026_resultsperf
Create Date: 2026-11-29 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0027_answersrev'
down_revision: str | Sequence[str] | None = '0026_resultsperf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_column('revision')
