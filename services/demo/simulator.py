"""The live simulator: enterprises post orders, residents answer offers, coordinators issue and inspect.

It drives the real HTTP API, as the people would, so the demo exercises the whole flow.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from services.demo.city import DEMO_PASSWORD, PRODUCTS

log = logging.getLogger(__name__)


@dataclass
class Simulator:
    """One community-sized simulation loop; each `tick` moves every open piece of work one step."""

    api: str
    seed: int = 7
    communities: list[str] = field(default_factory=lambda: ["comm-001", "comm-002"])
    enterprises: list[str] = field(default_factory=lambda: ["ent1", "ent2"])
    coordinators: list[str] = field(default_factory=lambda: ["coord1", "coord2"])
    max_open_lots: int = 12
    rng: random.Random = field(init=False)
    http: httpx.Client = field(init=False)
    tokens: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.http = httpx.Client(base_url=self.api, timeout=30)

    def _auth(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            reply = self.http.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            reply.raise_for_status()
            self.tokens[username] = reply.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def call(self, method: str, path: str, user: str, **kw: object) -> httpx.Response:
        reply = self.http.request(method, path, headers=self._auth(user), **kw)  # type: ignore[arg-type]
        if reply.status_code >= 500:
            reply.raise_for_status()
        if reply.status_code >= 400:
            log.info("%s %s as %s: %s %s", method, path, user, reply.status_code, reply.text[:200])
        return reply

    def tick(self) -> None:
        """One step of everyone's day."""
        for k, community in enumerate(self.communities):
            coordinator = self.coordinators[k % len(self.coordinators)]
            self.post_orders(community)
            self.answer_offers(coordinator)
            self.work(coordinator, community)
            self.inspect(coordinator)

    def post_orders(self, community: str) -> None:
        lots = self.call("GET", "/api/v1/lots", self.coordinators[0] if community == self.communities[0]
                         else self.coordinators[-1], params={"community_id": community}).json()
        if sum(1 for lot in lots if lot["status"] in ("open", "offered", "escalated")) >= self.max_open_lots // 2:
            return
        enterprise = self.rng.choice(self.enterprises)
        product = self.rng.choice(PRODUCTS)
        due = datetime.now(UTC) + timedelta(days=self.rng.randint(5, 12))
        body = {"enterprise_id": f"ent-{enterprise[3:]:0>2}", "product_code": product.product_code,
                "quantity": product.lot_size * self.rng.randint(1, 3), "eligible_community_ids": [community],
                "piece_rate_fen": int(product.standard_minutes_per_piece * self.rng.randint(45, 60)),
                "due_at": due.isoformat(), "take_home_allowed": self.rng.random() < 0.8, "min_level": 1,
                "pickup_site_id": f"{community}-site-1"}
        self.call("POST", "/api/v1/orders", enterprise, json=body)

    def answer_offers(self, coordinator: str) -> None:
        """Most residents accept; those without a phone answer through the coordinator (代办)."""
        for offer in self.call("GET", "/api/v1/offers", coordinator, params={"status": "pending"}).json():
            decision = "accept" if self.rng.random() < 0.85 else "decline"
            who = offer["resident_id"] if self.rng.random() < 0.5 else coordinator
            reply = self.call("POST", f"/api/v1/offers/{offer['id']}/answer", who, json={"decision": decision})
            if reply.status_code == 401:  # no login: the coordinator answers on their behalf
                self.tokens.pop(who, None)
                self.call("POST", f"/api/v1/offers/{offer['id']}/answer", coordinator, json={"decision": decision})

    def work(self, coordinator: str, community: str) -> None:
        """Issue materials for accepted lots; hand in part of the work of lots in progress."""
        for lot in self.call("GET", "/api/v1/lots", coordinator, params={"community_id": community}).json():
            if lot["status"] == "accepted":
                self.call("POST", "/api/v1/materials/issue", coordinator,
                          json={"lot_id": lot["id"], "resident_id": lot["resident_id"], "pieces": lot["pieces"]})
            elif lot["status"] == "in_work":
                left = lot["pieces_issued"] - lot["pieces_passed"] - lot["pieces_rejected"] - lot["pieces_pending"]
                if left > 0:
                    pieces = min(left, self.rng.randint(10, 40))
                    self.call("POST", f"/api/v1/residents/{lot['resident_id']}/submissions", coordinator,
                              json={"lot_id": lot["id"], "pieces": pieces,
                                    "minutes_spent": pieces * self.rng.randint(3, 10)})

    def inspect(self, coordinator: str) -> None:
        """Most pieces pass; rejections carry one of the product's defect codes."""
        for sub in self.call("GET", "/api/v1/submissions", coordinator).json():
            rejected = sum(1 for _ in range(sub["pieces"]) if self.rng.random() < 0.05)
            codes = self.defect_codes(sub["lot_id"], coordinator)[:1] if rejected else []
            self.call("POST", "/api/v1/inspections", coordinator,
                      json={"submission_id": sub["id"], "passed": sub["pieces"] - rejected, "rejected": rejected,
                            "defect_codes": codes})

    def defect_codes(self, lot_id: str, coordinator: str) -> list[str]:
        lot = self.call("GET", f"/api/v1/lots/{lot_id}", coordinator).json()
        order = self.call("GET", f"/api/v1/orders/{lot['order_id']}", coordinator).json()
        return next(p.defect_codes for p in PRODUCTS if p.product_code == order["product_code"])


def run(api: str, *, interval_s: float = 2.0, ticks: int | None = None) -> None:
    """Run ticks until stopped (or `ticks` times); API hiccups are logged and the loop goes on."""
    sim = Simulator(api=api)
    n = 0
    while ticks is None or n < ticks:
        try:
            sim.tick()
        except httpx.HTTPError as exc:
            log.warning("simulator: %s", exc)
            sim.tokens.clear()
        n += 1
        time.sleep(interval_s)
