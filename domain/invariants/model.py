"""What a check finds, and the status names it reads.

The status names are the literal values the use cases write today (order, lot and offer statuses). When the
domain's lifecycle module names them, import them from there instead of repeating them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Statuses as the use cases write them today (see the module docstring).
LOT_HELD = frozenset({"accepted", "in_work"})  # a resident holds the lot and works on it
LOT_DONE = "done"
LOT_OFFERED = "offered"
LOT_IN_WORK = "in_work"
LOT_UNASSIGNED = frozenset({"open", "escalated", "cancelled", "withdrawn"})  # nobody holds or is offered it
LOT_CLOSED = frozenset({"cancelled", "withdrawn", "expired"})  # ended without its pieces: not work left to do
OFFER_PENDING = "pending"
OFFER_ACCEPTED = "accepted"
LIVE_OFFER = frozenset({OFFER_PENDING, OFFER_ACCEPTED})
ORDER_OPEN = "open"
ORDER_FULFILLED = "fulfilled"
ORDER_ACTIVE = frozenset({"open", "in_progress"})
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
