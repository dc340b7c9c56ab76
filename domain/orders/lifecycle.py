"""Status machines for orders and lots: which event may move which status where."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar, overload


class OrderStatus(StrEnum):
    """Where an order stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class OrderEvent(StrEnum):
    """What can happen to an order."""

    LOT_ACCEPTED = "lot_accepted"
    ALL_LOTS_DONE = "all_lots_done"
    CANCELLED = "cancelled"
    DUE_PASSED = "due_passed"


class LotStatus(StrEnum):
    """Where a lot stands."""

    OPEN = "open"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    ISSUED = "issued"
    SUBMITTED = "submitted"
    INSPECTED = "inspected"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    ESCALATED = "escalated"


class LotEvent(StrEnum):
    """What can happen to a lot."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    OFFER_EXPIRED = "offer_expired"
    MATERIALS_ISSUED = "materials_issued"
    OUTPUT_SUBMITTED = "output_submitted"
    INSPECTION_RECORDED = "inspection_recorded"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"
    ESCALATED = "escalated"
    RESUMED = "resumed"
    CANCELLED = "cancelled"


_O, _OE = OrderStatus, OrderEvent
ORDER_TRANSITIONS: dict[tuple[OrderStatus, OrderEvent], OrderStatus] = {
    (_O.OPEN, _OE.LOT_ACCEPTED): _O.IN_PROGRESS,
    (_O.OPEN, _OE.CANCELLED): _O.CANCELLED,
    (_O.OPEN, _OE.DUE_PASSED): _O.EXPIRED,
    (_O.IN_PROGRESS, _OE.LOT_ACCEPTED): _O.IN_PROGRESS,
    (_O.IN_PROGRESS, _OE.ALL_LOTS_DONE): _O.FULFILLED,
    (_O.IN_PROGRESS, _OE.CANCELLED): _O.CANCELLED,
    (_O.IN_PROGRESS, _OE.DUE_PASSED): _O.EXPIRED,
}

_L, _LE = LotStatus, LotEvent
LOT_TRANSITIONS: dict[tuple[LotStatus, LotEvent], LotStatus] = {
    (_L.OPEN, _LE.OFFERED): _L.OFFERED,
    (_L.OFFERED, _LE.ACCEPTED): _L.ACCEPTED,
    # A declined or lapsed offer puts the lot back in the pool to be re-matched.
    (_L.OFFERED, _LE.DECLINED): _L.OPEN,
    (_L.OFFERED, _LE.OFFER_EXPIRED): _L.OPEN,
    (_L.ACCEPTED, _LE.MATERIALS_ISSUED): _L.ISSUED,
    (_L.ISSUED, _LE.OUTPUT_SUBMITTED): _L.SUBMITTED,
    # Partial submissions: more output may arrive before and after an inspection.
    (_L.SUBMITTED, _LE.OUTPUT_SUBMITTED): _L.SUBMITTED,
    (_L.SUBMITTED, _LE.INSPECTION_RECORDED): _L.INSPECTED,
    (_L.INSPECTED, _LE.OUTPUT_SUBMITTED): _L.SUBMITTED,
    (_L.INSPECTED, _LE.COMPLETED): _L.DONE,
    # Coordinator overrides (代办/改派): withdraw, then re-open for matching.
    **{(s, _LE.WITHDRAWN): _L.WITHDRAWN for s in (_L.OFFERED, _L.ACCEPTED, _L.ISSUED, _L.ESCALATED)},
    (_L.WITHDRAWN, _LE.REOPENED): _L.OPEN,
    **{(s, _LE.ESCALATED): _L.ESCALATED for s in (_L.ISSUED, _L.SUBMITTED, _L.INSPECTED)},
    (_L.ESCALATED, _LE.RESUMED): _L.ISSUED,
    # Output already submitted must still be inspected and paid, so those lots cannot be cancelled.
    **{
        (s, _LE.CANCELLED): _L.CANCELLED
        for s in (_L.OPEN, _L.OFFERED, _L.ACCEPTED, _L.ISSUED, _L.WITHDRAWN, _L.ESCALATED)
    },
}


_S = TypeVar("_S", OrderStatus, LotStatus)


class InvalidTransition(ValueError):
    """An event that the current status does not allow; the message says what would be."""

    def __init__(self, current: str, event: str, allowed: list[str], what: str) -> None:
        self.current, self.event, self.allowed = current, event, allowed
        options = ", ".join(allowed) if allowed else "nothing (final status)"
        super().__init__(f"cannot apply {event!r} to {what} that is {current!r}; allowed: {options}")


@overload
def next_status(current: OrderStatus, event_kind: OrderEvent | str) -> OrderStatus: ...
@overload
def next_status(current: LotStatus, event_kind: LotEvent | str) -> LotStatus: ...
def next_status(
    current: OrderStatus | LotStatus, event_kind: OrderEvent | LotEvent | str
) -> OrderStatus | LotStatus:
    """The status after `event_kind`, or InvalidTransition saying why not."""
    if isinstance(current, OrderStatus):
        return _step(current, event_kind, ORDER_TRANSITIONS, "an order")
    return _step(current, event_kind, LOT_TRANSITIONS, "a lot")


def allowed_events(current: OrderStatus | LotStatus) -> list[str]:
    """Events `current` accepts, e.g. to show which buttons a coordinator may press."""
    table: Mapping[tuple[Any, Any], Any] = (
        ORDER_TRANSITIONS if isinstance(current, OrderStatus) else LOT_TRANSITIONS
    )
    return [str(event) for (status, event) in table if status == current]


def is_final(current: OrderStatus | LotStatus) -> bool:
    """True when nothing can move this status any more."""
    return not allowed_events(current)


def _step(current: _S, event_kind: str, table: Mapping[tuple[_S, Any], _S], what: str) -> _S:
    new = table.get((current, event_kind))  # StrEnum members hash like their values
    if new is None:
        raise InvalidTransition(str(current), str(event_kind), allowed_events(current), what)
    return new
