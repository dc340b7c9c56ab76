"""The simulator leaves 发料 and the acts on behalf of phoneless residents of comm-001 to the person trying the
demo, and its enterprises stop posting once a community's untaken work is a day's work of its residents (issue 15).

The simulator is driven against a fake API (httpx.MockTransport) that records who called what."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx

from services.demo.simulator import Simulator

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class FakeApi:
    """Answers the simulator's reads from `lots`/`offers` and records every write as (path, acting user)."""

    def __init__(self) -> None:
        self.lots: list[dict[str, Any]] = []
        self.offers: list[dict[str, Any]] = []
        self.writes: list[tuple[str, str, dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, user = request.url.path, request.headers.get("Authorization", "").removeprefix("Bearer ")
        if path == "/api/v1/auth/token":
            return httpx.Response(200, json={"access_token": json.loads(request.content)["username"]})
        if request.method == "GET" and path == "/api/v1/lots":
            q = request.url.params
            return httpx.Response(200, json=[lot for lot in self.lots if lot["status"] == q["status"]
                                             and lot["community_id"] == q["community_id"]])
        if request.method == "GET" and path == "/api/v1/offers":
            return httpx.Response(200, json=self.offers)
        if request.method == "GET":
            return httpx.Response(200, json=[])
        self.writes.append((path, user, json.loads(request.content)))
        return httpx.Response(201, json={})


def simulator(api: FakeApi) -> Simulator:
    sim = Simulator(api="http://demo", clock=lambda: NOW)
    sim.http = httpx.Client(base_url="http://demo", transport=httpx.MockTransport(api))
    return sim


def lot(n: int, community: str, status: str, resident: str | None, pieces: int = 60) -> dict[str, Any]:
    return {"id": f"ord-demo-{community}-{n:03d}-L001", "community_id": community, "status": status,
            "resident_id": resident, "order_id": "o", "product_code": "BEAD-01", "pieces": pieces,
            "pieces_issued": pieces, "pieces_passed": 0, "pieces_rejected": 0, "pieces_pending": 0}


def test_issuing_and_acting_for_phoneless_residents_of_comm_001_are_left_to_its_coordinator() -> None:
    api = FakeApi()
    sim = simulator(api)
    first = sim.communities[0]
    mine = [r for r in sim.residents_of[first] if r not in sim.for_people]
    phoneless = [r for r in mine if r not in sim.logins]
    signed_in = [r for r in mine if r in sim.logins]
    assert phoneless and signed_in
    api.offers = [{"id": f"off-{r}", "resident_id": r, "lot_id": "ord-demo-1-L001"} for r in mine for _ in range(5)]
    accepted = [lot(n, first, "accepted", signed_in[n % len(signed_in)]) for n in range(40)]
    in_work = [lot(100 + n, first, "in_work", r) for n, r in enumerate(mine)]
    api.lots = accepted + in_work
    sim.answer_offers(sim.coordinator[first])
    sim.work(sim.coordinator[first], first)
    answers = [(p.split("/")[4], user) for p, user, _ in api.writes if p.endswith("/answer")]
    assert answers and all(offer.removeprefix("off-") not in phoneless for offer, _ in answers)  # no 代为接单
    assert all(user == offer.removeprefix("off-") for offer, user in answers)  # each answers in their own name
    issued = {body["lot_id"] for p, _, body in api.writes if p.endswith("/materials/issue")}
    assert 8 < len(issued) < 32  # about half of the accepted lots wait for coord1's 发料
    handed = [(p.split("/")[4], user) for p, user, _ in api.writes if p.endswith("/submissions")]
    assert handed and all(r not in phoneless for r, _ in handed)  # no 代为交货
    assert all(user == r for r, user in handed)  # nothing in coord1's name
    assert all(user != sim.coordinator[first] for p, user, _ in api.writes if not p.endswith("/materials/issue"))


def test_the_second_community_is_still_simulated_in_full() -> None:
    api = FakeApi()
    sim = simulator(api)
    second = sim.communities[1]
    mine = sim.residents_of[second]
    api.lots = [lot(n, second, "accepted", mine[n % len(mine)]) for n in range(10)]
    sim.work(sim.coordinator[second], second)
    assert len([p for p, _, _ in api.writes if p.endswith("/materials/issue")]) == 10


def posted(sim: Simulator, api: FakeApi, community: str) -> int:
    before = len(api.writes)
    sim.post_orders(community, sim.coordinator[community])
    return len([p for p, _, _ in api.writes[before:] if p == "/api/v1/orders"])


def test_enterprises_post_only_while_untaken_work_is_under_a_day_of_the_residents_work() -> None:
    api = FakeApi()
    sim = simulator(api)
    community = sim.communities[1]
    assert posted(sim, api, community) > 0  # nothing waiting: orders come in
    day = sim.day_of_work_left(community)
    api.lots = [lot(n, community, status, None) for n, status in
                enumerate(["open", "offered", "escalated"] * (day // 360 // 3 + 1))]  # 360 minutes each
    assert posted(sim, api, community) == 0  # a day's work waits untaken (escalated lots count too)
    api.lots = api.lots[:2]
    assert posted(sim, api, community) > 0
    for r in sim.residents_of[community]:  # everyone has done their day: the enterprises stop posting
        sim.worked[(r, NOW.date())] = 24 * 60
    assert sim.day_of_work_left(community) == 0
    assert posted(sim, api, community) == 0
