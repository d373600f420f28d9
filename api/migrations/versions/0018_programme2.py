"""programme2: hitos the grupo motor reports from the chat, and whether staff approve them first

pdl_hito.pending: a hito the grupo motor reported, shown to no vecino and sent to no
follower until staff approve it (hitos staff add are approved as they are added, as every
existing row). programme.hitos_need_approval: the barrio's setting, true by default; false
sends the grupo motor's hitos to the followers at once.

Revision ID: 0018_programme2
Revises: 0013_consent
Create Date: 2026-11-29 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018_programme2'
down_revision: str | Sequence[str] | None = '0013_consent'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pdl_hito', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hitos_need_approval', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('hitos_need_approval')
    with op.batch_alter_table('pdl_hito', schema=None) as batch_op:
        batch_op.drop_column('pending')
