"""Attack on issue 16's second-approver corrections (SQLite and PostgreSQL): coord1 and coord1b ask at the same moment
to correct the same frozen inspection. On PostgreSQL both requests used to be recorded as pending (in 2 of 4 tries),
each waiting for the other to approve it; now the inspection is locked while asking, so one is pending and the
other is a 409 naming corrects_inspection_id."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from services.api.app import create_app
from store.db import reading
from store.tables import CorrectionRequest
from tests.integration.api.test_adjustments_and_approved_corrections_over_http import Api
from tests.integration.pay.test_a_period_that_ends_negative_is_carried_until_recovered import (
    CLOSE_11_A,
    IN_11_A,
    IN_11_B,
    inspected,
)


@pytest.fixture
def api(pay_world: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    yield Api(pay_world, monkeypatch)


@pytest.mark.parametrize("attempt", range(4))
def test_two_coordinators_asking_at_once_make_one_request(api: Api, residents: list[str], attempt: int) -> None:
    world = api.world
    original = inspected(world, residents[0], IN_11_A, pieces=30, rate_fen=35)
    close = {"community_id": "comm-001", "period_id": "2026-11-A"}
    assert api.post("/api/v1/pay-periods/close", "coord1", close, CLOSE_11_A).status_code == 201
    api.now = IN_11_B
    clients = {user: TestClient(create_app(world.settings)) for user in ("coord1", "coord1b")}
    start, answers = threading.Barrier(2), {}

    def ask(user: str) -> None:
        start.wait()
        answers[user] = clients[user].post("/api/v1/correction-requests", headers=api.who[user], json={
            "corrects_inspection_id": original, "passed": 0, "rejected": 30, "defect_codes": ["LOOSE"],
            "reason": "复检发现 30 件松结"})

    threads = [threading.Thread(target=ask, args=(user,)) for user in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(reply.status_code for reply in answers.values()) == [201, 409], [r.text for r in answers.values()]
    refused = next(reply for reply in answers.values() if reply.status_code == 409)
    assert refused.json()["detail"][0]["field"] == "corrects_inspection_id"
    with reading(world.engine) as session:
        assert len(session.exec(select(CorrectionRequest)).all()) == 1
