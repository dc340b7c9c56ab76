"""Loading the row a use case will change, locked for the rest of its transaction, or a 404 naming the id."""

from __future__ import annotations

from sqlmodel import Session

from store.tables import Lot, Resident
from usecases.errors import NotFound


def locked_lot(session: Session, lot_id: str) -> Lot:
    """The lot, locked (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers)."""
    lot = session.get(Lot, lot_id, with_for_update=True)
    if lot is None:
        raise NotFound("lot_id", f"no such lot: {lot_id}")
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
