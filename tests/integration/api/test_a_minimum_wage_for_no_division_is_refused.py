"""Attack on issue 16's minimum wages by division (SQLite and PostgreSQL): the city could add a figure for
"000000" or "999999", six digits that name no GB/T 2260 division (no province starts with 00 or 99), and a
community's settings then took them. Now each is a 422 naming division, and nothing is recorded."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import MinimumWageFigure


def test_six_digits_that_name_no_province_are_no_division(city_api: FastAPI) -> None:
    client = TestClient(city_api)
    token = client.post("/api/v1/auth/token", json={"username": "city", "password": DEMO_PASSWORD}).json()
    city = {"Authorization": f"Bearer {token['access_token']}"}
    for code in ("000000", "999999", "０００００１"):
        reply = client.post("/api/v1/minimum-wages", headers=city, json={
            "division": code, "hourly_fen": 2400, "effective_from": "2026-01-01", "source": "鲁政字〔2025〕140号"})
        assert reply.status_code == 422, reply.text
        assert reply.json()["detail"][0]["field"] == "division" and "未知的行政区划" in reply.text, reply.text
    with reading(city_api.state.engine) as session:
        assert session.exec(select(MinimumWageFigure)).all() == []
    # A real district not in the shipped table is still taken by its code (370112, 济南市历城区).
    reply = client.post("/api/v1/minimum-wages", headers=city, json={
        "division": "370112", "hourly_fen": 2400, "effective_from": "2026-01-01", "source": "鲁政字〔2025〕140号"})
    assert reply.status_code == 201, reply.text
