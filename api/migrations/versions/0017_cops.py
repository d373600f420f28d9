"""cops: ballots and convocatorias cancelled or rescheduled by staff; staff announcements

ballot.cancelled_at and convocatoria.cancelled_at (NULL while it stands); a `revision` on
both, raised by every edit or new date, so each reschedule notice is its own outbox message
and a ballot's cached iniciativas are read again after an edit. The `announcement` table: short
messages staff send to a barrio's vecinos through the outbox.

Revision ID: 0017_cops
Revises: 0013_consent
Create Date: 2026-11-29 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from api.kernel.types import UTCDateTime

revision: str = '0017_cops'
down_revision: str | Sequence[str] | None = '0021_harden'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('ballot', 'convocatoria')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('cancelled_at', UTCDateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'announcement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('barrio_id', sa.Integer(), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('translations', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_announcement_barrio_id'), 'announcement', ['barrio_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_announcement_barrio_id'), table_name='announcement')
    op.drop_table('announcement')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('revision')
            batch_op.drop_column('cancelled_at')
