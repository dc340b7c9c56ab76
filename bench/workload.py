"""Work driven through the HTTP API, every accepted (2xx) input recorded so a fault run can be judged afterwards."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.chaos_checks import Inputs
from domain.lifecycle.lot import LotStatus
from domain.lifecycle.offer import OfferStatus
from services.demo.simulator import Simulator
from services.harness import System


def post_orders(system: System, n: int, inputs: Inputs) -> list[tuple[str, int]]:
    """Post n weaving orders for comm-001 as ent1 (each must be accepted)."""
    posted = []
    for i in range(n):
        quantity = 60 + 20 * i
        body: dict[str, Any] = {
            "enterprise_id": "ent-01", "product_code": "NET-02", "quantity": quantity, "piece_rate_fen": 61 + i,
            "due_at": (datetime.now(UTC) + timedelta(days=12)).isoformat(), "eligible_community_ids": ["comm-001"],
            "pickup_site_id": "comm-001-site-1"}
        reply = system.call("POST", "/api/v1/orders", "ent1", json=body)
        assert reply.status_code == 201, reply.text
        inputs.record("POST", "/api/v1/orders", body, reply.json())
        posted.append((reply.json()["order_id"], quantity))
    return posted


def work_step(system: System, inputs: Inputs, coordinator: str = "coord1") -> None:
    """Everyone does what they can now: accept offers, issue, submit, inspect (on behalf of residents)."""

    def post(path: str, body: dict[str, Any]) -> None:
        reply = system.call("POST", path, coordinator, json=body)
        if reply.is_success:
            inputs.record("POST", path, body, reply.json())

    for offer in system.call("GET", "/api/v1/offers", coordinator, params={"status": OfferStatus.PENDING}).json():
        post(f"/api/v1/offers/{offer['id']}/answer", {"decision": "accept"})
    for lot in system.call("GET", "/api/v1/lots", coordinator).json():
        if lot["status"] == LotStatus.ACCEPTED:
            post("/api/v1/materials/issue", {"lot_id": lot["id"], "resident_id": lot["resident_id"],
                                             "pieces": lot["pieces"]})
        elif lot["status"] == LotStatus.IN_WORK:
            left = lot["pieces_issued"] - lot["pieces_passed"] - lot["pieces_rejected"] - lot["pieces_pending"]
            if left:
                post(f"/api/v1/residents/{lot['resident_id']}/submissions", {"lot_id": lot["id"],
                                                                             "pieces": min(left, 15)})
    for sub in system.call("GET", "/api/v1/submissions", coordinator).json():
        passed = sub["pieces"] - (1 if sub["pieces"] > 5 else 0)
        post("/api/v1/inspections", {"submission_id": sub["id"], "passed": passed, "rejected": sub["pieces"] - passed,
                                     "defect_codes": ["KNOT"] if sub["pieces"] > passed else []})


def run_work(system: System, inputs: Inputs, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        work_step(system, inputs)
        time.sleep(0.5)


class RecordingSimulator(Simulator):
    """The demo simulator (enterprises, residents, coordinators of two communities), keeping every 2xx input."""

    inputs: Inputs
    refused: int = 0
    unreachable: int = 0
    server_errors: list[str]

    def call(self, method: str, path: str, user: str, **kw: Any) -> httpx.Response:
        try:
            reply = super().call(method, path, user, **kw)
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code == 401:  # a resident with no sign-in: the simulator's 代办 path takes over
                return exc.response
            self.server_errors.append(f"{method} {path}: {exc.response.status_code} {exc.response.text[:300]}")
            raise
        except httpx.TransportError:  # the API is down (killed): the input got no 2xx, so nothing was promised
            self.unreachable += 1
            raise
        if method == "POST" and reply.is_success:
            self.inputs.record(method, path, kw.get("json"), reply.json())  # type: ignore[arg-type]
        elif method == "POST":
            self.refused += 1
        return reply


def simulator(api: str, *, seed: int, inputs: Inputs) -> RecordingSimulator:
    sim = RecordingSimulator(api=api, seed=seed)
    sim.inputs, sim.server_errors = inputs, []
    return sim
