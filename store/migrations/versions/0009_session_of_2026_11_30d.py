"""changes of the fourth session of 2026-11-30

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 09:00:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    pass
