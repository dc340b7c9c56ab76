"""Loading the row a use case will change, locked for the rest of its transaction, or a 404 naming the id."""

from __future__ import annotations

from sqlmodel import Session

from store.tables import Lot
from usecases.errors import NotFound


def locked_lot(session: Session, lot_id: str) -> Lot:
    """The lot, locked (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers)."""
    lot = session.get(Lot, lot_id, with_for_update=True)
    if lot is None:
        raise NotFound("lot_id", f"no such lot: {lot_id}")
    return lot
