"""changes of the session of 2026-11-30

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 00:00:00

Each change of this session appends its own operations below, each under its own comment naming the issue, and
its reverse at the top of downgrade() (so downgrade undoes them newest first).
"""
import sqlalchemy as sa  # noqa: F401  (used by the blocks appended below)
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import store.types  # noqa: F401

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# issue 16: (table, whole-fen column, exact centifen column)
_EXACT_RATE_COLUMNS = (('order', 'piece_rate_fen', 'piece_rate_centifen'),
                       ('rate_version', 'piece_rate_fen', 'piece_rate_centifen'),
                       ('lot', 'piece_rate_fen', 'piece_rate_centifen'),
                       ('offer', 'piece_rate_fen', 'piece_rate_centifen'),
                       ('inspection', 'piece_rate_fen', 'piece_rate_centifen'),
                       ('ledger_entry', 'rate_fen', 'rate_centifen'))


def _exact_rates(*, upgrade: bool) -> None:
    """issue 16: rename each rate column and scale it (×100 up; back to whole fen, half-up, down).

    A plain RENAME COLUMN (SQLite ≥ 3.25 and PostgreSQL): a batch rebuild would drop the ledger's append-only
    triggers (0002). The ledger's rates are rewritten once, in this migration only, with its UPDATE trigger
    lifted for the statement: the unit of the rate changes, no amount does.
    """
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, old, new in _EXACT_RATE_COLUMNS:
        before, after = (old, new) if upgrade else (new, old)
        op.execute(f'ALTER TABLE "{table}" RENAME COLUMN {before} TO {after}')
        scaled = f'{after} * 100' if upgrade else f'({after} + 50) / 100'
        if table != 'ledger_entry':
            op.execute(f'UPDATE "{table}" SET {after} = {scaled}')
        elif sqlite:
            op.execute('DROP TRIGGER ledger_entry_no_update')
            op.execute(f'UPDATE ledger_entry SET {after} = {scaled}')
            op.execute("CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry "
                       "BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only: UPDATE refused'); END")
        else:
            op.execute('ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only')
            op.execute(f'UPDATE ledger_entry SET {after} = {scaled}')
            op.execute('ALTER TABLE ledger_entry ENABLE TRIGGER ledger_entry_append_only')


def upgrade() -> None:
    # issue 15 (coordinator): a lot's short human code (批次简码, e.g. 网兜-1129-03); the long id stays the key
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lot_short_code'), ['short_code'], unique=False)
    # issue 17 (service points, ratings, assessment): a rule's points for 代办 acts by stars, volunteer tasks, caps
    with op.batch_alter_table('point_rule_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('act_points_by_stars', sa.JSON(), nullable=False,
                                      server_default='[0, 0, 1, 2, 3]'))
        batch_op.add_column(sa.Column('volunteer_points_per_hour', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('service_monthly_cap', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('service_rating',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('act_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('act_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('act_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('helper', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('via', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resident_id', 'act_key', name='uq_service_rating_resident_act')
    )
    with op.batch_alter_table('service_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_rating_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_rating_helper'), ['helper'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_rating_rated_at'), ['rated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_rating_resident_id'), ['resident_id'], unique=False)
    op.create_table('volunteer_task',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('task', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('done_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recorded_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('withdraw_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('volunteer_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_task_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_task_resident_id'), ['resident_id'], unique=False)
    op.create_table('helper_point_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('helper', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('uncapped', sa.Integer(), nullable=False),
    sa.Column('rating_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reverses_entry_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('rule_version', sa.Integer(), nullable=True),
    sa.Column('posted_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_key')
    )
    with op.batch_alter_table('helper_point_entry', schema=None) as batch_op:
        batch_op.create_index('ix_helper_point_entry_helper_month', ['helper', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_helper_point_entry_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helper_point_entry_rating_id'), ['rating_id'], unique=False)
    # The helpers' points are append-only like point_entry (0005): the database refuses UPDATE and DELETE.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER helper_point_entry_append_only BEFORE UPDATE OR DELETE ON helper_point_entry "
                   "FOR EACH ROW EXECUTE FUNCTION mf_refuse_rewrite()")
        op.execute("CREATE TRIGGER helper_point_entry_no_truncate BEFORE TRUNCATE ON helper_point_entry "
                   "FOR EACH STATEMENT EXECUTE FUNCTION mf_refuse_rewrite()")
    elif op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER helper_point_entry_no_{verb.lower()} BEFORE {verb} ON helper_point_entry "
                       f"BEGIN SELECT RAISE(ABORT, 'helper_point_entry is append-only: {verb} refused'); END")
    op.create_table('assessment_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coordinator', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('street_score', sa.Integer(), nullable=False),
    sa.Column('peer_score', sa.Integer(), nullable=False),
    sa.Column('entered_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entered_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('coordinator', 'period', name='uq_assessment_score_coordinator_period')
    )
    with op.batch_alter_table('assessment_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_score_coordinator'), ['coordinator'], unique=False)
    op.create_table('assessment_policy',
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_weight_pct', sa.Integer(), nullable=False),
    sa.Column('street_weight_pct', sa.Integer(), nullable=False),
    sa.Column('peer_weight_pct', sa.Integer(), nullable=False),
    sa.Column('min_raters', sa.Integer(), nullable=False),
    sa.Column('excellent_from', sa.Integer(), nullable=False),
    sa.Column('competent_from', sa.Integer(), nullable=False),
    sa.Column('basic_from', sa.Integer(), nullable=False),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('set_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('district')
    )
    # issue 16 (adjustments and corrections with a second pair of eyes): a coordinator's bonus or recovery with its
    # reason, and corrections of frozen pay waiting for a second coordinator's approval
    op.create_table('pay_adjustment',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entry_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_key')
    )
    with op.batch_alter_table('pay_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pay_adjustment_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pay_adjustment_resident_id'), ['resident_id'], unique=False)
    op.create_table('correction_request',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('inspection_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lot_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resident_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('passed', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('defect_codes', sa.JSON(), nullable=False),
    sa.Column('rework', sa.Boolean(), nullable=False),
    sa.Column('photo_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('why_approval', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('requested_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('decided_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('correction_inspection_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], ),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('correction_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_request_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_request_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_request_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_request_status'), ['status'], unique=False)
    # issue 18 (fair matching): each community's fairness weight (MatchPolicy.fairness_weight)
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_fairness_weight', sa.Float(), nullable=False, server_default='2.0'))
    # issue 16 (minimum wages by division): a community's GB/T 2260 division (the pinyin city keys of before are
    # filled in: the whole municipality or city their old figure covered) and the figures a deployment adds
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('division', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_community_division'), ['division'], unique=False)
    for key, code in (("beijing", "110000"), ("shanghai", "310000"), ("guangzhou", "440100"),
                      ("shenzhen", "440300"), ("hangzhou", "330100"), ("chengdu", "510100")):
        op.execute(sa.text("UPDATE community SET division = :code WHERE lower(city) = :key")
                   .bindparams(code=code, key=key))
    op.create_table('minimum_wage_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hourly_fen', sa.Integer(), nullable=False),
    sa.Column('monthly_fen', sa.Integer(), nullable=True),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('added_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('division', 'effective_from', name='uq_minimum_wage_figure_division_date')
    )
    with op.batch_alter_table('minimum_wage_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minimum_wage_figure_division'), ['division'], unique=False)
    # issue 16 (piece rates below one fen): rates exact in centifen (0.0001 yuan), was whole fen: ×100
    _exact_rates(upgrade=True)
    for table in ('order', 'rate_version'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('rate_per', sa.Integer(), nullable=False, server_default='1'))
    # issue 17 (ratings): a rating withdrawn by the resident who gave it (or the city); its points are reversed
    with op.batch_alter_table('service_rating', schema=None) as batch_op:  # service_rating_withdrawn
        batch_op.add_column(sa.Column('withdrawn_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    # -- more operations of this revision go above this line --
    pass


def downgrade() -> None:
    # -- reverses of the operations above go below this line, newest first --
    # issue 17 (ratings): withdrawn ratings
    with op.batch_alter_table('service_rating', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_at')
    # issue 16: back to whole fen (a sub-fen rate rounds half-up: the old columns cannot hold it)
    for table in ('rate_version', 'order'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('rate_per')
    _exact_rates(upgrade=False)
    # issue 16 (minimum wages by division)
    op.drop_table('minimum_wage_figure')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_division'))
        batch_op.drop_column('division')
    # issue 18 (fair matching)
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('match_fairness_weight')
    # issue 16: adjustments and correction requests
    op.drop_table('correction_request')
    op.drop_table('pay_adjustment')
    # issue 17 (service points, ratings, assessment)
    op.drop_table('assessment_policy')
    op.drop_table('assessment_score')
    op.drop_table('helper_point_entry')
    op.drop_table('volunteer_task')
    op.drop_table('service_rating')
    with op.batch_alter_table('point_rule_version', schema=None) as batch_op:
        batch_op.drop_column('service_monthly_cap')
        batch_op.drop_column('volunteer_points_per_hour')
        batch_op.drop_column('act_points_by_stars')
    # issue 15 (coordinator): the lot's short code
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_short_code'))
        batch_op.drop_column('short_code')
    pass
