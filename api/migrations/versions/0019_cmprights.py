"""cmprights: the retention day follows the programme's phases; the data log names the staff user

barrio.links_cut_on goes: the day links are cut is computed (api/privacy/schedule.py) from the
date staff set or, without one, the end of the barrio's last phase, so it follows the phases
when they move. data_log gains staff_id (which staff user; SET NULL should the user go) and
via (console or api).

Revision ID: 0019_cmprights
Revises: 0013_consent
Create Date: 2026-11-29 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0019_cmprights'
down_revision: str | Sequence[str] | None = '0020_chatedges'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('barrio', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barrio_links_cut_on'))
        batch_op.drop_column('links_cut_on')

    with op.batch_alter_table('data_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_data_log_staff_id'), ['staff_id'], unique=False)
        batch_op.create_foreign_key('fk_data_log_staff_id_staff_user', 'staff_user', ['staff_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('data_log', schema=None) as batch_op:
        batch_op.drop_constraint('fk_data_log_staff_id_staff_user', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_data_log_staff_id'))
        batch_op.drop_column('via')
        batch_op.drop_column('staff_id')

    with op.batch_alter_table('barrio', schema=None) as batch_op:
        batch_op.add_column(sa.Column('links_cut_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_barrio_links_cut_on'), ['links_cut_on'], unique=False)
