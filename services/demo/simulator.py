"""The live simulator: enterprises post orders, residents answer offers and work, coordinators issue and inspect.

It drives the real HTTP API, as the people would, so the demo exercises the whole flow.

Time is compressed. The product runs on the real clock, so the simulator keeps its own: a
simulated day is `ticks_per_day` ticks (morning, afternoon, evening), one tick every
`interval_s` real seconds, so a 30-day month at 3 ticks a second-and-a-half apart takes a few
minutes. What a resident makes in a tick is what their true speed makes in the minutes of that
part of the day they are available; lots are small so they finish within a few simulated days.
Due dates and offer expiry stay on the real clock (days and hours away), so in a compressed
month nothing falls due and an offer nobody answers just waits; residents answer in their own
time instead (a share of offers each tick, by their acceptance habit).

It plays only what the demo made: the people of its plan and the orders it posted (services.demo.city.
made_by_the_demo), never a resident, site, order or lot a real user added (a resident a coordinator imports is
hers to serve), and it signs in only as the plan's people with the demo password; a sign-in refused (a person
who chose her own password, or the API throttling) is logged once and that person is left alone from then on.
"""

from __future__ import annotations

import logging
import random
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from domain.lifecycle.lot import LotStatus
from domain.lifecycle.offer import OfferStatus
from services.demo.city import (
    DEMO_PASSWORD,
    CityPlan,
    ResidentTraits,
    build_sized_city,
    demo_order_id,
    made_by_the_demo,
)
from services.demo.seed import bulk_login_ids

log = logging.getLogger(__name__)
SLOTS = ((8 * 60, 12 * 60), (13 * 60, 17 * 60), (18 * 60, 21 * 60))  # the parts of a simulated day
TZ = ZoneInfo("Asia/Shanghai")  # the residents' own day
STANDARD = ResidentTraits("retiree", speed=1.0, defect_rate=0.05, acceptance=0.85)


class SignInRefused(Exception):
    """The API refused a sign-in the simulator tried; that person is not played any more."""


@dataclass
class Simulator:
    """A seeded simulation of one city; each `tick` moves a part of a day for the communities in turn."""

    api: str
    seed: int = 7
    size: str = "demo"
    bulk_loaded: bool = False  # residents got sign-ins only for a sample (see seed.bulk_login_ids)
    communities_per_tick: int = 25
    ticks_per_day: int = len(SLOTS)
    plan: CityPlan = field(init=False)
    rng: random.Random = field(init=False)
    http: httpx.Client = field(init=False)
    tokens: dict[str, str] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)  # users whose sign-in was refused: left alone from then on
    tick_no: int = 0
    product_of_order: dict[str, str] = field(default_factory=dict)
    # Minutes handed in per resident per real Asia/Shanghai day: simulated days run in seconds, but nobody works
    # more in a real day than their longest day of availability, so "today's income" is a believable day's pay.
    worked: dict[tuple[str, date], int] = field(default_factory=dict)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.http = httpx.Client(base_url=self.api, timeout=30)
        self.plan = build_sized_city(self.size, seed=self.seed)
        self.communities = [cm.community_id for cm in self.plan.communities]
        self.coordinator = {cid: self.plan.coordinator_of(cid) for cid in self.communities}
        self.poster = self.plan.enterprise_users()
        self.products = {p.product_code: p for p in self.plan.products}
        self.people = {r.resident_id: r for r in self.plan.residents}
        self.logins = bulk_login_ids(self.plan) if self.bulk_loaded else \
            {r.resident_id for r in self.plan.residents if r.password is not None}
        self.residents_of: dict[str, list[str]] = {cid: [] for cid in self.communities}
        for r in self.plan.residents:
            self.residents_of.setdefault(r.community_id, []).append(r.resident_id)
        # Left for a person trying the demo: the first community's first resident with a sign-in answers and hands
        # in their own work (nobody simulates them), and half of that community's hand-ins wait for its coordinator
        # to inspect, half of its accepted lots wait for 发料, and whatever is done on behalf of its residents without
        # a phone (代为接单, 代为交货) is left to its coordinator; its residents with a sign-in act for themselves, so
        # nothing is done in the coordinator's name there (README, the demo paragraph).
        first = self.communities[0] if self.communities else ""
        mine = (r for r in self.logins if r in self.people and self.people[r].community_id == first)
        self.for_people = sorted(mine)[:1]
        self.hand_inspected = first

    def _auth(self, username: str) -> dict[str, str]:
        """The user's bearer header; one refused sign-in (4xx) is logged once and never tried again."""
        if username in self.refused:
            raise SignInRefused(username)
        if username not in self.tokens:
            reply = self.http.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            if 400 <= reply.status_code < 500:
                self.refused.add(username)
                log.warning("simulator: sign-in as %s refused (%s); not playing %s any more",
                            username, reply.status_code, username)
                raise SignInRefused(username)
            reply.raise_for_status()
            self.tokens[username] = reply.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def plays(self, resident_id: str | None) -> bool:
        """A resident of the demo's plan (never one a real user added) whose sign-in, if tried, was not refused."""
        return resident_id is not None and resident_id in self.people and resident_id not in self.refused

    def ours(self, lot_id: str, resident_id: str | None) -> bool:
        """A lot of an order the demo posted, held by (or offered to) a resident the simulator plays."""
        return made_by_the_demo(lot_id) and self.plays(resident_id)

    def call(self, method: str, path: str, user: str, **kw: Any) -> httpx.Response:
        reply = self.http.request(method, path, headers=self._auth(user), **kw)
        if reply.status_code >= 500:
            reply.raise_for_status()
        if reply.status_code >= 400:
            log.info("%s %s as %s: %s %s", method, path, user, reply.status_code, reply.text[:200])
        return reply

    @property
    def day(self) -> int:
        return self.tick_no // self.ticks_per_day

    def turn(self) -> list[str]:
        """The communities this tick moves: all of a small city, the next batch of a large one."""
        n = len(self.communities)
        start = (self.tick_no * self.communities_per_tick) % n
        return [self.communities[(start + i) % n] for i in range(min(n, self.communities_per_tick))]

    def tick(self) -> None:
        """One part of everyone's day, for the next communities in turn (one whose coordinator cannot sign in
        is skipped)."""
        for community in self.turn():
            coordinator = self.coordinator[community]
            try:
                if self.day % 7 < 6 and self.tick_no % self.ticks_per_day == 0:  # enterprises post on weekday mornings
                    self.post_orders(community, coordinator)
                self.answer_offers(coordinator)
                self.work(coordinator, community)
                self.inspect(coordinator)
            except SignInRefused:
                continue  # logged once by _auth; a resident's refusal is caught where she acts
        self.tick_no += 1

    def lots(self, coordinator: str, community: str, status: str) -> list[dict[str, Any]]:
        return list(self.call("GET", "/api/v1/lots", coordinator,
                              params={"community_id": community, "status": status}).json())

    def by_hand(self, resident_id: str) -> bool:
        """A resident of the first community without a sign-in: what is done for them is left to its coordinator."""
        who = self.people.get(resident_id)
        return who is not None and who.community_id == self.hand_inspected and resident_id not in self.logins

    def issue_left_for_people(self, lot: dict[str, Any]) -> bool:
        """Half of the first community's accepted lots (the same half every tick) wait for its coordinator's 发料, and
        every lot of the resident left to the person trying the demo, so her own lot can be followed from 发料 on."""
        holder = lot.get("resident_id") or ""
        who = self.people.get(holder)
        return who is not None and who.community_id == self.hand_inspected and (
            holder in self.for_people or zlib.crc32(lot["id"].encode()) % 2 == 0)

    def day_of_work_left(self, community: str) -> int:
        """Minutes the community's residents may still work today (real clock): the bound on its open backlog."""
        return sum(self.minutes_left_today(r) for r in self.residents_of.get(community, []))

    def backlog_minutes(self, coordinator: str, community: str) -> int:
        """Standard minutes of work in the community's lots nobody has taken yet (open, offered or escalated)."""
        waiting = [lot for s in (LotStatus.OPEN, LotStatus.OFFERED, LotStatus.ESCALATED)
                   for lot in self.lots(coordinator, community, s) if made_by_the_demo(lot["id"])]
        return sum(int(lot["pieces"] * self.product(lot, coordinator).standard_minutes_per_piece) for lot in waiting)

    def post_orders(self, community: str, coordinator: str) -> None:
        """Enterprises post from their product mix only while the work nobody has taken yet in the community is
        less than what its residents may still do today (minutes, Asia/Shanghai day): once they have done their
        day, or lots wait unanswered, nothing more is posted, so the coordinator's queue does not flood."""
        room = self.day_of_work_left(community) - self.backlog_minutes(coordinator, community)
        for _ in range(3):
            if room <= 0:
                return
            enterprise = self.rng.choice(sorted(self.plan.product_mix))
            product = self.products[self.rng.choice(self.plan.product_mix[enterprise])]
            due = datetime.now(UTC) + timedelta(days=self.rng.randint(5, 12))
            quantity = product.lot_size * self.rng.randint(1, 3)
            body = {"order_id": demo_order_id(), "enterprise_id": enterprise, "product_code": product.product_code,
                    "quantity": quantity, "eligible_community_ids": [community],
                    "piece_rate_fen": int(product.standard_minutes_per_piece * self.rng.randint(45, 60)),
                    "due_at": due.isoformat(), "take_home_allowed": self.rng.random() < 0.8, "min_level": 1,
                    "pickup_site_id": f"{community}-site-1"}
            self.call("POST", "/api/v1/orders", self.poster[enterprise], json=body)
            room -= int(quantity * product.standard_minutes_per_piece)

    def traits(self, resident_id: str) -> ResidentTraits:
        return self.plan.traits.get(resident_id, STANDARD)

    def answer_offers(self, coordinator: str) -> None:
        """Residents answer some offers each tick, by habit; those without a sign-in answer through the coordinator."""
        for offer in self.call("GET", "/api/v1/offers", coordinator, params={"status": OfferStatus.PENDING}).json():
            who = offer["resident_id"]
            if not self.ours(offer.get("lot_id", ""), who):  # a real user's resident or order: not ours to answer
                continue
            if self.rng.random() < 0.2 or who in self.for_people or self.by_hand(who):  # not looked at the phone yet
                continue
            decision = "accept" if self.rng.random() < self.traits(who).acceptance else "decline"
            mine = self.people[who].community_id == self.hand_inspected
            answerer = who if who in self.logins and (mine or self.rng.random() < 0.5) else coordinator  # 代办
            try:
                self.call("POST", f"/api/v1/offers/{offer['id']}/answer", answerer, json={"decision": decision})
            except SignInRefused:
                continue  # her sign-in was refused (logged once): she is left alone, not answered for

    def minutes_free(self, resident_id: str) -> int:
        """Minutes of this part of the simulated day the resident is available."""
        weekday, (start, end) = self.day % 7, SLOTS[self.tick_no % self.ticks_per_day]
        resident = self.people.get(resident_id)
        slots = resident.availability if resident else [(weekday, start, end)]
        return sum(max(0, min(end, e) - max(start, s)) for d, s, e in slots if d == weekday)

    def minutes_left_today(self, resident_id: str) -> int:
        """Minutes the resident may still hand in today (real clock, Asia/Shanghai): their longest day of
        availability (4 hours if unknown) less what the simulator handed in for them today."""
        resident = self.people.get(resident_id)
        days: dict[int, int] = {}
        for d, s, e in resident.availability if resident else []:
            days[d] = days.get(d, 0) + max(0, e - s)
        today = self.clock().astimezone(TZ).date()
        return max(0, max(days.values(), default=4 * 60) - self.worked.get((resident_id, today), 0))

    def work(self, coordinator: str, community: str) -> None:
        """Issue materials for accepted lots; residents hand in what their speed made in the time they had."""
        for lot in self.lots(coordinator, community, LotStatus.ACCEPTED):
            if not self.ours(lot["id"], lot.get("resident_id")) or self.issue_left_for_people(lot):
                continue
            self.call("POST", "/api/v1/materials/issue", coordinator,
                      json={"lot_id": lot["id"], "resident_id": lot["resident_id"], "pieces": lot["pieces"]})
        for lot in self.lots(coordinator, community, LotStatus.IN_WORK):
            if not self.ours(lot["id"], lot.get("resident_id")) or lot["resident_id"] in self.for_people or \
                    self.by_hand(lot["resident_id"]):  # a real user's, or left for people
                continue
            left = lot["pieces_issued"] - lot["pieces_passed"] - lot["pieces_rejected"] - lot["pieces_pending"]
            minutes_per_piece = self.product(lot, coordinator).standard_minutes_per_piece / \
                self.traits(lot["resident_id"]).speed
            free = min(self.minutes_free(lot["resident_id"]), self.minutes_left_today(lot["resident_id"]))
            pieces = min(left, int(free / minutes_per_piece))
            if pieces > 0:
                minutes = max(1, round(pieces * minutes_per_piece))
                # In the first community residents hand in themselves; elsewhere the coordinator records it (代办).
                hander = lot["resident_id"] if community == self.hand_inspected else coordinator
                try:
                    self.call("POST", f"/api/v1/residents/{lot['resident_id']}/submissions", hander,
                              json={"lot_id": lot["id"], "pieces": pieces, "minutes_spent": minutes})
                except SignInRefused:
                    continue  # her sign-in was refused (logged once): she is left alone
                key = (lot["resident_id"], self.clock().astimezone(TZ).date())
                self.worked[key] = self.worked.get(key, 0) + minutes

    def inspect(self, coordinator: str) -> None:
        """Pieces fail at the resident's own defect rate; rejections carry one of the product's defect codes."""
        for sub in self.call("GET", "/api/v1/submissions", coordinator).json():
            if not self.ours(sub["lot_id"], sub["resident_id"]) or self.left_for_people(sub):
                continue
            rate = self.traits(sub["resident_id"]).defect_rate
            rejected = sum(1 for _ in range(sub["pieces"]) if self.rng.random() < rate)
            lot = self.call("GET", f"/api/v1/lots/{sub['lot_id']}", coordinator).json() if rejected else None
            codes = [self.rng.choice(self.product(lot, coordinator).defect_codes)] if lot else []
            self.call("POST", "/api/v1/inspections", coordinator,
                      json={"submission_id": sub["id"], "passed": sub["pieces"] - rejected, "rejected": rejected,
                            "defect_codes": codes})

    def left_for_people(self, sub: dict[str, Any]) -> bool:
        """Half of the first community's hand-ins (the same half every tick) wait for its coordinator, and every
        hand-in of the resident left to the person trying the demo: what she hands in on her phone waits for 验收
        (a trial saw it inspected in coord1's name a second later)."""
        who = self.people.get(sub["resident_id"])
        return who is not None and who.community_id == self.hand_inspected and (
            sub["resident_id"] in self.for_people or zlib.crc32(sub["id"].encode()) % 2 == 0)

    def product(self, lot: dict[str, Any], coordinator: str) -> Any:
        """The product a lot is made of (from the lot, or its order looked up once)."""
        if lot.get("product_code") in self.products:
            return self.products[lot["product_code"]]
        order_id = lot["order_id"]
        if order_id not in self.product_of_order:
            order = self.call("GET", f"/api/v1/orders/{order_id}", coordinator).json()
            self.product_of_order[order_id] = order["product_code"]
        return self.products[self.product_of_order[order_id]]


def run(api: str, *, interval_s: float = 2.0, ticks: int | None = None, size: str = "demo", seed: int = 7,
        bulk_loaded: bool = False, on_tick: Callable[[Simulator], None] | None = None) -> Simulator:
    """Run ticks until stopped (or `ticks` times); API hiccups are logged and the loop goes on."""
    sim = Simulator(api=api, size=size, seed=seed, bulk_loaded=bulk_loaded)
    while ticks is None or sim.tick_no < ticks:
        started = time.monotonic()
        try:
            sim.tick()
        except httpx.HTTPError as exc:
            log.warning("simulator: %s", exc)
            sim.tokens.clear()
            sim.tick_no += 1
        if on_tick:
            on_tick(sim)
        time.sleep(max(0.0, interval_s - (time.monotonic() - started)))
    return sim
