"""Earnings: each inspection becomes append-only ledger entries (piece pay, bonus, reversals).

A batch is priced with a handful of queries, whatever its size: inspections, lots, orders,
communities, closed periods and existing entry keys are each loaded once for the whole batch,
and the new entries go in with one bulk INSERT. Events are still handled in order, so a
correction later in a batch sees the entries of the inspection it corrects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from domain.pay.ledger import EntryDraft, InspectionFact, entries_for_inspection
from domain.pay.lot_paid import by_lot
from domain.pay.model import counts_passed_pieces, entry_key_for, keys_a_correction_reads
from domain.pay.periods import PeriodPolicy, period_for, posting_period
from schemas.envelope import Event
from schemas.events.pay import EarningsPosted
from schemas.events.work import InspectionRecorded
from store import tables
from store.bulk import where_in
from store.ledger import append_entries
from store.tables import Inspection, LedgerEntry, Lot, Order
from usecases.context import Context
from usecases.lookups import posting_into_periods

INSPECTION_COLUMNS = (Inspection.id, Inspection.lot_id, Inspection.resident_id, Inspection.passed, Inspection.rejected,
                      Inspection.piece_rate_centifen, Inspection.quality_bonus_fen_per_piece, Inspection.inspected_at,
                      Inspection.corrects_inspection_id)  # last: corrected_first reads it as row[-1]


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The earnings consumer's handler: inspections in, ledger entries and EarningsPosted out."""
    inspections = [e for e in events if isinstance(e, InspectionRecorded)]
    if not inspections:
        return []
    ids = [e.inspection_id for e in inspections]
    loaded = _by_id(session, INSPECTION_COLUMNS, ids)  # loaded once: to order the corrections, then to price
    in_order = corrected_first(session, ids, loaded)
    batch = BatchFacts.load(session, in_order, loaded)
    postings: dict[str, list[dict[str, Any]]] = {}
    rows: list[tuple[Any, ...]] = []
    now = ctx.now
    for inspection_id in in_order:
        posted = batch.price(inspection_id)
        if posted is None:
            continue
        fact, period_id, fresh = posted
        keys = []
        amount_fen = 0
        for d in fresh:  # one pass for the rows and the posting (a comprehension and a sum each cost more)
            rows.append(ledger_row(d, now))
            keys.append(d.entry_key)
            amount_fen += d.amount_fen
        postings.setdefault(fact.community_id, []).append(
            {"inspection_id": inspection_id, "resident_id": fact.resident_id, "entry_keys": keys,
             "amount_fen": amount_fen, "period_id": period_id})
    append_entries(session, rows)  # and the daily read model, in this transaction
    return announcements(postings, ctx)


def announcements(postings: dict[str, list[dict[str, Any]]], ctx: Context) -> list[Event]:
    """One EarningsPosted per community, split so that none holds more than MAX_POSTINGS inspections."""
    size = EarningsPosted.MAX_POSTINGS
    return [EarningsPosted.model_validate({**ctx.envelope(community_id), "postings": items[i:i + size]})
            for community_id, items in postings.items() for i in range(0, len(items), size)]


def corrected_first(session: Session, inspection_ids: list[str], rows: dict[str, Any]) -> list[str]:
    """The batch's inspections, each correction preceded by the unpaid inspection it corrects.

    `rows` holds the batch's inspection rows (INSPECTION_COLUMNS) by id; the rows of the originals put first
    are added to it. A redelivery after a crash can bring a correction before its original; the original is
    in the database already, so it is paid first (its own event, when it comes, then finds nothing new).
    """
    pending = list(inspection_ids)
    asked: set[str] = set()
    while True:
        ask = sorted(set(pending) - asked)
        asked.update(ask)
        rows.update(_by_id(session, INSPECTION_COLUMNS, [i for i in ask if i not in rows]))
        # corrects_inspection_id is the rows' last column
        targets = {i: target for i in ask if (row := rows.get(i)) is not None and (target := row[-1]) is not None}
        if not targets:
            break
        # An applied inspection's piece pay is in the ledger (written even for 0 passed, with all its entries in
        # one transaction): found by its unique key, as the ledger has no index by inspection (issue 19).
        piece_pay = {entry_key_for(t, "piece_pay"): t for t in set(targets.values())}
        paid = {piece_pay[k] for k in _rows_in(session, select(LedgerEntry.entry_key), LedgerEntry.entry_key,
                                               sorted(piece_pay))}
        queued = set(pending)
        missing = list(dict.fromkeys(t for i in ask if (t := targets.get(i)) and t not in paid and t not in queued))
        if not missing:
            break
        pending = missing + pending  # a chain of corrections resolves one link per round
    return list(dict.fromkeys(pending))


def post_earnings(session: Session, event: InspectionRecorded, ctx: Context) -> list[Event]:
    """One inspection's entries (the batch path with a batch of one)."""
    return apply(session, [event], ctx)


@dataclass
class BatchFacts:
    """Everything a batch of inspections needs to be priced, loaded in a few queries."""

    inspections: dict[str, Any]  # rows of the columns pricing needs (loading whole ORM objects costs more)
    lots: dict[str, Any]
    orders: dict[str, Any]
    policies: dict[str, PeriodPolicy]
    closed: dict[str, set[str]]
    reads: set[str]  # the keys the batch's corrections read
    corrected: dict[str, EntryDraft]  # the entries with those keys, from the ledger and then from this batch
    taken: set[str]  # entry keys already in the ledger or posted in this batch
    # lot → (resident, rate in centifen) → passed pieces the ledger pays, net of reversals: where each piece-pay
    # posting starts from, so a lot's postings add up to its pieces × rate rounded once (domain.pay.money)
    lot_paid: dict[str, dict[tuple[str, int], int]] = field(default_factory=dict)
    # natural period (its bounds in UTC) → the period it posts to
    periods: dict[str, list[tuple[datetime, datetime, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, inspection_ids: list[str], inspections: dict[str, Any]) -> BatchFacts:
        """The facts for pricing these inspections, whose rows (INSPECTION_COLUMNS, by id) the caller loaded."""
        missing = [i for i in inspection_ids if i not in inspections]
        if missing:
            raise LookupError(f"inspection {missing[0]} not in the database")
        lots = _by_id(session, (Lot.id, Lot.order_id, Lot.community_id), [i.lot_id for i in inspections.values()])
        orders = _by_id(session, (Order.id, Order.enterprise_id), [lot.order_id for lot in lots.values()])
        community_ids = sorted({lot.community_id for lot in lots.values()})
        # share-locked before the closed periods are read: a close of one of them waits for this batch, or this
        # batch for the close (usecases.lookups.posting_into_periods)
        kinds = posting_into_periods(session, community_ids)
        policies = {cid: PeriodPolicy(kind=kinds[cid].period_kind if cid in kinds else "half_month")
                    for cid in community_ids}
        closed: dict[str, set[str]] = {cid: set() for cid in community_ids}
        for cid, period_id in _rows_in(session, select(tables.PayPeriod.community_id, tables.PayPeriod.period_id),
                                       tables.PayPeriod.community_id, community_ids):
            closed[cid].add(period_id)
        targets = {i.corrects_inspection_id for i in inspections.values() if i.corrects_inspection_id}
        reads = {k for target in targets for k in keys_a_correction_reads(target)}
        corrected = {e.entry_key: to_draft(e)
                     for e in _rows_in(session, select(LedgerEntry), LedgerEntry.entry_key, sorted(reads))}
        # The keys that can stop a posting (issue 19: found in the unique index; the ledger has no index by
        # inspection, one B-tree insert less a line). An inspection posts its own entries (piece pay always, even
        # for 0 passed) and the reversals of its target's, all in one transaction: if its piece pay is in the ledger
        # `price` posts nothing of it, and if not none of its own entries are; the reversals' keys are among
        # `reads`, the ones taken in `corrected`.
        taken = set(_rows_in(session, select(LedgerEntry.entry_key), LedgerEntry.entry_key,
                             [entry_key_for(i, "piece_pay") for i in inspection_ids]))
        taken.update(corrected)
        return cls(inspections, lots, orders, policies, closed, reads, corrected, taken,
                   lot_pieces_paid(session, sorted(lots)))

    def price(self, inspection_id: str) -> tuple[InspectionFact, str, list[EntryDraft]] | None:
        """The fact, period and fresh entries of one inspection; None when all its entries are already posted."""
        taken = self.taken
        if entry_key_for(inspection_id, "piece_pay") in taken:
            return None  # applied before (its entries went in together): priced from today's count it would differ
        fact = self.fact(inspection_id)
        target = fact.corrects_inspection_id
        prior = [self.corrected[k] for k in keys_a_correction_reads(target) if k in self.corrected] if target else []
        period_id = self.posting(fact.community_id, fact.inspected_at)
        paid = self.lot_paid.get(fact.lot_id)
        if paid is None:
            paid = self.lot_paid[fact.lot_id] = {}
        drafts = entries_for_inspection(fact, prior_entries_of_corrected=prior, period_id=period_id,
                                        lot_pieces_paid=paid)
        fresh = []
        for d in drafts:
            key = d.entry_key
            if key in taken:
                continue
            taken.add(key)
            fresh.append(d)
            if counts_passed_pieces(d):  # entries already in the ledger were counted when loaded
                group = (d.resident_id, d.rate_centifen)
                paid[group] = paid.get(group, 0) + d.pieces
        if self.reads:  # a later correction in this batch may read what this one posted
            self.corrected.update((d.entry_key, d) for d in fresh if d.entry_key in self.reads)
        return (fact, period_id, fresh) if fresh else None

    def posting(self, community_id: str, instant: datetime) -> str:
        """The period an entry posts to; computed once per community and natural period of the batch."""
        # Bounds kept in UTC, like the inspection times: comparing datetimes of two zones asks the zone for its
        # offset each time (≈ 1.7 µs a comparison against 0.1).
        for starts_at, ends_at, posted in self.periods.setdefault(community_id, []):
            if starts_at <= instant < ends_at:
                return posted
        policy = self.policies[community_id]
        posted = posting_period(instant, self.closed[community_id], policy).period_id
        natural = period_for(instant, policy)
        self.periods[community_id].append((natural.starts_at.astimezone(UTC), natural.ends_at.astimezone(UTC), posted))
        return posted

    def fact(self, inspection_id: str) -> InspectionFact:
        """The pay-relevant facts of an inspection, as the pure pay domain wants them."""
        # Unpacked in INSPECTION_COLUMNS order: a row's attributes by name cost more than the rest of pricing.
        _, lot_id, resident_id, passed, rejected, rate, bonus, at, corrects = self.inspections[inspection_id]
        _, order_id, community_id = self.lots[lot_id]
        return InspectionFact(
            inspection_id=inspection_id, lot_id=lot_id, order_id=order_id, enterprise_id=self.orders[order_id][1],
            resident_id=resident_id, community_id=community_id, passed=passed, rejected=rejected,
            piece_rate_centifen=rate, quality_bonus_fen_per_piece=bonus, inspected_at=at,
            corrects_inspection_id=corrects)


def lot_pieces_paid(session: Session, lot_ids: list[str]) -> dict[str, dict[tuple[str, int], int]]:
    """lot → (resident, rate in centifen) → passed pieces of those lots the ledger pays, net of reversals.

    Read from the per-lot read model (lot_paid, issue 19: store.ledger.append_entries keeps it in each append's
    transaction), one row per (lot, resident, rate) found by its key, so the read costs the same whatever the
    lots' history. A lot the ledger pays nothing on is absent.
    """
    lot_paid = tables.LotPaid
    query = select(col(lot_paid.lot_id), col(lot_paid.resident_id), col(lot_paid.rate_centifen), col(lot_paid.pieces))
    return by_lot(_rows_in(session, query, lot_paid.lot_id, lot_ids))


def to_draft(r: LedgerEntry) -> EntryDraft:
    return EntryDraft(entry_kind=r.kind, resident_id=r.resident_id,  # type: ignore[arg-type]
                      order_id=r.order_id, enterprise_id=r.enterprise_id, community_id=r.community_id,
                      lot_id=r.lot_id, inspection_id=r.inspection_id, pieces=r.pieces, rate_centifen=r.rate_centifen,
                      amount_fen=r.amount_fen, period_id=r.period_id, reverses_entry_key=r.reverses_entry_key,
                      entry_key=r.entry_key, memo=r.memo)


def _by_id(session: Session, columns: tuple[Any, ...], ids: Iterable[str]) -> dict[str, Any]:
    """Rows of these columns by their first column (the primary key)."""
    return {row[0]: row for row in _rows_in(session, select(*columns), columns[0], sorted(set(ids)))}


def _rows_in(session: Session, query: Any, column: Any, values: list[str]) -> list[Any]:
    """Rows of `query` whose `column` is one of `values` (the list goes to the database as one parameter).

    Run as a Core statement on the session's connection: the ORM's result machinery cost more than the
    query for the thousands of rows a batch loads. A one-column query gives its values, not rows.
    """
    if not values:
        return []
    result = session.connection().execute(query.where(where_in(session, col(column), values)))
    return list(result.scalars().all() if len(query.selected_columns) == 1 else result.all())


def ledger_row(d: EntryDraft, posted_at: datetime) -> tuple[Any, ...]:
    """A draft as a ledger_entry row, in store.ledger.LEDGER_COLUMNS order."""
    return (d.entry_key, d.entry_kind, d.resident_id, d.order_id, d.enterprise_id, d.community_id, d.lot_id,
            d.inspection_id, d.pieces, d.rate_centifen, d.amount_fen, d.period_id, d.reverses_entry_key, d.memo,
            posted_at)
