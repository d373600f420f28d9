"""resultsperf: ix_survey_answer_results also holds each answer's response

Split by a question, the results count every answer per group from this index alone: the
group is read at the answer's response id (api/surveys/split.py), which the index now carries,
so SQLite no longer reads each answer's row for it.

Revision ID: 0026_resultsperf
Revises: 0024_photos
Create Date: 2026-11-29 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0026_resultsperf'
down_revision: str | Sequence[str] | None = '0024_photos'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_survey_answer_results', table_name='survey_answer')
    op.create_index('ix_survey_answer_results', 'survey_answer',
                    ['survey_id', 'question', sa.text('CAST(value AS TEXT)'), 'response_id'])


def downgrade() -> None:
    op.drop_index('ix_survey_answer_results', table_name='survey_answer')
    op.create_index('ix_survey_answer_results', 'survey_answer',
                    ['survey_id', 'question', sa.text('CAST(value AS TEXT)')])
