"""New-user trial: 在岗居民 read 27 on the sign-in page, 26 on the city page and 24 in /api/v1/overview, and 第1社区
showed 12 (人均 ¥73.80) on the city page but 8 (人均 ¥110.71) in its 社区工作者考核 row: four definitions (holding a
lot now; any ledger line this month or holding a lot; submitted work in the period). There is one now
(usecases.queries.in_work: pieces of hers passed and paid in the period), and the sign-in page, the city page, the
assessment, the API overview and the monthly report all read it — on SQLite and PostgreSQL.

The seeded world has, in 第1社区 this month: the worker (45 pieces passed, ¥56.25), a resident who only holds a lot
(accepted, nothing handed in) and one whose only line is a ¥5.00 bonus: one resident in work, ¥61.25 each."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from bench.dashboard_pages import metrics
from bench.dashboard_world import World, actor, build_world
from dashboard import data
from dashboard.format import money
from domain.lifecycle.offer import OfferStatus
from schemas import commands as c
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import Offer
from usecases import offers
from usecases.execute import execute

CITY = actor("city", "city")
INCOME_FEN = 45 * 125 + 500  # the worker's pieces and the bonus


@pytest.fixture
def world(database_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    """The dashboard's world on each store, with a lot holder and a bonus-only resident in 第1社区."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    w = build_world(database_url)
    holder = w.proxy_for  # her lot was dispatched to her; she accepts it and hands nothing in
    with reading(w.engine) as s:
        offer = s.exec(select(Offer.id).where(Offer.lot_id == w.proxy_lot,
                                              Offer.status == OfferStatus.PENDING)).one()
    execute(w.engine, w.settings, offers.answer_offer, offer, c.AnswerOffer(decision="accept"),
            actor=actor(holder, "resident", resident_id=holder, community_ids=frozenset({"comm-001"})))
    bonus_only = next(r for r in w.phone_residents["comm-001"] if r != w.worker)
    with transaction(w.engine) as s:
        append_entries(s, [entry_row(entry_key="adj-test:bonus", kind="bonus", resident_id=bonus_only,
                                     community_id="comm-001", amount_fen=500, period_id="bonus",
                                     posted_at=datetime.now(UTC))])
    return w


def _report(world: World) -> dict[str, dict[str, Any]]:
    client = TestClient(create_app(world.settings))
    token = client.post("/api/v1/auth/token", json={"username": "city", "password": DEMO_PASSWORD}).json()
    reply = client.get("/api/v1/reports/city.xlsx", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert reply.status_code == 200, reply.text
    book = load_workbook(io.BytesIO(reply.content))
    [name] = [n for n in book.sheetnames if n.startswith("社区月报")]
    header, *rows = book[name].iter_rows(values_only=True)
    return {str(r[1]): dict(zip(header, r, strict=True)) for r in rows}


def test_residents_in_work_and_income_per_person_agree_everywhere(world, open_page) -> None:  # noqa: ANN001
    sign_in = metrics(open_page("Home.py", None))
    [in_work_at_sign_in] = [v for label, v in sign_in.items() if "在岗居民" in label]
    city = open_page("views/overview.py", CITY)
    assert not city.exception
    this_month = data.now().astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    city = city.selectbox(key="as_period").select(this_month).run()  # it opens on the last finished month
    by_community = {r["社区"]: r for r in city.dataframe[0].value.to_dict("records")}
    [assessment] = [df.value for df in city.dataframe if "社区工作者" in df.value.columns]
    coord1 = assessment[assessment["社区"] == "第1社区"].to_dict("records")[0]
    api = TestClient(create_app(world.settings)).get("/api/v1/overview").json()
    report = _report(world)
    assert {"sign-in page": in_work_at_sign_in, "city page": metrics(city)["本月在岗居民"],
            "city page, 第1社区": by_community["第1社区"]["本月在岗居民"],
            "assessment, coord1": coord1["在岗居民"], "API overview": api["residents_in_work"],
            "report, 第1社区": report["第1社区"]["在岗居民"], "report, total": report["合计"]["在岗居民"]} == {
        "sign-in page": "1", "city page": "1", "city page, 第1社区": 1, "assessment, coord1": 1,
        "API overview": 1, "report, 第1社区": 1, "report, total": 1}
    assert {"city page": metrics(city)["本月人均收入"], "city page, 第1社区": by_community["第1社区"]["本月人均收入"],
            "assessment, coord1": coord1["人均收入"],
            "report, 第1社区": money(round(report["第1社区"]["本月人均（元）"] * 100))} == dict.fromkeys(
        ("city page", "city page, 第1社区", "assessment, coord1", "report, 第1社区"), money(INCOME_FEN))
