"""Attacks on issue 16's adjustments and the API's ids (SQLite and PostgreSQL): a NUL in a reason, an id in the
path or a query parameter was a 500 on PostgreSQL (its text cannot hold U+0000) and stored as sent on SQLite; an
escape sequence or a reason of zero-width spaces was posted as a bonus's reason. Each is now a 422 naming the field
(or 'path'), in Chinese by default, and nothing is written."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import LedgerEntry, PayAdjustment, SignInThrottle

RESIDENT = "comm-001-r001"


def _refused(reply: object, field: str, words: str) -> None:
    assert reply.status_code == 422, reply.text  # type: ignore[attr-defined]
    problems = reply.json()["detail"]  # type: ignore[attr-defined]
    assert any(p["field"] == field and words in p["reason"] for p in problems), problems


def test_control_characters_and_invisible_reasons_are_refused_naming_the_field(city_api: FastAPI) -> None:
    client = TestClient(city_api, raise_server_exceptions=False)
    token = client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD}).json()
    coordinator = {"Authorization": f"Bearer {token['access_token']}"}
    bonus = {"resident_id": RESIDENT, "kind": "bonus", "amount_fen": 100}
    for reason in ("奖励\x00原因", "\x1b[31m奖励", "奖励\x85"):
        _refused(client.post("/api/v1/adjustments", headers=coordinator, json={**bonus, "reason": reason}),
                 "reason", "控制字符")
    for reason in ("\u200b\u200b", "好\ufeff", "\u3000\u3000"):
        _refused(client.post("/api/v1/adjustments", headers=coordinator, json={**bonus, "reason": reason}),
                 "reason", "必须写明原因")
    _refused(client.post("/api/v1/correction-requests", headers=coordinator, json={
        "corrects_inspection_id": "ins\x00", "passed": 1, "rejected": 0, "reason": "复核更正"}),
        "corrects_inspection_id", "控制字符")
    for path in ("/api/v1/orders/a%00b", f"/api/v1/residents/{RESIDENT}%00/earnings", "/api/v1/lots/x%00"):
        _refused(client.get(path, headers=coordinator), "path", "控制字符")
    _refused(client.post("/api/v1/correction-requests/cor%00/decision", headers=coordinator,
                         json={"decision": "approve"}), "path", "控制字符")
    _refused(client.get(f"/api/v1/residents/{RESIDENT}/offers?status=%00", headers=coordinator), "status", "控制字符")
    english = client.get("/api/v1/orders/a%00b", headers={**coordinator, "Accept-Language": "en"})
    assert english.json()["detail"] == [{"field": "path", "reason": "must not contain control characters (such "
                                                                    "as %00)"}]
    with reading(city_api.state.engine) as session:
        assert session.exec(select(PayAdjustment)).all() == []
        assert session.exec(select(LedgerEntry).where(LedgerEntry.kind == "adjustment")).all() == []
    # A reason with a line break and visible words is still a reason.
    reply = client.post("/api/v1/adjustments", headers=coordinator, json={**bonus, "reason": "加班\n奖励"})
    assert reply.status_code == 201, reply.text


def test_a_username_with_a_control_character_is_refused_naming_it_and_counts_nothing(city_api: FastAPI) -> None:
    """POST /auth/token with a NUL in the username was a 500 on PostgreSQL (its text cannot hold U+0000) and a wrong
    password on SQLite; now a 422 naming username on both, before the sign-in is looked up or a failure counted."""
    client = TestClient(city_api, raise_server_exceptions=False)
    for username in ("coord1\x00", "\x00", "coord1\x1b[31m", "1381234\x855678"):
        _refused(client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}),
                 "username", "控制字符")
    english = client.post("/api/v1/auth/token", json={"username": "coord1\x00", "password": "x"},
                          headers={"Accept-Language": "en"})
    assert english.json()["detail"] == [{"field": "username", "reason": "must not contain control characters "
                                                                        "(U+0000)"}]
    with reading(city_api.state.engine) as session:
        assert session.exec(select(SignInThrottle)).all() == []
    assert client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD}).status_code == 200
