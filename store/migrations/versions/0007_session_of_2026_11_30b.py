"""changes of the second session of 2026-11-30

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 03:00:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # issue 15 (one-time sign-in codes): a printed code works once, for a bounded time; only its keyed hash is kept
    op.create_table('sign_in_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('issued_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('issued_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_from', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('revoked_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_in_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_code_user_id'), ['user_id'], unique=False)
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 15 (one-time sign-in codes)
    with op.batch_alter_table('sign_in_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_code_user_id'))
    op.drop_table('sign_in_code')
    pass
