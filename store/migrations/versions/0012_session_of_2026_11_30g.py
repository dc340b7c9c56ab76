"""changes of the seventh session of 2026-11-30

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 19:00:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _backfill_ledger_period() -> None:
    """issue 19: ledger_period from the ledger's lines: every line's count and amount per community, period and
    resident (as store.ledger.LEDGER_PERIOD_FROM_LEDGER_SQL; a copy, so that this revision keeps meaning what it
    meant when later ones change the code)."""
    op.execute(sa.text(
        "INSERT INTO ledger_period (community_id, period_id, resident_id, lines, amount_fen) "
        "SELECT community_id, period_id, resident_id, COUNT(*), SUM(amount_fen) FROM ledger_entry "
        "GROUP BY community_id, period_id, resident_id"))


def upgrade() -> None:
    # issue 19 (the worker's CPU per event): a community period's amounts per resident in a read model kept by
    # store.ledger.append_entries, backfilled from the lines; the ledger's index by (community, period, resident,
    # amount), which cost a B-tree insert per line, goes
    op.create_table('ledger_period',
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('community_id', 'period_id', 'resident_id')
    )
    _backfill_ledger_period()
    op.drop_index('ix_ledger_entry_community_period', table_name='ledger_entry')
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 19: the ledger's index by community and period, and the per-period read model
    op.create_index('ix_ledger_entry_community_period', 'ledger_entry',
                    ['community_id', 'period_id', 'resident_id', 'amount_fen'], unique=False)
    op.drop_table('ledger_period')
    pass
