"""The orders, lots, accepted offers and material issues behind the bulk-built work, as the product keeps them.

`bench/work_world.py` writes submissions and inspections straight into the database; this module builds,
from those rows, the rest of a world the product could have produced, so `microfactory audit` finds
nothing in it:

- each resident holds one lot of an order for a product they have the skill for (the quickest of their
  skills), through an accepted offer made before the month starts, with the minutes the lot takes them at
  the product's standard pace (`Offer.work_minutes`, as the matcher records it);
- a lot holds what its resident hands in during the month plus `SPARE` pieces still to make (so it stays in
  work and the pay-latency probe has pieces to hand in), all issued in one material issue when accepted;
- its counters are the sums of its rows: first hand-ins, passed and finally rejected pieces of the current
  (not superseded) inspections, nothing pending;
- an order holds exactly its lots' pieces and is in progress; its due date (its lots' too) leaves every
  holder the working time the lot needs from acceptance with a quarter to spare, and is at least
  `DUE_AFTER` after the month's start, so the worker's timer never expires anything during a run;
- a resident who works only on-site takes a seat at a micro-factory they can reach; where every seat is
  taken, a coordinator's dispatch names the seat rule it overrides, with a reason (as the product records it).

Nothing here draws from the seed's random stream: the same seed gives the same inspections as before, and
the same world. No offer or lot events go into the outbox: they would reach the worker inside the timed run.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.lifecycle.lot import LotStatus
from domain.lifecycle.offer import OfferStatus
from domain.lifecycle.order import OrderStatus
from domain.workload import minutes_for, pieces_per_hour
from schemas import commands as c
from services.demo.city import CityPlan

SPARE = 1000  # pieces of each lot still to make at the end of the month (the pay probe hands in up to 600)
DUE_AFTER = timedelta(days=400)  # no order falls due, on the real clock, while a benchmark runs
TIME_MARGIN = 1.25  # a lot's due date leaves its holder this multiple of the minutes it takes them
OVERRIDE_REASON = "基准测试：微工厂工位已满，协调员安排该居民到厂加工"


@dataclass
class Holdings:
    """The rows to insert, table by table (dicts of column values)."""

    orders: list[dict[str, Any]] = field(default_factory=list)
    lots: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Terms:
    """What every order of a community pays (piece rate and quality bonus, fen a piece)."""

    rate_fen: int
    bonus_fen: int


def quickest_product(resident: c.RegisterResident, products: Iterable[c.RegisterProduct]) -> c.RegisterProduct:
    """The product of the resident's skills that takes the fewest standard minutes a piece (ValueError: none)."""
    theirs = [p for p in products if p.skill in resident.skills]
    if not theirs:
        raise ValueError(f"resident {resident.resident_id} has none of the city's skills: no lot can be theirs")
    return min(theirs, key=lambda p: p.standard_minutes_per_piece)


def weeks_needed(minutes: float, availability: Iterable[tuple[int, int, int]]) -> int:
    """Whole weeks from acceptance by which `minutes` (with the margin) fit in the weekly hours, plus one."""
    weekly = sum(end - start for _, start, end in availability)
    if weekly <= 0:
        raise ValueError("a resident with no weekly hours cannot hold a lot")
    return math.ceil(minutes * TIME_MARGIN / weekly) + 1


def holdings(plan: CityPlan, lot_of: dict[str, str], terms: dict[str, Terms], submissions: list[dict[str, Any]],
             inspections: list[dict[str, Any]], *, prefix: str, month_start: datetime,
             offer_ttl: timedelta) -> Holdings:
    """Orders, lots, accepted offers and issues for residents `lot_of` names (resident id → lot id).

    `terms` gives each community's rate; `submissions` and `inspections` are the rows the month hands in
    (inspections flagged `superseded` when corrected). Times are before `month_start`: posted two days
    before, offered one day before, accepted an hour later, materials issued an hour after that.
    """
    handed_in, passed, rejected = _sums(submissions, inspections)
    posted_at, offered_at = month_start - timedelta(days=2), month_start - timedelta(days=1)
    accepted_at = offered_at + timedelta(hours=1)
    products = plan.products
    by_order: dict[tuple[str, str], list[c.RegisterResident]] = defaultdict(list)
    for r in plan.residents:
        if r.resident_id in lot_of:
            by_order[(r.community_id, quickest_product(r, products).product_code)].append(r)
    product_of = {p.product_code: p for p in products}
    out, seats = Holdings(), {s.site_id: s.seats for s in plan.sites}
    for k, ((community_id, code), holders) in enumerate(sorted(by_order.items())):
        product, money = product_of[code], terms[community_id]
        order_id = f"{prefix}-ord-{k}"
        speed = pieces_per_hour(observed=None, standard_minutes_per_piece=product.standard_minutes_per_piece)
        pieces = {r.resident_id: handed_in[lot_of[r.resident_id]] + SPARE for r in holders}
        minutes = {rid: minutes_for(n, speed) for rid, n in pieces.items()}
        due_at = max([month_start + DUE_AFTER] + [accepted_at + timedelta(weeks=weeks_needed(minutes[r.resident_id],
                                                                                             r.availability))
                                                  for r in holders])
        out.orders.append({
            "id": order_id, "enterprise_id": _enterprise_of(plan, code), "product_code": code,
            "quantity": sum(pieces.values()), "piece_rate_centifen": money.rate_fen * 100,
            "quality_bonus_fen_per_piece": money.bonus_fen, "due_at": due_at, "eligible_community_ids": [community_id],
            "eligible_site_ids": [], "status": OrderStatus.IN_PROGRESS.value, "posted_at": posted_at})
        for n, r in enumerate(holders):
            lot_id, rid = lot_of[r.resident_id], r.resident_id
            site_id = _seat(r, seats)
            onsite = r.work_mode == "onsite"
            out.lots.append({
                "id": lot_id, "order_id": order_id, "community_id": community_id, "lot_no": n + 1,
                "pieces": pieces[rid], "due_at": due_at, "status": LotStatus.IN_WORK.value, "resident_id": rid,
                "site_id": r.reachable_site_ids[0] if onsite and site_id is None else site_id,
                "mode": "onsite" if onsite else "home", "piece_rate_centifen": money.rate_fen * 100,
                "excluded_resident_ids": [], "pieces_issued": pieces[rid], "pieces_submitted": handed_in[lot_id],
                "pieces_passed": passed[lot_id], "pieces_rejected": rejected[lot_id], "accepted_at": accepted_at})
            by_hand = onsite and site_id is None  # every seat taken: a coordinator dispatched it, overriding
            out.offers.append({
                "id": f"{prefix}-ofr-{rid}", "lot_id": lot_id, "resident_id": rid, "community_id": community_id,
                "status": OfferStatus.ACCEPTED.value, "pieces": pieces[rid],
                "piece_rate_centifen": money.rate_fen * 100,
                "explanation_zh": "技能与可用时间相符（基准测试批量生成）",
                "explanation_en": "skill and available time fit (bulk-built for the benchmark)", "reasons": [],
                "dispatched_by": plan.coordinator_of(community_id) if by_hand else None,
                "work_minutes": minutes[rid], "override_rules": ["seat"] if by_hand else [],
                "override_reason": OVERRIDE_REASON if by_hand else None, "offered_at": offered_at,
                "expires_at": offered_at + offer_ttl, "decided_at": accepted_at, "decided_by": rid})
            out.issues.append({"id": f"{prefix}-iss-{rid}", "lot_id": lot_id, "resident_id": rid,
                               "pieces": pieces[rid], "actor": "bench", "at": accepted_at + timedelta(hours=1)})
    return out


def _sums(submissions: list[dict[str, Any]],
          inspections: list[dict[str, Any]]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Per lot: pieces handed in (all first hand-ins), passed and rejected in the current inspections."""
    handed_in: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    rejected: dict[str, int] = defaultdict(int)
    for s in submissions:
        handed_in[s["lot_id"]] += s["pieces"]
    for row in inspections:
        if not row["superseded"]:
            passed[row["lot_id"]] += row["passed"]
            rejected[row["lot_id"]] += row["rejected"]  # no rework in the bulk month: rejected for good
    return handed_in, passed, rejected


def _seat(resident: c.RegisterResident, seats: dict[str, int]) -> str | None:
    """A free seat at a site an on-site-only resident can reach (taken from `seats`), else None."""
    if resident.work_mode != "onsite":
        return None
    for site_id in resident.reachable_site_ids:
        if seats.get(site_id, 0) > 0:
            seats[site_id] -= 1
            return site_id
    return None


def _enterprise_of(plan: CityPlan, product_code: str) -> str:
    """The first enterprise whose product mix includes the product (else the first enterprise)."""
    for enterprise_id, codes in sorted(plan.product_mix.items()):
        if product_code in codes:
            return enterprise_id
    return plan.enterprises[0].enterprise_id
