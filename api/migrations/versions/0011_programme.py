"""programme: phases and activities per barrio, the PDL (problems, iniciativas, hitos, status changes), alliances (actors, mesas, acuerdos, contributions)

Revision ID: 0011_programme
Revises: 0008_operator
Create Date: 2026-11-29 09:40:24.604909
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import api.kernel.types


revision: str = '0011_programme'
down_revision: str | Sequence[str] | None = '0008_operator'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ejecutor_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['ejecutor_id'], ['ejecutor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_ejecutor_id'), ['ejecutor_id'], unique=False)

    op.create_table('actor_barrio',
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('actor_id', 'barrio_id')
    )
    op.create_table('mesa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mesa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mesa_barrio_id'), ['barrio_id'], unique=False)

    op.create_table('programme',
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('pdl_validated_on', sa.Date(), nullable=True),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('barrio_id')
    )
    op.create_table('programme_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('done_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('barrio_id', 'key')
    )
    with op.batch_alter_table('programme_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_activity_barrio_id'), ['barrio_id'], unique=False)

    op.create_table('programme_phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('announced_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('barrio_id', 'phase')
    )
    with op.batch_alter_table('programme_phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_phase_barrio_id'), ['barrio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_phase_status'), ['status'], unique=False)

    op.create_table('acuerdo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mesa_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mesa_id'], ['mesa.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('acuerdo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acuerdo_mesa_id'), ['mesa_id'], unique=False)

    op.create_table('mesa_actor',
    sa.Column('mesa_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mesa_id'], ['mesa.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('mesa_id', 'actor_id')
    )
    op.create_table('pdl_problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('question', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pdl_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdl_problem_barrio_id'), ['barrio_id'], unique=False)

    op.create_table('pdl_iniciativa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('title_ht', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('description_ht', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('description_en', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('ambito', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('urgencia', sa.Boolean(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('fosis_amount', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('responsible', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=True),
    sa.Column('ballot_position', sa.Integer(), nullable=True),
    sa.Column('ballot_counted_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_id'], ['pdl_problem.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pdl_iniciativa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdl_iniciativa_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pdl_iniciativa_barrio_id'), ['barrio_id'], unique=False)

    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('iniciativa_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['iniciativa_id'], ['pdl_iniciativa.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_barrio_id'), ['barrio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_iniciativa_id'), ['iniciativa_id'], unique=False)

    op.create_table('pdl_hito',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('iniciativa_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('photo_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['iniciativa_id'], ['pdl_iniciativa.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pdl_hito', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdl_hito_iniciativa_id'), ['iniciativa_id'], unique=False)

    op.create_table('pdl_follower',
    sa.Column('iniciativa_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('since', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['iniciativa_id'], ['pdl_iniciativa.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('iniciativa_id', 'member_id')
    )
    with op.batch_alter_table('pdl_follower', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdl_follower_member_id'), ['member_id'], unique=False)

    op.create_table('pdl_idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('ambito', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('iniciativa_id', sa.Integer(), nullable=True),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['iniciativa_id'], ['pdl_iniciativa.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pdl_idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdl_idea_barrio_id'), ['barrio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pdl_idea_member_id'), ['member_id'], unique=False)

    op.create_table('pdl_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('iniciativa_id', sa.Integer(), nullable=False),
    sa.Column('old', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('new', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.ForeignKeyConstraint(['iniciativa_id'], ['pdl_iniciativa.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pdl_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdl_status_change_iniciativa_id'), ['iniciativa_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pdl_idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdl_idea_member_id'))
        batch_op.drop_index(batch_op.f('ix_pdl_idea_barrio_id'))

    op.drop_table('pdl_idea')

    with op.batch_alter_table('pdl_follower', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdl_follower_member_id'))

    op.drop_table('pdl_follower')
    with op.batch_alter_table('pdl_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdl_status_change_iniciativa_id'))

    op.drop_table('pdl_status_change')
    with op.batch_alter_table('pdl_hito', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdl_hito_iniciativa_id'))

    op.drop_table('pdl_hito')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_iniciativa_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_barrio_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_actor_id'))

    op.drop_table('contribution')
    with op.batch_alter_table('pdl_iniciativa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdl_iniciativa_barrio_id'))
        batch_op.drop_index(batch_op.f('ix_pdl_iniciativa_ballot_id'))

    op.drop_table('pdl_iniciativa')
    with op.batch_alter_table('pdl_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdl_problem_barrio_id'))

    op.drop_table('pdl_problem')
    op.drop_table('mesa_actor')
    with op.batch_alter_table('acuerdo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acuerdo_mesa_id'))

    op.drop_table('acuerdo')
    with op.batch_alter_table('programme_phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_phase_status'))
        batch_op.drop_index(batch_op.f('ix_programme_phase_barrio_id'))

    op.drop_table('programme_phase')
    with op.batch_alter_table('programme_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_activity_barrio_id'))

    op.drop_table('programme_activity')
    op.drop_table('programme')
    with op.batch_alter_table('mesa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mesa_barrio_id'))

    op.drop_table('mesa')
    op.drop_table('actor_barrio')
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_ejecutor_id'))

    op.drop_table('actor')
