"""An order's lifecycle (订单): open until a lot is accepted, then in progress until it ends one of three ways.

    open ──accept a lot──▶ in_progress ──settle (all lots done)──▶ fulfilled
      │                      │   ▲                                    │
      │                      │   └──settle (a correction sent pieces back for rework)
      ├──cancel / expire ────┴──▶ cancelled | expired ──settle (all lots done, none expired)──▶ fulfilled

Fulfilled: every lot is done, i.e. every piece of the order passed inspection or was finally rejected
(rejected without rework). A finally rejected piece is delivered and failed: it is not made again, the
enterprise does not pay for it, and the order's pass rate shows it; so an order whose pieces have all
passed is fulfilled, and so is one whose last pieces were rejected for good.

Expired: the due date passed before every lot was done. Its lots with no materials out (open, offered,
escalated, accepted) expire too and pending offers are withdrawn, their holders told; lots in work go on,
so their pieces are still handed in, inspected and paid. The order stays expired, unless every lot was in
work when it expired and all of them get done: then all its pieces were made, late, and it is fulfilled.
Cancelled: the enterprise cancelled it; its lots go as on expiry, and it stays cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.lifecycle.machine import Machine


class OrderStatus(StrEnum):
    """Where an order stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


_O = OrderStatus
LIVE_ORDER: tuple[OrderStatus, ...] = (_O.OPEN, _O.IN_PROGRESS)  # takes work: matched, re-priced, accepted
MACHINE = Machine("an order", OrderStatus, {
    "accept a lot of": LIVE_ORDER,
    "re-price": LIVE_ORDER,
    "cancel": LIVE_ORDER,
    "expire": LIVE_ORDER,
    # Inspections go on in lots still in work after an order was cancelled or expired; those keep their status.
    "settle": (_O.IN_PROGRESS, _O.FULFILLED, _O.CANCELLED, _O.EXPIRED),
})


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderProgress:
    """How far an order's lots are: `lots` in all, `lots_done` of them done."""

    lots: int
    lots_done: int

    @property
    def all_done(self) -> bool:
        """Every lot is done (an order with no lots yet is not)."""
        return self.lots > 0 and self.lots_done >= self.lots


def accept_lot(current: str) -> OrderStatus:
    """open or in progress → in progress: a resident accepted one of its lots."""
    return MACHINE.move(current, "accept a lot of", _O.IN_PROGRESS)


def check_reprice(current: str) -> OrderStatus:
    """Only an order that still takes work can get a new piece rate; returns its status."""
    return MACHINE.check(current, "re-price")


def takes_work(current: str) -> bool:
    """True while the order's lots may be matched, offered and accepted."""
    return current in LIVE_ORDER


def cancel(current: str) -> OrderStatus:
    """open or in progress → cancelled."""
    return MACHINE.move(current, "cancel", _O.CANCELLED)


def expire(current: str, *, due_at: datetime, now: datetime) -> OrderStatus:
    """open or in progress → expired, once `now` has reached the due date (`due_at`, both aware)."""
    early = f"it is not due until {due_at.isoformat()}" if now < due_at else ""
    return MACHINE.move(current, "expire", _O.EXPIRED, why=early)


def settle(current: str, progress: OrderProgress) -> OrderStatus:
    """After an inspection: fulfilled when every lot is done; in progress again if a correction reopened a lot.

    A cancelled order stays cancelled while its lots in work finish; an expired one stays expired until every
    lot is done (an expired lot never is).
    """
    status = MACHINE.check(current, "settle")
    if status is _O.CANCELLED:
        return status
    if progress.all_done:
        return _O.FULFILLED
    return _O.EXPIRED if status is _O.EXPIRED else _O.IN_PROGRESS
