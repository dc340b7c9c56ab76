"""Reading the rows the invariant checks need, column by column, from one consistent snapshot."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Select, case, func, not_, text
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from domain.invariants.rows import ClosedPeriod, EntryRow, LotRecords, LotRow, OfferRow, OrderRow, ResidentRow
from domain.lifecycle.submission import SubmissionStatus
from domain.pay import next_period, period_by_id
from domain.pay.ledger_days import FIGURES, DayKey, DayTotals
from domain.pay.ledger_periods import PeriodKey, PeriodTotals
from domain.pay.lot_paid import LotPaidKey
from domain.points.month_totals import MonthKey
from store.bulk import where_in
from store.tables import (
    AppliedEvent,
    Inspection,
    LedgerDay,
    LedgerEntry,
    LedgerPeriod,
    Lot,
    LotPaid,
    MaterialIssue,
    Offer,
    Order,
    OutboxEvent,
    Payout,
    PayPeriod,
    PointEntry,
    PointMonth,
    Product,
    Resident,
    Submission,
)
from usecases.queries.period_work import community_policy

EARNINGS_CONSUMER = "earnings"  # usecases.routing.HANDLERS' name for the consumer that posts pay
INSPECTION_EVENT = "work.inspection_recorded"


def columns(*attributes: Any) -> Select[Any]:
    """A SELECT of many columns (sqlmodel's `select` is typed for at most four)."""
    return sa_select(*(col(a) for a in attributes))


@contextmanager
def snapshot(engine: Engine) -> Iterator[Session]:
    """A read-only session that sees one moment: SQLite's deferred transaction (WAL) is a snapshot already;
    PostgreSQL needs REPEATABLE READ, or each query would see a later moment than the one before."""
    options: dict[str, object] = {"mf_readonly": True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with Session(engine.execution_options(**options), expire_on_commit=False) as session:
        yield session


def orders(session: Session) -> list[OrderRow]:
    """Every order with its product's skill and standard minutes."""
    rows = session.execute(columns(Order.id, Order.status, Order.quantity, Order.min_level, Product.skill,
                               Product.standard_minutes_per_piece)
                        .join(Product, col(Product.code) == Order.product_code)).all()
    return [OrderRow(id=i, status=s, quantity=q, min_level=m, skill=k, standard_minutes_per_piece=float(t))
            for i, s, q, m, k, t in rows]


def lots(session: Session) -> list[LotRow]:
    """Every lot with its stored counters."""
    rows = session.execute(columns(Lot.id, Lot.order_id, Lot.status, Lot.pieces, Lot.due_at, Lot.resident_id,
                               Lot.accepted_at, Lot.pieces_issued, Lot.pieces_submitted, Lot.pieces_resubmitted,
                               Lot.pieces_pending, Lot.pieces_passed, Lot.pieces_rejected)).all()
    return [LotRow(*row) for row in rows]


def lot_records(session: Session) -> dict[str, LotRecords]:
    """Each lot's counters summed from its issues, submissions and current inspections."""
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lot_id, issued, unused in session.exec(select(MaterialIssue.lot_id, func.sum(MaterialIssue.pieces),
                                                      func.sum(MaterialIssue.unused_returned))
                                               .group_by(col(MaterialIssue.lot_id))):
        sums[lot_id]["issued"] = int(issued or 0) - int(unused or 0)
    pending = func.sum(case((col(Submission.status) == SubmissionStatus.PENDING, col(Submission.pieces)), else_=0))
    for lot_id, handed_in, waiting in session.exec(select(Submission.lot_id, func.sum(Submission.pieces), pending)
                                                   .group_by(col(Submission.lot_id))):
        sums[lot_id]["handed_in"], sums[lot_id]["pending"] = int(handed_in or 0), int(waiting or 0)
    final = func.sum(case((col(Inspection.rework) == False, col(Inspection.rejected)), else_=0))  # noqa: E712
    for lot_id, passed, rejected in session.exec(select(Inspection.lot_id, func.sum(Inspection.passed), final)
                                                 .where(col(Inspection.superseded) == False)  # noqa: E712
                                                 .group_by(col(Inspection.lot_id))):
        sums[lot_id]["passed"], sums[lot_id]["rejected_final"] = int(passed or 0), int(rejected or 0)
    return {lot_id: LotRecords(**counts) for lot_id, counts in sums.items()}


def offers(session: Session) -> list[OfferRow]:
    """Every offer, with its recorded minutes and overrides."""
    rows = session.execute(columns(Offer.id, Offer.lot_id, Offer.resident_id, Offer.status, Offer.pieces,
                               Offer.offered_at, Offer.work_minutes, Offer.override_rules, Offer.override_reason))
    return [OfferRow(id=i, lot_id=lot, resident_id=r, status=s, pieces=p, offered_at=at, work_minutes=wm,
                     override_rules=tuple(str(x) for x in (rules or ())), override_reason=reason)
            for i, lot, r, s, p, at, wm, rules, reason in rows]


def residents(session: Session, wanted: set[str]) -> dict[str, ResidentRow]:
    """The residents named (those with live commitments)."""
    found: dict[str, ResidentRow] = {}
    for r in session.execute(columns(Resident.id, Resident.max_open_lots, Resident.skills, Resident.availability,
                                 Resident.pieces_per_hour)):
        if r[0] in wanted:
            found[r[0]] = ResidentRow(
                id=r[0], max_open_lots=r[1], skills={k: int(v) for k, v in (r[2] or {}).items()},
                availability=tuple((int(d), int(a), int(b)) for d, a, b in (r[3] or ())),
                pieces_per_hour={k: float(v) for k, v in (r[4] or {}).items()})
    return found


def entries(session: Session) -> list[EntryRow]:
    """Every ledger line."""
    rows = session.execute(columns(LedgerEntry.entry_key, LedgerEntry.kind, LedgerEntry.resident_id,
                               LedgerEntry.community_id, LedgerEntry.period_id, LedgerEntry.pieces,
                               LedgerEntry.amount_fen, LedgerEntry.posted_at, LedgerEntry.reverses_entry_key,
                               LedgerEntry.rate_centifen, LedgerEntry.lot_id))
    return [EntryRow(*row) for row in rows]


def ledger_days(session: Session) -> dict[DayKey, DayTotals]:
    """Every row of the ledger's daily read model (ledger_day), by (local day, community, resident)."""
    rows = session.execute(columns(LedgerDay.day, LedgerDay.community_id, LedgerDay.resident_id,
                                   *(getattr(LedgerDay, name) for name in FIGURES)))
    return {(day, community, resident): DayTotals(*(int(v) for v in figures))
            for day, community, resident, *figures in rows}


def ledger_periods(session: Session) -> dict[PeriodKey, PeriodTotals]:
    """Every row of the ledger's per-period read model (ledger_period): (community, period, resident) → its line
    count and amount (fen)."""
    rows = session.execute(columns(LedgerPeriod.community_id, LedgerPeriod.period_id, LedgerPeriod.resident_id,
                                   LedgerPeriod.lines, LedgerPeriod.amount_fen))
    return {(community, period, resident): PeriodTotals(int(lines), int(fen))
            for community, period, resident, lines, fen in rows}


def lot_paid(session: Session) -> dict[LotPaidKey, int]:
    """Every row of the ledger's per-lot read model (lot_paid): (lot, resident, rate in centifen) → passed pieces."""
    rows = session.execute(columns(LotPaid.lot_id, LotPaid.resident_id, LotPaid.rate_centifen, LotPaid.pieces))
    return {(lot, resident, int(rate)): int(pieces) for lot, resident, rate, pieces in rows}


def point_lines(session: Session) -> list[tuple[str, str, str, int]]:
    """Every points ledger line as (kind, resident_id, month "YYYY-MM", uncapped points)."""
    rows = session.execute(columns(PointEntry.kind, PointEntry.resident_id, PointEntry.month, PointEntry.uncapped))
    return [(kind, resident, month, int(uncapped)) for kind, resident, month, uncapped in rows]


def point_months(session: Session) -> dict[MonthKey, int]:
    """Every row of the points ledger's monthly read model (point_month): (resident, month) → uncapped points."""
    rows = session.execute(columns(PointMonth.resident_id, PointMonth.month, PointMonth.uncapped))
    return {(resident, month): int(uncapped) for resident, month, uncapped in rows}


def closed_periods(session: Session) -> list[ClosedPeriod]:
    """Every closed (or paid) pay period, with the id of the period after it in its community's calendar."""
    out = []
    for p in session.exec(select(PayPeriod)):
        policy = community_policy(session, p.community_id)
        out.append(ClosedPeriod(community_id=p.community_id, period_id=p.period_id, total_fen=p.total_fen,
                                closed_at=p.closed_at,
                                next_period_id=next_period(period_by_id(p.period_id, policy), policy).period_id))
    return out


def payouts(session: Session) -> dict[tuple[str, str], int]:
    """Money paid per (resident, period)."""
    rows = session.exec(select(Payout.resident_id, Payout.period_id, func.sum(Payout.amount_fen))
                        .group_by(col(Payout.resident_id), col(Payout.period_id)))
    return {(r, p): int(total or 0) for r, p, total in rows}


def ledger_refuses_rewrites(session: Session) -> bool:
    """Whether the append-only triggers of migration 0002 are on the ledger (and enabled, on PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        names = set(session.exec(text(  # type: ignore[call-overload]
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger_entry'::regclass "
            "AND NOT tgisinternal AND tgenabled <> 'D'")).scalars())
        return {"ledger_entry_append_only", "ledger_entry_no_truncate"} <= names
    names = set(session.exec(text(  # type: ignore[call-overload]
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_entry'")).scalars())
    return {"ledger_entry_no_update", "ledger_entry_no_delete"} <= names


def inspections_in_flight(session: Session) -> set[str]:
    """Inspections whose event the earnings consumer has not applied yet (their pay is still on its way).

    Only events not yet settled by every consumer can be in flight, so the settled index keeps this small — but
    not always: stopped mid-backlog (a benchmark's 100,000 inspections) it is every event, so the ids go as one
    array parameter (store.bulk.where_in; PostgreSQL takes at most 65,535 parameters a statement).
    """
    pending: dict[str, str] = {}
    for event_id, payload in session.exec(select(OutboxEvent.event_id, OutboxEvent.payload).where(
            OutboxEvent.type == INSPECTION_EVENT, not_(col(OutboxEvent.settled)))):  # ix_outbox_unsettled
        pending[event_id] = str(json.loads(payload).get("inspection_id", ""))
    if not pending:
        return set()
    applied = set(session.exec(select(AppliedEvent.event_id).where(
        AppliedEvent.consumer == EARNINGS_CONSUMER, where_in(session, col(AppliedEvent.event_id), list(pending)))))
    return {inspection for event_id, inspection in pending.items() if event_id not in applied}


def touched_by(session: Session, inspection_ids: set[str]) -> set[tuple[str, str]]:
    """The (scope, id) totals that inspections in flight may still change: their residents, orders, enterprises."""
    if not inspection_ids:
        return set()
    rows = session.exec(select(Inspection.resident_id, Order.id, Order.enterprise_id)
                        .join(Lot, col(Lot.id) == Inspection.lot_id).join(Order, col(Order.id) == Lot.order_id)
                        .where(where_in(session, col(Inspection.id), sorted(inspection_ids))))
    found: set[tuple[str, str]] = set()
    for resident_id, order_id, enterprise_id in rows:
        found |= {("resident", resident_id), ("order", order_id), ("enterprise", enterprise_id)}
    return found
