"""Events of orders (订单) and lots (批次): posted, split, re-priced, cancelled."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from schemas.envelope import Event, upcaster
from schemas.rates import CENTIFEN_PER_FEN
from schemas.wire import WireDatetime


class OrderPosted(Event):
    """An enterprise posted a piecework order (计件订单)."""

    topic = "mf.orders.v1"
    type: Literal["order.posted"] = "order.posted"
    schema_version: int = 2
    order_id: str
    enterprise_id: str
    product_code: str
    quantity: int = Field(gt=0)
    piece_rate_centifen: int = Field(gt=0, description="Exact rate in 0.0001 yuan per piece (schemas.rates).")
    rate_per: int = Field(default=1, description="Pieces the enterprise quoted its price for: 1, 100 or 1000.")
    due_at: WireDatetime
    eligible_community_ids: list[str] = Field(min_length=1)
    take_home_allowed: bool
    min_level: int = Field(ge=0)
    pickup_site_id: str | None = None
    below_minimum_wage: bool = False


class OrderRateChanged(Event):
    """The piece rate of an open order changed; applies to lots not yet accepted."""

    topic = "mf.orders.v1"
    type: Literal["order.rate_changed"] = "order.rate_changed"
    schema_version: int = 2
    order_id: str
    version: int = Field(ge=2)
    piece_rate_centifen: int = Field(gt=0, description="Exact rate in 0.0001 yuan per piece (schemas.rates).")
    rate_per: int = Field(default=1, description="Pieces the enterprise quoted its price for: 1, 100 or 1000.")
    reason: str = Field(min_length=1)


class OrderCancelled(Event):
    """The enterprise cancelled an order; unissued lots return, holders are told."""

    topic = "mf.orders.v1"
    type: Literal["order.cancelled"] = "order.cancelled"
    schema_version: int = 1
    order_id: str
    reason: str


class OrderStatusChanged(Event):
    """An order moved along open → in progress → fulfilled / cancelled / expired."""

    topic = "mf.orders.v1"
    type: Literal["order.status_changed"] = "order.status_changed"
    schema_version: int = 1
    order_id: str
    status: Literal["open", "in_progress", "fulfilled", "cancelled", "expired"]


class LotCreated(Event):
    """A lot (批次), the unit of matching, was split off an order."""

    topic = "mf.lots.v1"
    type: Literal["lot.created"] = "lot.created"
    schema_version: int = 1
    lot_id: str
    order_id: str
    lot_no: int = Field(ge=1)
    pieces: int = Field(gt=0)
    due_at: WireDatetime


class LotEscalated(Event):
    """Nobody can take this lot now; the coordinator is told why."""

    topic = "mf.lots.v1"
    type: Literal["lot.escalated"] = "lot.escalated"
    schema_version: int = 1
    lot_id: str
    reason_code: str
    detail: str


@upcaster("order.posted", 1)
@upcaster("order.rate_changed", 1)
def _exact_rate(data: dict[str, Any]) -> dict[str, Any]:
    """v1 carried a whole-fen rate; v2 the exact rate in centifen (issue 16): 35 fen → 3,500."""
    data["piece_rate_centifen"] = data.pop("piece_rate_fen") * CENTIFEN_PER_FEN
    return data
