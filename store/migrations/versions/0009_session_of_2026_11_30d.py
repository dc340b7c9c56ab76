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
    # issue 19 (points consumer's CPU per event): the points ledger's monthly read model (Σ uncapped of a resident's
    # work and reversal lines per month), so capping a batch reads one row per resident and month instead of summing
    # the month's lines; backfilled from the existing lines (as domain.points.month_totals; a copy of its kinds, so
    # this revision keeps meaning what it meant when later ones change the code)
    op.create_table('point_month',
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('uncapped', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('resident_id', 'month')
    )
    op.execute(sa.text(
        "INSERT INTO point_month (resident_id, month, uncapped) "
        "SELECT resident_id, month, SUM(uncapped) FROM point_entry WHERE kind IN ('work', 'reversal') "
        "GROUP BY resident_id, month"))
    # issue 19 (earnings consumer's CPU per event): the ledger's seven-column dashboard index gives way to one on
    # posted_at: whole days are summed from ledger_day, and only a partial day's lines are read by time; every line
    # the earnings consumer appends entered the wide index (≈ 3-5 µs a line on SQLite)
    op.drop_index('ix_ledger_entry_dashboard', table_name='ledger_entry')
    op.create_index('ix_ledger_entry_posted_at', 'ledger_entry', ['posted_at'], unique=False)
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 19 (earnings consumer's CPU per event): the ledger's dashboard index back
    op.drop_index('ix_ledger_entry_posted_at', table_name='ledger_entry')
    op.create_index('ix_ledger_entry_dashboard', 'ledger_entry', ['community_id', 'posted_at', 'resident_id',
                    'amount_fen', 'kind', 'pieces', 'reverses_entry_key'], unique=False)
    # issue 19 (points consumer's CPU per event): the points ledger's monthly read model
    op.drop_table('point_month')
    pass
