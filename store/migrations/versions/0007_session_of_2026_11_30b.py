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


# issue 19 (dashboard over ten million ledger lines): sums of money that can pass 2^31 - 1 fen (¥21.47 M) in a
# community's period, BIGINT on PostgreSQL (SQLite's INTEGER is 64-bit already: store.types.FEN_SUM)
_FEN_SUM_COLUMNS = (('ledger_entry', 'amount_fen'), ('pay_period', 'total_fen'), ('payout', 'amount_fen'),
                    ('pay_adjustment', 'amount_fen'))
# issue 19: the daily read model's figures, recomputed from every ledger line (as store.ledger.days_from_ledger_sql;
# a copy, so that this revision keeps meaning what it meant when later ones change the code)
_LEDGER_DAY_FIGURES = 'lines, income_lines, passed_lines, income_fen, transfer_fen, passed_pieces'
_TRANSFER = "kind IN ('carry_forward', 'carried_in')"
_PASSED = "(kind = 'piece_pay' OR (kind = 'reversal' AND reverses_entry_key LIKE '%\\:piece_pay'))"


def _fen_sums(type_: sa.types.TypeEngine[int], was: sa.types.TypeEngine[int]) -> None:
    """issue 19: ALTER … TYPE on PostgreSQL (no batch rebuild: the ledger's append-only triggers of 0002 stay on
    the table, and an ALTER fires no row trigger)."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column in _FEN_SUM_COLUMNS:
        op.alter_column(table, column, type_=type_, existing_type=was, existing_nullable=False)


def _backfill_ledger_days() -> None:
    """issue 19: ledger_day from the ledger's lines, per Asia/Shanghai day (+8 h), community and resident."""
    day = ("CAST(timezone('Asia/Shanghai', posted_at) AS DATE)" if op.get_bind().dialect.name == 'postgresql'
           else "date(posted_at, '+8 hours')")
    op.execute(sa.text(
        f"INSERT INTO ledger_day (community_id, day, resident_id, {_LEDGER_DAY_FIGURES}) "
        f"SELECT community_id, {day}, resident_id, COUNT(*), SUM(CASE WHEN {_TRANSFER} THEN 0 ELSE 1 END), "
        f"SUM(CASE WHEN {_PASSED} THEN 1 ELSE 0 END), SUM(CASE WHEN {_TRANSFER} THEN 0 ELSE amount_fen END), "
        f"SUM(CASE WHEN {_TRANSFER} THEN amount_fen ELSE 0 END), SUM(CASE WHEN {_PASSED} THEN pieces ELSE 0 END) "
        f"FROM ledger_entry GROUP BY community_id, {day}, resident_id"))


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
    # issue 19 (performance): money sums as BIGINT on PostgreSQL, and the ledger's daily read model, backfilled
    _fen_sums(sa.BigInteger(), sa.Integer())
    op.create_table('ledger_day',
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('income_lines', sa.Integer(), nullable=False),
    sa.Column('passed_lines', sa.Integer(), nullable=False),
    sa.Column('income_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('transfer_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('passed_pieces', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('community_id', 'day', 'resident_id')
    )
    _backfill_ledger_days()
    # issue 16 (money safety): an adjustment's idempotency key, so a client's retry never pays a bonus twice
    with op.batch_alter_table('pay_adjustment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f('ix_pay_adjustment_reference'), ['reference'], unique=True)
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 16 (money safety): the adjustment's idempotency key
    with op.batch_alter_table('pay_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pay_adjustment_reference'))
        batch_op.drop_column('reference')
    # issue 19 (performance): the read model, and the money sums back to INTEGER (fails on a sum above 2^31 - 1)
    op.drop_table('ledger_day')
    _fen_sums(sa.Integer(), sa.BigInteger())
    # issue 15 (one-time sign-in codes)
    with op.batch_alter_table('sign_in_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_code_user_id'))
    op.drop_table('sign_in_code')
    pass
