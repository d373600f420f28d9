"""staff: staff users of an ejecutor, their console sessions and API tokens, failed logins

Revision ID: 0010_staff
Revises: 0012_rights
Create Date: 2026-11-29 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import api.kernel.types

revision: str = '0010_staff'
down_revision: str | Sequence[str] | None = '0012_rights'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'staff_user',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ejecutor_id', sa.Integer(), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ejecutor_id'], ['ejecutor.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_staff_user_ejecutor_id'), 'staff_user', ['ejecutor_id'], unique=False)
    op.create_index(op.f('ix_staff_user_email'), 'staff_user', ['email'], unique=True)
    op.create_table(
        'staff_session',
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('csrf', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index(op.f('ix_staff_session_staff_id'), 'staff_session', ['staff_id'], unique=False)
    op.create_table(
        'staff_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_staff_token_staff_id'), 'staff_token', ['staff_id'], unique=False)
    op.create_index(op.f('ix_staff_token_token_hash'), 'staff_token', ['token_hash'], unique=True)
    op.create_table(
        'login_failure',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('blocked_until', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('login_failure')
    op.drop_index(op.f('ix_staff_token_token_hash'), table_name='staff_token')
    op.drop_index(op.f('ix_staff_token_staff_id'), table_name='staff_token')
    op.drop_table('staff_token')
    op.drop_index(op.f('ix_staff_session_staff_id'), table_name='staff_session')
    op.drop_table('staff_session')
    op.drop_index(op.f('ix_staff_user_email'), table_name='staff_user')
    op.drop_index(op.f('ix_staff_user_ejecutor_id'), table_name='staff_user')
    op.drop_table('staff_user')
