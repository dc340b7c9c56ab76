"""When an order is delivered (交付) and whether by its due date: a forecast only while it is still in work, the
fact once it has ended.

A delivered order is not forecast: the pace-so-far forecast read a fulfilled order whose last pieces were finally
rejected as '预计完成 12/1 18:24 · 能否按期 否', its remaining pieces never coming (new-user trial).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.lifecycle.order import OrderStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    """An order's delivery: when it was delivered (fulfilled orders), when it is projected to be (orders in work),
    and whether that is by its due date (None when not known, or for a cancelled order)."""

    delivered_at: datetime | None = None
    projected_at: datetime | None = None
    on_time: bool | None = None


def projected_done_at(*, quantity: int, pieces_passed: int, posted_at: datetime, now: datetime) -> datetime | None:
    """When all pieces will have passed at the pace so far; None before the first pass."""
    if pieces_passed <= 0:
        return None
    remaining = quantity - pieces_passed
    if remaining <= 0:
        return now
    elapsed = max(now - posted_at, timedelta(hours=1))
    return now + elapsed * remaining / pieces_passed


def delivery(*, status: str, quantity: int, pieces_passed: int, due_at: datetime, posted_at: datetime,
             delivered_at: datetime | None, now: datetime) -> Delivery:
    """The order's delivery by its status: fulfilled → delivered at `delivered_at` (its last piece judged), on time
    when that is by `due_at`; expired → not delivered by its due date; cancelled → neither; open or in progress →
    the forecast at the pace so far."""
    if status == OrderStatus.FULFILLED:
        return Delivery(delivered_at=delivered_at, on_time=None if delivered_at is None else delivered_at <= due_at)
    if status == OrderStatus.EXPIRED:
        return Delivery(on_time=False)
    if status == OrderStatus.CANCELLED:
        return Delivery()
    projected = projected_done_at(quantity=quantity, pieces_passed=pieces_passed, posted_at=posted_at, now=now)
    return Delivery(projected_at=projected, on_time=None if projected is None else projected <= due_at)
