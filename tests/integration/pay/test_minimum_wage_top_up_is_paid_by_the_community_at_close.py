"""At close, a community that tops up pays the shortfall to the hourly minimum as its own explicit entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from domain.invariants.money import check_ledger_days
from schemas import commands as c
from store.db import reading, transaction
from store.tables import Community, LedgerEntry
from usecases import invariant_rows as rows
from usecases import pay, work
from usecases.actors import SYSTEM
from usecases.queries import pay as pay_reads
from usecases.queries import pay_board
from usecases.reconcile import reconcile

AFTER_THE_PERIOD = datetime(2026, 11, 16, 2, tzinfo=UTC)
# Shanghai's part-time minimum is 2,500 fen an hour: 120 reported minutes plus 15 for fetching materials
# is 135 minutes, worth ceil(2500 × 135 / 60) = 5,625 fen; 10 pieces at 37 fen earned 370.
SHORTFALL_FEN = 5625 - 370


def _two_hours_for_ten_pieces(world: Any, resident: str) -> None:
    lot = world.lot(resident, pieces=10, rate_fen=37)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=10))
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=10, minutes_spent=120))
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=10, rejected=0))
    world.earn()


def _tops_up(world: Any, yes: bool) -> None:
    with transaction(world.engine) as session:
        community = session.get(Community, "comm-001")
        assert community is not None
        community.tops_up_minimum_wage = yes
        session.add(community)


def test_the_shortfall_is_topped_up_charged_to_no_order_and_reconciled(pay_world: Any, residents: list[str]) -> None:
    _tops_up(pay_world, True)
    _two_hours_for_ten_pieces(pay_world, residents[0])
    closed, _ = pay_world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A"),
                              at=AFTER_THE_PERIOD)
    assert closed.top_ups_fen == SHORTFALL_FEN and closed.row.total_fen == 5625
    with reading(pay_world.engine) as session:
        top_up = session.exec(select(LedgerEntry).where(LedgerEntry.kind == "wage_top_up")).one()
        slip, _ = pay_reads.pay_slip(session, SYSTEM, residents[0], "2026-11-A")
        bill = pay_reads.settlement(session, SYSTEM, "ent-01", "2026-11-A", service_fee_bps=500)
        hourly = pay_board.hourly_earnings(session, SYSTEM, "comm-001", "2026-11-A")
    assert (top_up.amount_fen, top_up.order_id, top_up.enterprise_id) == (SHORTFALL_FEN, None, None)
    assert [x.amount_fen for x in slip.top_ups] == [SHORTFALL_FEN] and slip.total_fen == 5625
    assert bill.residents_pay_fen == 370 and bill.service_fee_fen == 19  # 370 × 5% = 18.5 → 19, never the top-up
    assert [(h.minutes_total, h.shortfall_fen, h.topped_up_fen) for h in hourly] == [(135, SHORTFALL_FEN,
                                                                                      SHORTFALL_FEN)]
    assert reconcile(pay_world.engine) == []
    with rows.snapshot(pay_world.engine) as session:  # the top-up reached the overview's read model (issue 19)
        assert check_ledger_days(rows.entries(session), rows.ledger_days(session)) == []

    pay_world.tamper("wage_top_up", 1)
    assert [(d["scope"], d["delta_fen"]) for d in reconcile(pay_world.engine)] == [("wage_top_up", 1)]


def test_without_the_policy_the_shortfall_is_shown_but_not_paid(pay_world: Any, residents: list[str]) -> None:
    _tops_up(pay_world, False)
    _two_hours_for_ten_pieces(pay_world, residents[0])
    closed, _ = pay_world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A"),
                              at=AFTER_THE_PERIOD)
    with reading(pay_world.engine) as session:
        hourly = pay_board.hourly_earnings(session, SYSTEM, "comm-001", "2026-11-A")
        kinds = set(session.exec(select(LedgerEntry.kind)))
    assert closed.top_ups_fen == 0 and kinds == {"piece_pay"}
    assert hourly[0].effective_hourly_fen == 370 * 60 // 135 and hourly[0].shortfall_fen == SHORTFALL_FEN
    assert hourly[0].topped_up_fen == 0 and not hourly[0].community_tops_up
    assert reconcile(pay_world.engine) == []
