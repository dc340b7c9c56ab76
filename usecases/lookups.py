"""Loading the row a use case will change, locked for the rest of its transaction, or a 404 naming the id."""

from __future__ import annotations

from sqlmodel import Session, col, select

from domain.orders import lot_codes
from store.tables import Lot, Resident
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
