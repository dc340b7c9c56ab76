"""Loading the row a use case will change, locked for the rest of its transaction, or a 404 naming the id."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from domain.orders import lot_codes
from store.bulk import where_in
from store.tables import Community, Lot, Resident
from usecases.errors import NotFound


def locked_lot(session: Session, lot_id: str) -> Lot:
    """The lot, locked (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers).

    `lot_id` is the long id, or the short code a person typed (批次简码 '网兜-1129-03'; the newest lot of that code,
    as a code repeats only a year later). NotFound('lot_id') when neither names a lot.
    """
    lot = find_lot(session, lot_id, lock=True)
    if lot is None:
        raise NotFound("lot_id", f"no such lot: {lot_id}")
    return lot


def find_lot(session: Session, lot_id: str, *, lock: bool = False) -> Lot | None:
    """The lot by its long id or its short code (the newest lot of that code), or None; locked when `lock`."""
    lot = session.get(Lot, lot_id, with_for_update=lock)
    if lot is None and lot_codes.looks_like_short_code(lot_id):
        stmt = select(Lot).where(Lot.short_code == lot_codes.normalise(lot_id)).order_by(col(Lot.due_at).desc())
        lot = session.exec(stmt.limit(1).with_for_update() if lock else stmt.limit(1)).first()
    return lot


def locked_resident(session: Session, resident_id: str, *, field: str = "resident_id") -> Resident:
    """The resident, locked while their plate changes (an offer made, accepted or dispatched).

    Two transactions that each add work to the same person must not both judge her plate without the other's
    work (PostgreSQL runs them side by side; SQLite's BEGIN IMMEDIATE already serialises writers). Lock order
    everywhere: lots first, then residents.
    """
    resident = session.get(Resident, resident_id, with_for_update=True)
    if resident is None:
        raise NotFound(field, f"no such resident: {resident_id}")
    return resident


def posting_into_periods(session: Session, community_ids: list[str]) -> dict[str, Any]:
    """The communities' (id, period_kind) rows by id, share-locked (FOR SHARE on PostgreSQL, in id order) for the
    rest of the transaction: taken by every writer that picks the pay period a ledger line posts to (the earnings
    consumer, an adjustment) before it reads which periods are closed.

    Closing a period locks its community's row first (`held_from_postings`), so a close and a posting into
    that community wait for each other: a posting that began first is committed, and counted in the close's
    totals, before the close reads them; one that began later reads the period as closed and posts to the next.
    Without it, on PostgreSQL a batch priced before the close committed could commit its lines into the period after
    the close froze its total (the audit's closed_period_changed). Postings do not wait for each other (shared
    locks); SQLite's BEGIN IMMEDIATE already serialises writers.
    """
    if not community_ids:
        return {}
    rows = session.connection().execute(
        select(Community.id, Community.period_kind)
        .where(where_in(session, col(Community.id), sorted(set(community_ids))))
        .order_by(col(Community.id)).with_for_update(read=True)).all()
    return {row[0]: row for row in rows}


def held_from_postings(session: Session, community_id: str) -> Community | None:
    """The community, locked against postings into its pay periods (see `posting_into_periods`) for the rest of the
    transaction: taken first by what decides from the community's periods and their pay — closing a period, changing
    the kind of its periods — so that no posting's lines land in between; None when there is no such community.

    FOR NO KEY UPDATE: it waits for and holds off the postings' shared locks, but not the key-share locks that
    inserting a row referring to the community takes (a lot, a resident), which need not wait.
    """
    return session.get(Community, community_id, with_for_update={"key_share": True})
