"""rights: the accountability log, data contacts, programme end and retention, opposition

data_log records acts on personal data (no personal data in it); ejecutor and barrio get
the contact named in the privacy notice; barrio gets the programme's end and the day its
personal links are cut; member gets `withheld` (answers and votes left out of results);
ballots and their iniciativas get their texts in other languages.

Revision ID: 0012_rights
Revises: 0011_programme
Create Date: 2026-11-29 09:38:36.720364
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import api.kernel.types

revision: str = '0012_rights'
down_revision: str | Sequence[str] | None = '0011_programme'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ejecutor_id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('people', sa.Integer(), nullable=True),
    sa.Column('at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ejecutor_id'], ['ejecutor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('data_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_log_ejecutor_id'), ['ejecutor_id'], unique=False)

    with op.batch_alter_table('barrio', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_contact', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('programme_ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('links_cut_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('links_cut_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_barrio_links_cut_on'), ['links_cut_on'], unique=False)

    with op.batch_alter_table('ejecutor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_contact', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    for table in ('ballot', 'ballot_iniciativa'):  # the texts in other languages (vecinos read their own)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withheld', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('withheld')

    for table in ('ballot_iniciativa', 'ballot'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')

    with op.batch_alter_table('ejecutor', schema=None) as batch_op:
        batch_op.drop_column('privacy_contact')

    with op.batch_alter_table('barrio', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barrio_links_cut_on'))
        batch_op.drop_column('links_cut_at')
        batch_op.drop_column('links_cut_on')
        batch_op.drop_column('programme_ends_on')
        batch_op.drop_column('privacy_contact')

    with op.batch_alter_table('data_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_log_ejecutor_id'))
        batch_op.drop_index(batch_op.f('ix_data_log_at'))

    op.drop_table('data_log')
