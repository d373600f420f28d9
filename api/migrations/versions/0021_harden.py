"""harden: shared_counter and export_lease, so throttles and export limits hold across processes;
ballot.opening_queued_at

Failed authentications per address and codes missed per chat (hashed) are counted in
shared_counter; each export under way holds a row of export_lease. A ballot's opening notice
is queued in batches after the opening commits; ballots opened before this migration had
theirs queued with the opening.

Revision ID: 0021_harden
Revises: 0013_consent
Create Date: 2026-11-29 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.kernel.types import UTCDateTime

revision: str = '0021_harden'
down_revision: str | Sequence[str] | None = '0019_cmprights'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'shared_counter',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window_start', UTCDateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('blocked_until', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_shared_counter_window_start', 'shared_counter', ['window_start'])
    op.create_table(
        'export_lease',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner', sa.Integer(), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_export_lease_owner', 'export_lease', ['owner'])
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_queued_at', UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE ballot SET opening_queued_at = opened_at WHERE opened_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_column('opening_queued_at')
    op.drop_index('ix_export_lease_owner', table_name='export_lease')
    op.drop_table('export_lease')
    op.drop_index('ix_shared_counter_window_start', table_name='shared_counter')
    op.drop_table('shared_counter')
