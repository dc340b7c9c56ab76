"""New-user trial: on 1 December the city could only export 社区月报-2026年12月 (six hours of data) and never November
again, and its 年化人均 multiplied those hours up to a year (¥60,491.45 per person). GET /reports/city.xlsx takes
?month=YYYY-MM: last month's workbook holds last month's figures only, named by the month, with its annualised
figure (per person × 365 ÷ the month's days); the current month's leaves the annualised figure out and says so; a
malformed or future month is a 422 naming `month` and the reason in Chinese — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from bench.dashboard_world import wait_out_a_shanghai_midnight
from domain.report_month import month_of
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from store.db import transaction
from store.ledger import append_entries, entry_row
from store.tables import Resident

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _seed(world: Any) -> tuple[str, str]:
    """Last month: two residents of comm-001 paid 100 and 60 pieces at ¥0.37; this month: one paid 10 pieces.
    Returns (last month, this month) as 'YYYY-MM'."""
    wait_out_a_shanghai_midnight()
    this = month_of(datetime.now(SHANGHAI).date())
    last = this.previous()
    in_last = datetime.combine(last.first_day.replace(day=15), time(10), tzinfo=SHANGHAI).astimezone(UTC)
    in_this = datetime.combine(this.first_day, time(0, 30), tzinfo=SHANGHAI).astimezone(UTC)
    with transaction(world.engine) as s:
        a, b = s.exec(select(Resident.id).where(Resident.community_id == "comm-001").order_by(Resident.id)).all()[:2]
        append_entries(s, [entry_row(entry_key=key, kind="piece_pay", resident_id=who, community_id="comm-001",
                                     pieces=pieces, amount_fen=pieces * 37, period_id=period, posted_at=at)
                           for key, who, pieces, period, at in (
                               ("m1:piece_pay", a, 100, f"{last.key}-B", in_last),
                               ("m2:piece_pay", b, 60, f"{last.key}-B", in_last),
                               ("m3:piece_pay", a, 10, f"{this.key}-A", in_this))])
    return last.key, this.key


def _report(reply: Any) -> tuple[list[Any], dict[str, list[Any]]]:
    assert reply.status_code == 200, reply.text
    book = load_workbook(io.BytesIO(reply.content))
    [name] = [n for n in book.sheetnames if n.startswith("社区月报")]
    header, *rows = book[name].iter_rows(values_only=True)
    return [name, *header], {str(r[0]): list(r) for r in rows}


def test_last_month_s_report_holds_last_month_and_its_annualised_figure(pay_world: Any) -> None:
    last, this = _seed(pay_world)
    client = TestClient(create_app(pay_world.settings))
    city = _login(client, "city")
    reply = client.get(f"/api/v1/reports/city.xlsx?month={last}", headers=city)
    (sheet, *header), rows = _report(reply)
    year, month = int(last[:4]), int(last[5:])
    assert sheet == f"社区月报 {last}"
    assert quote(f"社区月报-{year}年{month}月.xlsx") in reply.headers["content-disposition"]
    row = rows["comm-001"]
    in_work, income, per_person, annualised = (row[header.index("在岗居民")], row[header.index("本月收入（元）")],
                                               row[header.index("本月人均（元）")], row[13])
    assert (in_work, income, per_person) == (2, 59.2, 29.6), "last month's lines only (yuan read back as numbers)"
    days = month_of(datetime(year, month, 1).date()).days
    assert header[13] == "年化人均（元，整月人均×365÷当月天数）"
    assert annualised == pytest.approx(2960 * 365 // days / 100)  # ¥29.60 × 365 ÷ the month's days
    daily = list(load_workbook(io.BytesIO(reply.content))["每日合格件数"].iter_rows(values_only=True))[1:]
    assert {str(d)[:7] for d, _, _ in daily} == {last}, "the daily sheet is the month's own days"


def test_this_month_s_report_leaves_the_annualised_figure_out(pay_world: Any) -> None:
    _, this = _seed(pay_world)
    client = TestClient(create_app(pay_world.settings))
    (_, *header), rows = _report(client.get(f"/api/v1/reports/city.xlsx?month={this}",
                                            headers=_login(client, "city")))
    assert header[13] == "年化人均（本月未结束，不折算）"
    assert rows["comm-001"][header.index("在岗居民")] == 1 and rows["comm-001"][13] in (None, "")


def test_a_malformed_or_future_month_is_refused_naming_month(pay_world: Any) -> None:
    client = TestClient(create_app(pay_world.settings))
    city = _login(client, "city")
    for month, words in (("2026-13", "YYYY-MM"), ("11月", "YYYY-MM"), ("2999-01", "尚未开始")):
        reply = client.get(f"/api/v1/reports/city.xlsx?month={quote(month)}", headers=city)
        assert reply.status_code == 422, (month, reply.text)
        [problem] = reply.json()["detail"]
        assert problem["field"] == "month" and words in problem["reason"], (month, problem)
