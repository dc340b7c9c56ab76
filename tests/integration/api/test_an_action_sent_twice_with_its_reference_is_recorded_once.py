"""Nothing twice from a double tap or a retry: an action sent again with its reference is answered, not recorded.

An attacker found that the same hand-in, material issue or return, order, volunteer task or redemption sent twice
(in a row or at the same instant) was recorded twice: pieces pending doubled and, inspected or auto-accepted, paid
twice. Each such command takes a `reference` (usecases.receipts); here every one is sent twice through the API on
SQLite and PostgreSQL, one pair at the same instant, and the database is counted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import Lot, MaterialIssue, Order, Submission, VolunteerTask
from usecases.inline import pump

API = "/api/v1"


def _headers(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post(f"{API}/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _count(app: FastAPI, model: Any, *where: Any) -> int:
    with reading(app.state.engine) as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def _twice(send: Callable[[], httpx.Response]) -> tuple[httpx.Response, httpx.Response]:
    return send(), send()


def _at_once(app: FastAPI, method: str, path: str, headers: dict[str, str],
             body: dict[str, Any]) -> list[httpx.Response]:
    """The same request from two clients released together."""
    gate = threading.Barrier(2)

    def go(client: TestClient) -> httpx.Response:
        gate.wait()
        return client.request(method, path, headers=headers, json=body)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(go, [TestClient(app), TestClient(app)]))


def _same_answer(replies: tuple[httpx.Response, ...] | list[httpx.Response], key: str) -> str:
    assert [r.status_code for r in replies] == [201] * len(replies), [r.text for r in replies]
    ids = {r.json()[key] for r in replies}
    assert len(ids) == 1, ids
    return ids.pop()


def test_every_keyed_action_sent_twice_is_recorded_once_and_a_reused_reference_is_refused(city_api: FastAPI) -> None:
    client = TestClient(city_api)
    coord, ent = _headers(client, "coord1"), _headers(client, "ent1")
    due = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    order = {"enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 60, "piece_rate_fen": 30,
             "due_at": due, "eligible_community_ids": ["comm-001"], "pickup_site_id": "comm-001-site-1",
             "reference": "po-tap-1"}
    before = _count(city_api, Order)
    order_id = _same_answer(_twice(lambda: client.post(f"{API}/orders", headers=ent, json=order)), "order_id")
    assert _count(city_api, Order) == before + 1
    other = client.post(f"{API}/orders", headers=ent, json=order | {"quantity": 61})
    assert other.status_code == 409 and other.json()["detail"][0]["field"] == "reference", other.text
    assert _count(city_api, Order) == before + 1, "a refused reference changes nothing"

    pump(city_api.state.engine, city_api.state.settings)
    with reading(city_api.state.engine) as session:
        lots = set(session.exec(select(Lot.id).where(Lot.order_id == order_id)))
    offer = next(o for o in client.get(f"{API}/offers", headers=coord, params={"status": "pending"}).json()
                 if o["lot_id"] in lots)
    assert client.post(f"{API}/offers/{offer['id']}/answer", headers=coord, json={"decision": "accept"}).is_success
    lot_id, resident = offer["lot_id"], offer["resident_id"]

    issue = {"lot_id": lot_id, "resident_id": resident, "pieces": 10, "reference": "iss-tap-1"}
    _same_answer(_twice(lambda: client.post(f"{API}/materials/issue", headers=coord, json=issue)), "issue_id")
    issue2 = issue | {"reference": "iss-tap-2"}
    _same_answer(_at_once(city_api, "POST", f"{API}/materials/issue", coord, issue2), "issue_id")
    assert _count(city_api, MaterialIssue, MaterialIssue.lot_id == lot_id) == 2

    path = f"{API}/residents/{resident}/submissions"
    hand_in = {"lot_id": lot_id, "pieces": 6, "minutes_spent": 30, "reference": "sub-tap-1"}
    first = _same_answer(_twice(lambda: client.post(path, headers=coord, json=hand_in)), "submission_id")
    assert _count(city_api, Submission, Submission.lot_id == lot_id) == 1

    inspection = {"submission_id": first, "passed": 6, "rejected": 0, "reference": "ins-tap-1"}
    _same_answer(_twice(lambda: client.post(f"{API}/inspections", headers=coord, json=inspection)), "inspection_id")

    back = {"lot_id": lot_id, "resident_id": resident, "unused_pieces": 3, "reference": "ret-tap-1"}
    _same_answer(_twice(lambda: client.post(f"{API}/materials/return", headers=coord, json=back)), "return_id")
    with reading(city_api.state.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None and (lot.pieces_issued, lot.pieces_passed) == (17, 6)

    # Twins at the same instant handing in every piece still out: on PostgreSQL the second waited on the lot's lock
    # and, run against the lot the first left, was refused (422 pieces) for a hand-in that was recorded.
    last = hand_in | {"pieces": 11, "reference": "sub-tap-2"}
    second = _same_answer(_at_once(city_api, "POST", path, coord, last), "submission_id")
    _same_answer(_at_once(city_api, "POST", f"{API}/inspections", coord,
                          {"submission_id": second, "passed": 11, "rejected": 0, "reference": "ins-tap-2"}),
                 "inspection_id")
    assert _count(city_api, Submission, Submission.lot_id == lot_id) == 2
    with reading(city_api.state.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        assert (lot.pieces_issued, lot.pieces_submitted, lot.pieces_pending, lot.pieces_passed) == (17, 17, 0, 17)

    task = {"resident_id": resident, "task": "楼道清扫", "minutes": 60, "reference": "vol-tap-1"}
    _same_answer(_twice(lambda: client.post(f"{API}/volunteer-tasks", headers=coord, json=task)), "id")
    assert _count(city_api, VolunteerTask, VolunteerTask.resident_id == resident) == 1

    # Another person's reference is never answered with what it made, even with the same fields.
    stolen = client.post(f"{API}/orders", headers=_headers(client, "ent2"),
                         json=order | {"enterprise_id": "ent-02"})
    assert stolen.status_code == 409 and stolen.json()["detail"][0]["field"] == "reference", stolen.text
    assert order_id not in stolen.text


def test_without_a_reference_each_request_is_its_own(city_api: FastAPI) -> None:
    """The reference is the client's promise that two requests are one action; without it two are two."""
    client = TestClient(city_api)
    coord = _headers(client, "coord1")
    task = {"resident_id": "comm-001-r001", "task": "陪老人就医", "minutes": 30}
    replies = _twice(lambda: client.post(f"{API}/volunteer-tasks", headers=coord, json=task))
    assert [r.status_code for r in replies] == [201, 201] and replies[0].json() != replies[1].json()
