"""chatedges: survey.published_at and survey.summary (the results published to the barrio's vecinos);
convocatoria.versions (its title and details in other languages)

`summary` holds the texts staff previewed and approved, one per language ({"es": ..., "ht":
..., "en": ...}), aggregates only; vecinos read them in the chat under /encuestas.

Revision ID: 0020_chatedges
Revises: 0013_consent
Create Date: 2026-11-29 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.kernel.types

revision: str = '0020_chatedges'
down_revision: str | Sequence[str] | None = '0018_programme2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', api.kernel.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('summary', sa.JSON(), nullable=True))
    with op.batch_alter_table('convocatoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('versions', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('convocatoria', schema=None) as batch_op:
        batch_op.drop_column('versions')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('summary')
        batch_op.drop_column('published_at')
