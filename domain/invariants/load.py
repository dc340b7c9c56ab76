"""Hard rules on each resident's plate (在手工作): open-lot limit, skill and level, and time.

A resident's live commitments are their pending offers (all of the lot's pieces) and the lots they hold
(accepted or in work: the pieces still to make). Each is judged against the rules unless the offer that
gave it names the rule in `override_rules` with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.invariants.model import (
    LOT_HELD,
    OFFER_ACCEPTED,
    OFFER_PENDING,
    RULE_LEVEL,
    RULE_OPEN_LOTS,
    RULE_SKILL,
    RULE_TIME,
    Violation,
)
from domain.invariants.rows import LotRow, OfferRow, OrderRow, ResidentRow
from domain.text import visible_text
from domain.workload import Commitment, late, minutes_for, pieces_left, pieces_per_hour


@dataclass(frozen=True)
class Held:
    """One live commitment: the lot, its order, the offer that gave it (None for a lot with no offer)."""

    lot: LotRow
    order: OrderRow
    offer: OfferRow | None
    kind: str  # "offered" or "held"

    def overrides(self, rule: str) -> bool:
        """The offer names `rule` among the rules a coordinator overrode, with a reason."""
        return (self.offer is not None and rule in self.offer.override_rules
                and bool(visible_text(self.offer.override_reason or "")))

    @property
    def since(self) -> datetime:
        """When the resident took this on: the lot's acceptance, else the offer's time."""
        if self.kind == "held" and self.lot.accepted_at is not None:
            return self.lot.accepted_at
        return self.offer.offered_at if self.offer is not None else self.lot.due_at


def plates(lots: Mapping[str, LotRow], orders: Mapping[str, OrderRow],
           offers: Sequence[OfferRow]) -> dict[str, list[Held]]:
    """Each resident's live commitments: pending offers, and held lots with the accepted offer behind them."""
    accepted = {(o.lot_id, o.resident_id): o for o in offers if o.status == OFFER_ACCEPTED}
    out: dict[str, list[Held]] = {}
    for offer in offers:
        lot = lots.get(offer.lot_id)
        if offer.status == OFFER_PENDING and lot is not None and lot.order_id in orders:
            out.setdefault(offer.resident_id, []).append(Held(lot, orders[lot.order_id], offer, "offered"))
    for lot in lots.values():
        if lot.status in LOT_HELD and lot.resident_id and lot.order_id in orders:
            held = Held(lot, orders[lot.order_id], accepted.get((lot.id, lot.resident_id)), "held")
            out.setdefault(lot.resident_id, []).append(held)
    return out


def check_residents(residents: Mapping[str, ResidentRow], plates_by_resident: Mapping[str, list[Held]], *,
                    tz: str = "Asia/Shanghai") -> list[Violation]:
    """Every resident's plate against their open-lot limit, their skills and levels, and their time."""
    found: list[Violation] = []
    for resident_id, plate in sorted(plates_by_resident.items()):
        resident = residents.get(resident_id)
        if resident is None:
            found.append(Violation("unknown_resident", {"resident_id": resident_id}, "派单或批次指向不存在的居民",
                                   "offers or lots point at a resident who does not exist"))
            continue
        found += _open_lots(resident, plate) + _skills(resident, plate) + _time(resident, plate, tz)
    return found


def _open_lots(resident: ResidentRow, plate: list[Held]) -> list[Violation]:
    # Each lot given over the limit by a named override raises the limit by one: one override excuses one lot,
    # not every lot the resident is handed afterwards.
    if len(plate) <= resident.max_open_lots + sum(h.overrides(RULE_OPEN_LOTS) for h in plate):
        return []
    return [Violation("open_lot_limit_exceeded", {"resident_id": resident.id,
                                                  "lot_id": ",".join(h.lot.id for h in plate)},
                      f"在手及待答复批次共{len(plate)}个，超过上限{resident.max_open_lots}个且无越权记录",
                      f"{len(plate)} lots held or offered, over the limit of {resident.max_open_lots}, no override")]


def _skills(resident: ResidentRow, plate: list[Held]) -> list[Violation]:
    found = []
    for h in plate:
        level = resident.skills.get(h.order.skill)
        rule = RULE_SKILL if level is None else RULE_LEVEL if int(level) < h.order.min_level else None
        if rule is None or h.overrides(rule):
            continue
        ids = {"resident_id": resident.id, "lot_id": h.lot.id, "order_id": h.lot.order_id,
               **({"offer_id": h.offer.id} if h.offer else {})}
        found.append(Violation(
            "lacks_skill", ids, f"居民不具备技能{h.order.skill}（需{h.order.min_level}级，现为{level}）且无越权记录",
            f"resident lacks {h.order.skill} at level {h.order.min_level} (has {level}) and no override names {rule}",
            detail={"rule": rule}))
    return found


def commitment_minutes(h: Held, resident: ResidentRow) -> float:
    """Minutes still to do: the offer's recorded minutes scaled to the pieces left (a legacy offer without
    them: the pieces left at the resident's recorded speed, else the product's standard speed)."""
    left = h.lot.pieces if h.kind == "offered" else pieces_left(
        pieces=h.lot.pieces, passed=h.lot.pieces_passed, rejected_final=h.lot.pieces_rejected)
    if h.offer is not None and h.offer.work_minutes is not None and h.offer.pieces > 0:
        return h.offer.work_minutes * left / h.offer.pieces
    speed = pieces_per_hour(observed=resident.pieces_per_hour.get(h.order.skill),
                            standard_minutes_per_piece=h.order.standard_minutes_per_piece)
    return minutes_for(left, speed)


def _time(resident: ResidentRow, plate: list[Held], tz: str) -> list[Violation]:
    """The earliest-due-first test at the moment of the resident's latest commitment.

    Judged at the latest commitment (the newest offer's `offered_at` or lot's `accepted_at`), not now: every
    live commitment already existed then, so what was on the plate then is on it now. Judged now, time
    passing would make any slow resident look over-committed; judged by each offer's `work_minutes` (the
    minutes it was offered on, scaled to the pieces left) a speed learned later cannot either. Pieces made
    since only shrink the work, so a plate reported here did not fit when it was last added to. Work due
    before that moment was already late then: it still takes the resident's time first, but its own lateness
    is the order's due date to deal with, not a broken rule.
    """
    at = max(h.since for h in plate)
    commitments = [Commitment(lot_id=h.lot.id, due_at=h.lot.due_at, minutes=commitment_minutes(h, resident),
                              kind="offered" if h.kind == "offered" else "held") for h in plate]
    by_lot = {h.lot.id: h for h in plate}
    found = []
    for miss in late(commitments, weekly_availability=resident.availability, now=at, tz=tz):
        if miss.due_at <= at:
            continue
        due_by = [h for h in plate if h.lot.due_at <= miss.due_at]
        if any(h.overrides(RULE_TIME) for h in due_by):
            continue
        h = by_lot[miss.lot_id]
        found.append(Violation(
            "over_committed", {"resident_id": resident.id, "lot_id": h.lot.id,
                               **({"offer_id": h.offer.id} if h.offer else {})},
            f"到{miss.due_at.isoformat()}须完成{miss.needed:.0f}分钟的工作，其可用时间只有{miss.available:.0f}分钟",
            f"{miss.needed:.0f} minutes of work due by {miss.due_at.isoformat()} against {miss.available:.0f} "
            "available minutes, and no override names time",
            detail={"judged_at": at.isoformat(), "lots_due_by_then": [x.lot.id for x in due_by],
                    "needed_minutes": round(miss.needed, 1),
                    "available_minutes": round(miss.available, 1)}))
    return found
