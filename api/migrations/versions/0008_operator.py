"""ballot.results_queued_at: a ballot's results are queued in batches after it closes

Closing a ballot of 20,000 members queued every results message in the closing
transaction, holding SQLite's one writer for seconds. Now they are queued afterwards in
batches; this column says when that finished, so a close cut short by a crash is
completed by the job. Ballots closed before this revision had theirs queued already.

Revision ID: 0008_operator
Revises: 0006
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.kernel.types

revision: str = '0008_operator'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ballot') as batch_op:
        batch_op.add_column(sa.Column('results_queued_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE ballot SET results_queued_at = closed_at WHERE status = 'closed'")


def downgrade() -> None:
    with op.batch_alter_table('ballot') as batch_op:
        batch_op.drop_column('results_queued_at')
