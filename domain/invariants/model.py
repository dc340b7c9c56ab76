"""What a check finds, and the status names it reads (the lifecycle's values and groups, domain/lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.lifecycle import lot, offer, order

LOT_HELD = frozenset(lot.HOLDING)  # a resident holds the lot and works on it
LOT_DONE = lot.LotStatus.DONE
LOT_OFFERED = lot.LotStatus.OFFERED
LOT_IN_WORK = lot.LotStatus.IN_WORK
LOT_CLOSED = frozenset({lot.LotStatus.CANCELLED, lot.LotStatus.EXPIRED})  # ended without its pieces: no work left
LOT_UNASSIGNED = frozenset(lot.MATCHABLE) | LOT_CLOSED  # nobody holds or is offered it
OFFER_PENDING = offer.OfferStatus.PENDING
OFFER_ACCEPTED = offer.OfferStatus.ACCEPTED
LIVE_OFFER = frozenset(offer.LIVE_OFFER)
ORDER_OPEN = order.OrderStatus.OPEN
ORDER_FULFILLED = order.OrderStatus.FULFILLED
ORDER_ACTIVE = frozenset(order.LIVE_ORDER)
# Hard rules a coordinator may override by naming them in Offer.override_rules with an Offer.override_reason:
# the names of schemas.commands.HardRule (the dispatch command's override_rules).
RULE_SKILL, RULE_LEVEL, RULE_TIME, RULE_OPEN_LOTS = "skill", "level", "time", "open_lots"


@dataclass(frozen=True)
class Violation:
    """One broken invariant: the check's name, the ids it concerns and a reason in Chinese and English."""

    check: str
    ids: dict[str, str]
    reason_zh: str
    reason_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """One flat JSON-ready dict: check, the ids (lot_id, order_id, resident_id, ...), reasons, detail."""
        return {"check": self.check, **self.ids, "reason_zh": self.reason_zh, "reason_en": self.reason_en,
                **({"detail": self.detail} if self.detail else {})}
