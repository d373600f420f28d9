"""photos: survey_photo, the photos vecinos sent as answers, copied from Telegram into the database

One row per photo answer (response, question), pending until the photo job stores its bytes. It
goes with its answer (skipped or forgotten), its survey and its member (ON DELETE CASCADE: /borrar).

Revision ID: 0024_photos
Revises: 0023_prog3
Create Date: 2026-11-29 15:09:02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import api.kernel.types

revision: str = '0024_photos'
down_revision: str | Sequence[str] | None = '0023_prog3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('survey_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', api.kernel.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fetched_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id', 'question'], ['survey_answer.response_id', 'survey_answer.question'], name='fk_survey_photo_answer', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('response_id', 'question', name='uq_survey_photo_answer')
    )
    with op.batch_alter_table('survey_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_photo_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_photo_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_photo_survey_id'), ['survey_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('survey_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_photo_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_photo_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_survey_photo_member_id'))
    op.drop_table('survey_photo')
