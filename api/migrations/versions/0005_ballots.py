"""ballots: iniciativas, pseudonymous voters and votes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:38:37.166094
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import api.kernel.types


revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=False),
    sa.Column('budget', sa.Integer(), nullable=True),
    sa.Column('min_budget_share', sa.Float(), nullable=True),
    sa.Column('opens_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('opened_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_barrio_id'), ['barrio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_status'), ['status'], unique=False)

    op.create_table('ballot_iniciativa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('ambito', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ballot_id', 'position')
    )
    with op.batch_alter_table('ballot_iniciativa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_iniciativa_ballot_id'), ['ballot_id'], unique=False)

    op.create_table('ballot_voter',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('started_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ballot_id', 'member_id')
    )
    with op.batch_alter_table('ballot_voter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_voter_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_voter_member_id'), ['member_id'], unique=False)

    op.create_table('ballot_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('choice', sa.JSON(), nullable=False),
    sa.Column('cast_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['ballot_voter.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ballot_id', 'voter_id', name='uq_ballot_vote_once')
    )
    with op.batch_alter_table('ballot_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_vote_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_vote_voter_id'), ['voter_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ballot_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_vote_voter_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_vote_ballot_id'))

    op.drop_table('ballot_vote')
    with op.batch_alter_table('ballot_voter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_voter_member_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_voter_ballot_id'))

    op.drop_table('ballot_voter')
    with op.batch_alter_table('ballot_iniciativa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_iniciativa_ballot_id'))

    op.drop_table('ballot_iniciativa')
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_status'))
        batch_op.drop_index(batch_op.f('ix_ballot_barrio_id'))

    op.drop_table('ballot')
