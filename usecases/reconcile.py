"""`microfactory reconcile`: the ledger against totals recomputed from the recorded inspections.

Only inspections the earnings consumer has applied are compared (their InspectionRecorded event is in
applied_event under "earnings", or an applied correction paid them first): on a busy system an inspection still
on its way to the consumer is not a difference. `in_flight` counts those left out; losing them for good is what
the outbox's redelivery and the chaos checks look for, not this comparison.

Entries without an inspection are checked apart: a wage top-up must equal the shortfall to the
hourly minimum recomputed for its closed period (0 where the community does not top up), and any
other entry without an inspection is money nothing explains. Payouts and debts carried between periods are
compared per resident and period in usecases.reconcile_payouts.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, and_, col, select

from domain.pay import EntryDraft, PayInputError, period_by_id, shortfall
from domain.pay.ledger import InspectionFact, diff, ledger_totals, recompute_totals
from store.db import reading
from store.tables import AppliedEvent, Community, Inspection, LedgerEntry, Lot, Order, OutboxEvent, PayPeriod
from usecases.earn import to_draft
from usecases.minimum_wages import period_minimum_fen
from usecases.queries.period_work import community_policy, period_work, top_ups_in_ledger
from usecases.reconcile_adjustments import adjustment_differences
from usecases.reconcile_payouts import payout_and_carry_differences

# Entries without an inspection that are checked on their own: top-ups here, carried debts in reconcile_payouts.
# Adjustments are checked against their records (with the reason) in usecases.reconcile_adjustments.
EXPLAINED_KINDS = ("wage_top_up", "carry_forward", "carried_in", "adjustment")
EARNINGS = "earnings"  # the consumer that turns inspections into ledger entries (usecases.routing.HANDLERS)


def reconcile(engine: Engine) -> list[dict[str, Any]]:
    """Every resident, order, enterprise and top-up total that differs by even one fen (empty when all agree).

    Each difference is a dict with "scope", "id", "expected_fen", "ledger_fen" and "delta_fen" (fen).
    Inspections the earnings consumer has not applied yet are left out (see in_flight).
    """
    with reading(engine) as session:
        rows = session.exec(select(Inspection, Lot.community_id, Order.id, Order.enterprise_id)
                            .join(Lot, col(Lot.id) == Inspection.lot_id)
                            .join(Order, col(Order.id) == Lot.order_id)
                            .order_by(col(Inspection.inspected_at))).all()
        facts = [InspectionFact(
            inspection_id=i.id, lot_id=i.lot_id, order_id=order_id, enterprise_id=enterprise_id,
            resident_id=i.resident_id, community_id=community_id, passed=i.passed, rejected=i.rejected,
            piece_rate_centifen=i.piece_rate_centifen, quality_bonus_fen_per_piece=i.quality_bonus_fen_per_piece,
            inspected_at=i.inspected_at, corrects_inspection_id=i.corrects_inspection_id)
            for i, community_id, order_id, enterprise_id in rows]
        paid = applied_inspections(session, {i.id: i.corrects_inspection_id for i, *_ in rows})
        facts = [f for f in facts if f.inspection_id in paid]
        malformed: list[dict[str, Any]] = []
        entries = [_draft(e, malformed) for e in session.exec(select(LedgerEntry).where(
            col(LedgerEntry.inspection_id).is_not(None)))]
        found = [asdict(d) | {"delta_fen": d.delta_fen} for d in diff(recompute_totals(facts), ledger_totals(entries))]
        return (found + malformed + _top_up_differences(session) + _unexplained(session)
                + payout_and_carry_differences(session) + adjustment_differences(session))


def in_flight(engine: Engine) -> int:
    """How many recorded inspections the earnings consumer has not applied yet (left out of reconcile)."""
    with reading(engine) as session:
        corrects = dict(session.exec(select(Inspection.id, Inspection.corrects_inspection_id)).all())
        return len(set(corrects) - applied_inspections(session, corrects))


def applied_inspections(session: Session, corrects: dict[str, str | None], *, consumer: str = EARNINGS,
                        event_type: str = "work.inspection_recorded") -> set[str]:
    """Ids of inspections `consumer` has applied, and the originals an applied correction applied first
    (usecases.earn.corrected_first). `corrects`: id -> corrected id. The earnings consumer applies
    InspectionRecorded events; the points consumer the EarningsPosted that list what was paid
    (event_type "ledger.earnings_posted")."""
    payloads = session.exec(select(OutboxEvent.payload).join(AppliedEvent, and_(
        col(AppliedEvent.event_id) == OutboxEvent.event_id, col(AppliedEvent.consumer) == consumer))
        .where(OutboxEvent.type == event_type))
    paid = {i for p in payloads for i in _inspection_ids(json.loads(p))}
    pending = [corrects.get(i) for i in paid]
    while pending:
        original = pending.pop()
        if original is not None and original not in paid:
            paid.add(original)
            pending.append(corrects.get(original))
    return paid


def _inspection_ids(payload: dict[str, Any]) -> list[str]:
    """The inspections an InspectionRecorded or an EarningsPosted payload is about."""
    if "postings" in payload:
        return [p["inspection_id"] for p in payload["postings"]]
    return [payload["inspection_id"]]


def _draft(row: LedgerEntry, malformed: list[dict[str, Any]]) -> EntryDraft:
    """The row as a draft; a row whose amount is not pieces × rate (to within the fen a lot's rounding can move a
    posting) is reported and still counted as it stands. The expected figure is the exact amount rounded half-up."""
    try:
        return to_draft(row)
    except PayInputError:
        expected = (row.pieces * row.rate_centifen + 50) // 100 if row.pieces >= 0 else \
            -((-row.pieces * row.rate_centifen + 50) // 100)
        malformed.append({"scope": "entry", "id": row.entry_key, "expected_fen": expected,
                          "ledger_fen": row.amount_fen, "delta_fen": row.amount_fen - expected})
        # Totals need only the amount, so carry it under a kind that does not insist on pieces × rate.
        return to_draft(row.model_copy(update={"kind": "adjustment", "reverses_entry_key": None}))


def _top_up_differences(session: Session) -> list[dict[str, Any]]:
    """Top-ups in the ledger against the shortfall recomputed for each closed period."""
    closed = {(r.community_id, r.period_id) for r in session.exec(select(PayPeriod))}
    with_top_ups = set(session.exec(select(LedgerEntry.community_id, LedgerEntry.period_id)
                                    .where(LedgerEntry.kind == "wage_top_up").distinct()).all())
    found: list[dict[str, Any]] = []
    for community_id, period_id in sorted(closed | with_top_ups):
        community = session.get(Community, community_id)
        expected: dict[str, int] = {}
        if community is not None and community.tops_up_minimum_wage and (community_id, period_id) in closed:
            period = period_by_id(period_id, community_policy(session, community_id))
            minimum = period_minimum_fen(session, community, period)
            expected = {rid: shortfall(earned_fen=w.earned_fen, total_minutes=w.minutes.total,
                                       min_hourly_wage_fen=minimum)
                        for rid, w in period_work(session, community_id, period).items()}
        held = top_ups_in_ledger(session, community_id, period_id)
        for rid in sorted(set(expected) | set(held)):
            want, have = expected.get(rid, 0), held.get(rid, 0)
            if want != have:
                found.append({"scope": "wage_top_up", "id": f"{community_id}:{period_id}:{rid}",
                              "expected_fen": want, "ledger_fen": have, "delta_fen": have - want})
    return found


def _unexplained(session: Session) -> list[dict[str, Any]]:
    """Entries that are neither an inspection's pay nor a wage top-up: nothing justifies that money."""
    rows = session.exec(select(LedgerEntry).where(col(LedgerEntry.inspection_id).is_(None),
                                                  col(LedgerEntry.kind).not_in(EXPLAINED_KINDS))).all()
    return [{"scope": "unexplained", "id": r.entry_key, "expected_fen": 0, "ledger_fen": r.amount_fen,
             "delta_fen": r.amount_fen} for r in rows if r.amount_fen != 0]
