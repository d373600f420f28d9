"""perf: survey_answer.survey_id and the results' covering index

Each answer repeats its response's survey (filled here from survey_response, then by every
writer), and ix_survey_answer_results orders a survey's answers by (question, stored value),
so the results count them from that index alone, grouped without a sort.

Revision ID: 0022_perf
Revises: 0021_harden
Create Date: 2026-11-29 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022_perf'
down_revision: str | Sequence[str] | None = '0017_cops'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('survey_answer', sa.Column('survey_id', sa.Integer(), nullable=True))
    op.execute('UPDATE survey_answer SET survey_id = (SELECT survey_response.survey_id FROM survey_response '
               'WHERE survey_response.id = survey_answer.response_id)')
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.alter_column('survey_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_survey_answer_survey_id_survey'), 'survey', ['survey_id'], ['id'],
                                    ondelete='CASCADE')
    op.create_index('ix_survey_answer_results', 'survey_answer',
                    ['survey_id', 'question', sa.text('CAST(value AS TEXT)')])


def downgrade() -> None:
    op.drop_index('ix_survey_answer_results', table_name='survey_answer')
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_survey_answer_survey_id_survey'), type_='foreignkey')
        batch_op.drop_column('survey_id')
