"""changes of the third session of 2026-11-30

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 06:30:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# issue 19 (PostgreSQL's CPU per event): the relay settles "unsettled, oldest first"
_UNSETTLED = sa.text('NOT settled')


def _backfill_lot_paid() -> None:
    """issue 19 (pay latency): lot_paid from the ledger's lines: pieces of piece pay and of its reversals (negative)
    per lot, resident and rate (as store.ledger.LOT_PAID_FROM_LEDGER_SQL; a copy, so that this revision keeps
    meaning what it meant when later ones change the code)."""
    op.execute(sa.text(
        "INSERT INTO lot_paid (lot_id, resident_id, rate_centifen, pieces) "
        "SELECT lot_id, resident_id, rate_centifen, SUM(pieces) FROM ledger_entry WHERE lot_id IS NOT NULL AND "
        "(kind = 'piece_pay' OR (kind = 'reversal' AND reverses_entry_key LIKE '%\\:piece_pay')) "
        "GROUP BY lot_id, resident_id, rate_centifen"))


def upgrade() -> None:
    # issue 19 (PostgreSQL's CPU per event): the outbox's unsettled events in a partial index, instead of an index
    # of the boolean `settled` that every row version entered (three per event) and no read could use in id order
    # (settling walked the whole outbox, every row version on PostgreSQL, every two seconds)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_settled')
    op.create_index('ix_outbox_unsettled', 'outbox', ['id'], unique=False,
                    sqlite_where=_UNSETTLED, postgresql_where=_UNSETTLED)
    # issue 19 (pay latency): the ledger's per-lot read model (passed pieces paid per lot, resident and rate), so
    # pricing reads a lot's few rows instead of summing its whole history; backfilled from the existing lines
    op.create_table('lot_paid',
    sa.Column('lot_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rate_centifen', sa.Integer(), nullable=False),
    sa.Column('pieces', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('lot_id', 'resident_id', 'rate_centifen')
    )
    _backfill_lot_paid()
    # issue 19 (PostgreSQL's CPU per event): no read looks a points line up by inspection; its index cost a B-tree
    # insert per line
    with op.batch_alter_table('point_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_point_entry_inspection_id')
    # issue 19 (PostgreSQL's CPU per event): the outbox's event ids are not unique-indexed (no read looks them up;
    # PostgreSQL checked the unique index again on each of the relay's two UPDATEs of a row). SQLite names the
    # constraint nowhere, so the table is rebuilt under a naming convention that names it
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('outbox', schema=None, recreate='always',
                                  naming_convention={'uq': 'uq_%(table_name)s_%(column_0_name)s'}) as batch_op:
            batch_op.drop_constraint('uq_outbox_event_id', type_='unique')
    else:
        op.drop_constraint('outbox_event_id_key', 'outbox', type_='unique')
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 19 (PostgreSQL's CPU per event): the outbox's event ids unique again (fails if two rows share one)
    # (named as upgrade() finds it: PostgreSQL's default name, the naming convention's on SQLite)
    name = 'uq_outbox_event_id' if op.get_bind().dialect.name == 'sqlite' else 'outbox_event_id_key'
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_unique_constraint(name, ['event_id'])
    # issue 19 (PostgreSQL's CPU per event): the points lines' inspection index back
    with op.batch_alter_table('point_entry', schema=None) as batch_op:
        batch_op.create_index('ix_point_entry_inspection_id', ['inspection_id'], unique=False)
    # issue 19 (pay latency): the per-lot read model
    op.drop_table('lot_paid')
    # issue 19 (PostgreSQL's CPU per event): the outbox's settled index back
    op.drop_index('ix_outbox_unsettled', table_name='outbox')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_settled', ['settled'], unique=False)
    pass
