"""Earnings: each inspection becomes append-only ledger entries (piece pay, bonus, reversals)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from schemas.envelope import Event
from schemas.events.pay import EarningPosted
from schemas.events.work import InspectionRecorded
from services.handlers.context import Context
from services.store.tables import Community, Inspection, LedgerEntry, Lot, Order, PayPeriod
from streams.domain.pay.ledger import EntryDraft, InspectionFact, entries_for_inspection
from streams.domain.pay.periods import PeriodPolicy, posting_period


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The earnings consumer's handler: inspections in, ledger entries and EarningPosted out."""
    return [out for e in events if isinstance(e, InspectionRecorded) for out in post_earnings(session, e, ctx)]


def post_earnings(session: Session, event: InspectionRecorded, ctx: Context) -> list[Event]:
    inspection = session.get(Inspection, event.inspection_id)
    if inspection is None:
        raise LookupError(f"inspection {event.inspection_id} not in the database")
    fact = inspection_fact(session, inspection)
    prior = ledger_drafts(session, inspection.lot_id) if inspection.corrects_inspection_id else []
    policy = period_policy(session, fact.community_id)
    closed = set(session.exec(select(PayPeriod.period_id).where(PayPeriod.community_id == fact.community_id)))
    period = posting_period(inspection.inspected_at, closed, policy)
    drafts = entries_for_inspection(fact, prior_entries_of_corrected=prior, period_id=period.period_id)
    existing = set(session.exec(select(LedgerEntry.entry_key).where(
        col(LedgerEntry.entry_key).in_([d.entry_key for d in drafts]))))
    fresh = [d for d in drafts if d.entry_key not in existing]
    session.add_all(LedgerEntry(posted_at=ctx.now, kind=d.entry_kind, **_row(d)) for d in fresh)
    if not fresh:
        return []
    return [EarningPosted(**ctx.envelope(fact.community_id), inspection_id=inspection.id,
                          resident_id=inspection.resident_id, entry_keys=[d.entry_key for d in fresh],
                          amount_fen=sum(d.amount_fen for d in fresh), period_id=period.period_id)]


def inspection_fact(session: Session, inspection: Inspection) -> InspectionFact:
    """The pay-relevant facts of an inspection, as the pure pay domain wants them."""
    lot = session.get(Lot, inspection.lot_id)
    assert lot is not None
    order = session.get(Order, lot.order_id)
    assert order is not None
    return InspectionFact(
        inspection_id=inspection.id, lot_id=lot.id, order_id=order.id, enterprise_id=order.enterprise_id,
        resident_id=inspection.resident_id, community_id=lot.community_id, passed=inspection.passed,
        rejected=inspection.rejected, piece_rate_fen=inspection.piece_rate_fen,
        quality_bonus_fen_per_piece=inspection.quality_bonus_fen_per_piece,
        inspected_at=inspection.inspected_at, corrects_inspection_id=inspection.corrects_inspection_id)


def ledger_drafts(session: Session, lot_id: str) -> list[EntryDraft]:
    """A lot's ledger entries back as drafts (the reversal logic works on drafts)."""
    rows = session.exec(select(LedgerEntry).where(LedgerEntry.lot_id == lot_id)).all()
    return [to_draft(r) for r in rows]


def to_draft(r: LedgerEntry) -> EntryDraft:
    return EntryDraft(entry_kind=r.kind, resident_id=r.resident_id,  # type: ignore[arg-type]
                      order_id=r.order_id, enterprise_id=r.enterprise_id, community_id=r.community_id,
                      lot_id=r.lot_id, inspection_id=r.inspection_id, pieces=r.pieces, rate_fen=r.rate_fen,
                      amount_fen=r.amount_fen, period_id=r.period_id, reverses_entry_key=r.reverses_entry_key,
                      entry_key=r.entry_key, memo=r.memo)


def period_policy(session: Session, community_id: str) -> PeriodPolicy:
    community = session.get(Community, community_id)
    return PeriodPolicy(kind=community.period_kind if community else "half_month")  # type: ignore[arg-type]


def _row(d: EntryDraft) -> dict[str, object]:
    return {k: getattr(d, k) for k in ("entry_key", "resident_id", "order_id", "enterprise_id", "community_id",
                                       "lot_id", "inspection_id", "pieces", "rate_fen", "amount_fen",
                                       "period_id", "reverses_entry_key", "memo")}
