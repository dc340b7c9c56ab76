"""changes of the fifth session of 2026-11-30

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 13:30:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # personal data (the dashboard's sign-out): session tokens signed out before they expired, by their jti claim, so
    # a signed-out token is refused by the API and the dashboard instead of living until TOKEN_MINUTES
    op.create_table('revoked_token',
    sa.Column('token_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_id')
    )
    op.create_index('ix_revoked_token_expires_at', 'revoked_token', ['expires_at'], unique=False)
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # personal data (the dashboard's sign-out): revoked session tokens
    op.drop_index('ix_revoked_token_expires_at', table_name='revoked_token')
    op.drop_table('revoked_token')
    pass
