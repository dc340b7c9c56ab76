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
    # -- more operations of this revision go above this line --


def downgrade() -> None:
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
