"""one ledger index per way the ledger is read

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:00:00

The earnings consumer appends thousands of ledger lines a second and every index costs a B-tree
insert per line. Five single-column indexes (resident, enterprise, community, period, posted_at)
become three composite ones that serve the actual reads: a community's period per resident
(closing, matching), a resident's periods (slips) and an enterprise's periods (settlements).
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SINGLE = ('resident_id', 'enterprise_id', 'community_id', 'period_id', 'posted_at')


def upgrade() -> None:
    for column in SINGLE:
        op.drop_index(f'ix_ledger_entry_{column}', table_name='ledger_entry')
    op.create_index('ix_ledger_entry_community_period', 'ledger_entry',
                    ['community_id', 'period_id', 'resident_id', 'amount_fen'], unique=False)
    op.create_index('ix_ledger_entry_resident_period', 'ledger_entry', ['resident_id', 'period_id'], unique=False)
    op.create_index('ix_ledger_entry_enterprise_period', 'ledger_entry', ['enterprise_id', 'period_id'],
                    unique=False)


def downgrade() -> None:
    for name in ('community_period', 'resident_period', 'enterprise_period'):
        op.drop_index(f'ix_ledger_entry_{name}', table_name='ledger_entry')
    for column in SINGLE:
        op.create_index(f'ix_ledger_entry_{column}', 'ledger_entry', [column], unique=False)
