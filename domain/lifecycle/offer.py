"""An offer's lifecycle (派单): pending until the resident answers, it lapses, or a coordinator withdraws it.

    pending ──accept──▶ accepted ──withdraw──▶ withdrawn
       │ └──decline──▶ declined
       ├──expire───▶ expired
       └──withdraw─▶ withdrawn
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from domain.lifecycle.machine import Machine


class OfferStatus(StrEnum):
    """Where an offer stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


_O = OfferStatus
LIVE_OFFER: tuple[OfferStatus, ...] = (_O.PENDING, _O.ACCEPTED)  # the lot is spoken for by this offer
MACHINE = Machine("an offer", OfferStatus, {
    "accept": (_O.PENDING,),
    "decline": (_O.PENDING,),
    "expire": (_O.PENDING,),
    "withdraw": LIVE_OFFER,
})


def accept(current: str, *, expires_at: datetime, now: datetime) -> OfferStatus:
    """pending → accepted, while the offer has not lapsed (`expires_at`, `now` aware)."""
    return MACHINE.move(current, "accept", _O.ACCEPTED, why="it expired" if expires_at <= now else "")


def decline(current: str, *, expires_at: datetime, now: datetime) -> OfferStatus:
    """pending → declined, while the offer has not lapsed."""
    return MACHINE.move(current, "decline", _O.DECLINED, why="it expired" if expires_at <= now else "")


def answer(current: str, decision: str, *, expires_at: datetime, now: datetime) -> OfferStatus:
    """The resident's answer, "accept" or "decline", as the offer's new status."""
    move = accept if decision == "accept" else decline
    return move(current, expires_at=expires_at, now=now)


def expire(current: str, *, expires_at: datetime, now: datetime) -> OfferStatus:
    """pending → expired, once `now` has reached `expires_at`."""
    return MACHINE.move(current, "expire", _O.EXPIRED, why="it has not expired yet" if now < expires_at else "")


def withdraw(current: str) -> OfferStatus:
    """pending or accepted → withdrawn (a coordinator takes the lot back, or its order ends)."""
    return MACHINE.move(current, "withdraw", _O.WITHDRAWN)
