"""workload, overrides, resubmissions and invariant checks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:00:00

An offer records the working minutes it was judged by and any hard rule a coordinator overrode (with the
reason), so the live invariant check can tell an override from a broken rule. A lot counts pieces handed in
again after rework apart from first hand-ins. `invariant_check` keeps each run of `microfactory audit`.
Later changes of this session append their own operations below, each under its own comment.
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_minutes', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('override_rules', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('override_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pieces_resubmitted', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('invariant_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('violations', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invariant_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invariant_check_started_at'), ['started_at'], unique=False)
    # One person, one record: a phone or ID number belongs to one resident (canonical forms, domain.people).
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_phone'), ['phone'], unique=True)
        batch_op.create_index(batch_op.f('ix_resident_id_number'), ['id_number'], unique=True)
    # Sign-in throttle by (account, client) with a doubling wait, replacing the lock an attacker could hold (issue 20).
    op.create_table('sign_in_throttle',
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('username', 'client')
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_last_failure_at'), ['last_failure_at'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_attempts')
    # Debts carried between periods (issue 16): the share of a period's pay a debt may take back, per community.
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('debt_recovery_cap_bps', sa.Integer(), nullable=False, server_default='2000'))
    # Points (积分) and the points shop (issue 17): rule versions, the points ledger, shop items, redemptions.
    op.create_table('point_rule_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fen_per_point', sa.Integer(), nullable=False),
    sa.Column('passing_rate_bps', sa.Integer(), nullable=False),
    sa.Column('high_pass_rate_bps', sa.Integer(), nullable=False),
    sa.Column('high_pass_bonus_bps', sa.Integer(), nullable=False),
    sa.Column('monthly_cap', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('effective_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('community_id', 'version')
    )
    with op.batch_alter_table('point_rule_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_point_rule_version_community_id'), ['community_id'], unique=False)
    op.create_table('point_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('uncapped', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reverses_entry_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('redemption_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('rule_version', sa.Integer(), nullable=True),
    sa.Column('posted_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_key')
    )
    with op.batch_alter_table('point_entry', schema=None) as batch_op:
        batch_op.create_index('ix_point_entry_community_month', ['community_id', 'month'], unique=False)
        batch_op.create_index('ix_point_entry_resident_month', ['resident_id', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_entry_inspection_id'), ['inspection_id'], unique=False)
    op.create_table('shop_item',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('price_points', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shop_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_item_community_id'), ['community_id'], unique=False)
    op.create_table('redemption',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('on_behalf', sa.Boolean(), nullable=False),
    sa.Column('at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['shop_item.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_resident_id'), ['resident_id'], unique=False)
    # The points ledger is append-only like the money ledger (0002): the database refuses UPDATE and DELETE.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER point_entry_append_only BEFORE UPDATE OR DELETE ON point_entry "
                   "FOR EACH ROW EXECUTE FUNCTION mf_refuse_rewrite()")
        op.execute("CREATE TRIGGER point_entry_no_truncate BEFORE TRUNCATE ON point_entry "
                   "FOR EACH STATEMENT EXECUTE FUNCTION mf_refuse_rewrite()")
    elif op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER point_entry_no_{verb.lower()} BEFORE {verb} ON point_entry "
                       f"BEGIN SELECT RAISE(ABORT, 'point_entry is append-only: {verb} refused'); END")
    # -- more operations of this revision go above this line --


def downgrade() -> None:
    # Points and the points shop (issue 17).
    op.drop_table('redemption')
    op.drop_table('shop_item')
    op.drop_table('point_entry')
    op.drop_table('point_rule_version')
    # Debts carried between periods (issue 16).
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('debt_recovery_cap_bps')
    # Sign-in throttle (issue 20): the per-account lock columns come back empty.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', store.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_last_failure_at'))
    op.drop_table('sign_in_throttle')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_id_number'))
        batch_op.drop_index(batch_op.f('ix_resident_phone'))
    op.drop_table('invariant_check')
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_column('pieces_resubmitted')
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_column('override_reason')
        batch_op.drop_column('override_rules')
        batch_op.drop_column('work_minutes')
