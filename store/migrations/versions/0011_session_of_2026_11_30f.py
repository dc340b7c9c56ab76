"""changes of the sixth session of 2026-11-30

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 15:30:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nothing lost (the relay after a broker restart): the broker's id of each topic as the relay last saw it, so a
    # topic created again (by any client, before the relay looked) still shows the broker lost what it held
    op.create_table('broker_topic',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('topic_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('seen_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    # issue 19 (the worker's CPU per event): the ledger's index by inspection goes; the earnings consumer and the
    # second-pair check find an inspection's entries by their keys in the unique index (domain.pay.model)
    op.drop_index('ix_ledger_entry_inspection_id', table_name='ledger_entry')
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 19: the ledger's index by inspection
    op.create_index('ix_ledger_entry_inspection_id', 'ledger_entry', ['inspection_id'], unique=False)
    # nothing lost (the relay after a broker restart): the topic ids seen
    op.drop_table('broker_topic')
    pass
