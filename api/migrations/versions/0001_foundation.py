"""foundation: ejecutores, barrios, members and conversation state

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 20:43:04.163250
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import api.kernel.types


revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ejecutor',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ejecutor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ejecutor_token_hash'), ['token_hash'], unique=True)

    op.create_table('handled_update',
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('handled_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('replies', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('channel', 'update_id')
    )
    with op.batch_alter_table('handled_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handled_update_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handled_update_handled_at'), ['handled_at'], unique=False)

    op.create_table('barrio',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('comuna', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ejecutor_id', sa.Integer(), nullable=False),
    sa.Column('join_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('motor_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ejecutor_id'], ['ejecutor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('barrio', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barrio_ejecutor_id'), ['ejecutor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_barrio_join_code'), ['join_code'], unique=True)
        batch_op.create_index(batch_op.f('ix_barrio_motor_code'), ['motor_code'], unique=True)

    op.create_table('member',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('subscribed', sa.Boolean(), nullable=False),
    sa.Column('reachable', sa.Boolean(), nullable=False),
    sa.Column('share_name', sa.Boolean(), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('joined_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'chat_id')
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_barrio_id'), ['barrio_id'], unique=False)

    op.create_table('conversation',
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_update_id', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('channel', 'chat_id', 'user_id')
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_member_id'), ['member_id'], unique=False)




def downgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_member_id'))

    op.drop_table('conversation')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_barrio_id'))

    op.drop_table('member')
    with op.batch_alter_table('barrio', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barrio_motor_code'))
        batch_op.drop_index(batch_op.f('ix_barrio_join_code'))
        batch_op.drop_index(batch_op.f('ix_barrio_ejecutor_id'))

    op.drop_table('barrio')
    with op.batch_alter_table('handled_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handled_update_handled_at'))
        batch_op.drop_index(batch_op.f('ix_handled_update_chat_id'))

    op.drop_table('handled_update')
    with op.batch_alter_table('ejecutor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ejecutor_token_hash'))

    op.drop_table('ejecutor')
