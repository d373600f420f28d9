"""prog3: pdl_hito.reported_by, the grupo motor member who reported a hito from the chat

They are told when staff approve the hito or leave it out. The link goes with the member
(ON DELETE SET NULL, as a convocatoria's author): the hito stays.

Revision ID: 0023_prog3
Revises: 0021_harden
Create Date: 2026-11-29 13:28:47
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0023_prog3'
down_revision: str | Sequence[str] | None = '0022_perf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = 'fk_pdl_hito_reported_by_member'


def upgrade() -> None:
    with op.batch_alter_table('pdl_hito', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.create_foreign_key(FK, 'member', ['reported_by'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('pdl_hito', schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_='foreignkey')
        batch_op.drop_column('reported_by')
