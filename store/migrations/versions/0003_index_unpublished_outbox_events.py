"""index the outbox's unpublished events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00

The relay asks for unpublished events in id order many times a second. Published events are
kept (they settle later), so without a partial index that read walks the whole outbox history.
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

UNPUBLISHED = sa.text("published_at IS NULL")


def upgrade() -> None:
    op.create_index('ix_outbox_unpublished', 'outbox', ['id'], unique=False,
                    sqlite_where=UNPUBLISHED, postgresql_where=UNPUBLISHED)


def downgrade() -> None:
    op.drop_index('ix_outbox_unpublished', table_name='outbox')
