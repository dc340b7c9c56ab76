"""Issue 15: every list endpoint pages (`limit`, `cursor` in; X-Has-More, X-Next-Cursor out), on SQLite and
PostgreSQL over HTTP — following the cursor one row at a time gives exactly the whole list, in its order, none
twice; a made-up cursor or a bad limit is a 422 naming the field in Chinese. Issue 16: an adjustment posted again
with the same reference pays once.

One city per store (module scope): two communities, comm-001's resident with four paid lots (two of them rated,
each lot offered to her first, two of the offers in the same instant), another comm-001 resident and comm-002's with
one each, 2026-11-A closed in comm-001 with two corrections asked, recoveries carried into 2026-12-A, point rules,
shop items (two of one name) and points scored from the work. Every order is posted, and her four inspections
recorded, in one instant, so the lists sorted by time need their id as tie-breaker to page the same way every time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, func, select

from schemas import commands as c
from schemas import points as p
from schemas.catalogue import consumers_of, decode
from schemas.service import RateService
from services.api.app import create_app
from services.demo.city import build_city
from services.demo.seed import load_city
from store.db import make_engine, reading, transaction
from store.tables import Inspection, LedgerEntry, Lot, Offer, Order, OutboxEvent, PayAdjustment, Payout, Resident
from tests.conftest import Templates, _drop_pg
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login
from tests.integration.conftest import COORDINATOR, PayWorld
from tests.integration.pay.test_a_period_that_ends_negative_is_carried_until_recovered import (
    CLOSE_11_A,
    CLOSE_11_B,
    IN_11_A,
    IN_11_B,
)
from usecases import adjustments, corrections, pay, ratings, shop, work
from usecases.actors import Actor
from usecases.consumer import apply_batch
from usecases.routing import HANDLERS
from usecases.settings import Settings
from usecases.throttle import forget_clients

COORD2 = Actor(username="coord2", role="coordinator", community_ids=frozenset({"comm-002"}))
API = "/api/v1"


@dataclass
class City:
    client: TestClient
    who: dict[str, dict[str, str]]  # username -> Authorization header
    resident: str  # comm-001's, who signs in
    engine: Any

    def get(self, path: str, user: str, **params: Any) -> Any:
        return self.client.get(API + path, headers=self.who[user], params=params)


def _worked(world: PayWorld, resident: str, *, community: str = "comm-001", actor: Actor = COORDINATOR,
            lots: int = 1) -> list[str]:
    """`lots` lots of 100 pieces × ¥0.35 all passed in 2026-11-A (¥35: 3 points each); the inspections' ids."""
    done = []
    for _ in range(lots):
        lot = world.lot(resident, pieces=100, rate_fen=35, community_id=community)
        world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=100), actor=actor,
                  at=IN_11_A)
        sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=100, minutes_spent=300),
                           actor=actor, at=IN_11_A)
        ins, _ = world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=100, rejected=0),
                           actor=actor, at=IN_11_A)
        done.append(str(ins.id))
    world.earn(IN_11_A)
    return done


def _score_points(world: PayWorld) -> None:
    """The points consumer over what the earnings consumer announced, as the worker runs it."""
    with reading(world.engine) as session:
        rows = session.exec(select(OutboxEvent).order_by(col(OutboxEvent.id))).all()
    events = [decode(r.payload.encode()) for r in rows if "points" in consumers_of(r.topic, r.type)]
    _, failed = apply_batch(world.engine, "points", events, HANDLERS["points"], world.ctx(IN_11_A))
    assert not failed, failed


def _offered(world: PayWorld, resident: str, lots: list[str]) -> None:
    """An accepted offer for each of her lots, an hour apart except the last two, made in the same instant; their
    ids are written in the order a time-only sort would be likely to keep (so only the id tie-breaker puts them
    newest-id first)."""
    times = [IN_11_A - timedelta(hours=9 - n) for n in range(len(lots) - 2)] + [IN_11_A] * 2
    with transaction(world.engine) as session:
        for n, (lot_id, at) in enumerate(zip(lots, times, strict=True)):
            lot = session.get(Lot, lot_id)
            assert lot is not None
            session.add(Offer(id=f"off-tie-{n}", lot_id=lot_id, resident_id=resident, community_id=lot.community_id,
                              status="accepted", pieces=lot.pieces, piece_rate_centifen=lot.piece_rate_centifen,
                              explanation_zh="技能与时间相符", explanation_en="skills and time fit", offered_at=at,
                              expires_at=at + timedelta(hours=2), decided_at=at, decided_by=resident))
            session.flush()  # one INSERT at a time, in this order


def _build(world: PayWorld, residents: dict[str, list[str]]) -> str:
    """The city's records (see the module's docstring); the comm-001 resident who signs in."""
    resident, other = residents["comm-001"][:2]
    inspections = _worked(world, resident, lots=4)
    _worked(world, other)
    _worked(world, residents["comm-002"][0], community="comm-002", actor=COORD2)
    _score_points(world)
    me = Actor(username=resident, role="resident", resident_id=resident)
    with reading(world.engine) as session:
        lots = sorted(set(session.exec(select(LedgerEntry.lot_id).where(LedgerEntry.resident_id == resident))))
    _offered(world, resident, [str(lot) for lot in lots])
    for stars, lot in zip((5, 3), lots, strict=False):  # two rated, two left to rate
        world.run(ratings.rate_service, RateService(act_kind="lot", act_id=str(lot), stars=stars), actor=me,
                  at=IN_11_A + timedelta(hours=stars))
    for version in (1, 2):
        world.run(shop.set_point_rule, p.SetPointRule(community_id="comm-001", fen_per_point=1000 * version,
                                                     reason="调整积分规则"),
                  at=IN_11_A + timedelta(minutes=version))
    for name, price in (("抽纸", 3), ("抽纸", 4), ("大米", 20)):
        world.run(shop.add_shop_item, p.AddShopItem(community_id="comm-001", name=name, price_points=price, stock=9))
    world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A"), at=CLOSE_11_A)
    for inspection in inspections[:2]:
        world.run(corrections.request_correction, c.RequestCorrection(
            corrects_inspection_id=inspection, passed=90, rejected=10, defect_codes=["LOOSE"],
            reason="复检发现松结"), at=IN_11_B)
    for who in (resident, other):  # nothing earned in 2026-11-B: the recoveries are carried into 2026-12-A
        world.run(adjustments.post_adjustment, c.PostAdjustment(resident_id=who, kind="recovery", amount_fen=300,
                                                                reason="损坏工具赔偿"), at=IN_11_B)
    world.run(adjustments.post_adjustment, c.PostAdjustment(resident_id=resident, kind="bonus", amount_fen=200,
                                                            reason="协助清点物料"), at=IN_11_B)
    world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-B"), at=CLOSE_11_B)
    return resident


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def city(request: pytest.FixtureRequest, templates: Templates,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    pg_name = None
    if request.param == "sqlite":
        url = templates.sqlite_copy(Path(tmp_path_factory.mktemp("lists")) / "mf.db")
    else:
        pg_name, url = templates.pg_copy()
    settings = Settings(DATABASE_URL=url, DEMO=False)
    engine = make_engine(url)
    plan = build_city(communities=2, residents_per_community=6)
    load_city(engine, settings, plan)
    signing_in: dict[str, list[str]] = {}
    for r in plan.residents:
        if r.password:
            signing_in.setdefault(r.community_id, []).append(r.resident_id)
    resident = _build(PayWorld(engine, settings), signing_in)
    app = create_app(settings)
    forget_clients()
    client = TestClient(app)
    yield City(client, {u: _login(client, u) for u in ("city", "coord1", resident)}, resident, engine)
    app.state.engine.dispose()
    engine.dispose()
    if pg_name:
        _drop_pg(pg_name)


# (path, who reads it, query, how to find the rows in the body: None for a list body)
LISTS: list[tuple[str, str, dict[str, str], str | None]] = [
    ("/communities", "city", {}, None),
    ("/sites", "city", {}, None),
    ("/sites", "coord1", {"community_id": "comm-001"}, None),
    ("/products", "city", {}, None),
    ("/enterprises", "city", {}, None),
    ("/pay-periods/overdue", "city", {}, None),
    ("/pay-periods/debts", "coord1", {}, None),
    ("/adjustments", "coord1", {}, None),
    ("/correction-requests", "coord1", {"status": "pending"}, None),
    ("/points", "RESIDENT", {}, "lines"),
    ("/communities/comm-001/points/rules", "coord1", {}, None),
    ("/communities/comm-001/shop/items", "coord1", {}, None),
    ("/ratings/acts", "RESIDENT", {}, None),
    ("/ratings/mine", "RESIDENT", {}, None),
    ("/communities/comm-001/ratings", "coord1", {}, None),
    ("/assessment", "city", {"period": "2026-11"}, None),
    ("/assessment/stars", "city", {"quarter": "2026-Q4"}, None),
    ("/minimum-wages", "city", {}, None),
    ("/custody", "coord1", {}, None),
    ("/communities/comm-001/hourly-earnings/2026-11-A", "coord1", {}, None),
    ("/orders", "city", {}, None),
    ("/orders", "coord1", {}, None),  # a coordinator's are filtered in Python, then cut: another path
    ("/offers", "coord1", {}, None),
    ("/offers", "RESIDENT", {"status": "accepted"}, None),
    ("/residents/RESIDENT/offers", "RESIDENT", {}, None),
    ("/residents/RESIDENT/offers", "coord1", {"status": "accepted"}, None),
    ("/residents/RESIDENT/inspections", "RESIDENT", {}, None),
    ("/residents/RESIDENT/inspections", "coord1", {}, None),
]


def _rows(reply: Any, inside: str | None) -> list[Any]:
    assert reply.status_code == 200, reply.text
    body = reply.json()
    return list(body[inside] if inside else body)


@pytest.mark.parametrize(("path", "user", "query", "inside"), LISTS, ids=[f"{x[0]}:{x[1]}" for x in LISTS])
def test_following_the_cursor_gives_the_whole_list_once(city: City, path: str, user: str, query: dict[str, str],
                                                         inside: str | None) -> None:
    user, path = city.resident if user == "RESIDENT" else user, path.replace("RESIDENT", city.resident)
    whole = city.get(path, user, **query, limit=1000)
    assert whole.headers["X-Has-More"] == "false" and "X-Next-Cursor" not in whole.headers
    everything = _rows(whole, inside)
    assert len(everything) >= 2, f"{path} needs two rows to page: {everything}"
    as_text = [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in everything]
    assert len(set(as_text)) == len(as_text), f"{path} lists a row twice"
    walked, cursor = [], None
    while True:
        reply = city.get(path, user, **query, limit=1, **({"cursor": cursor} if cursor else {}))
        page = _rows(reply, inside)
        walked += page
        if reply.headers["X-Has-More"] == "false":
            assert "X-Next-Cursor" not in reply.headers and len(page) <= 1
            break
        assert len(page) == 1 and 'rel="next"' in reply.headers["Link"], reply.headers
        cursor = reply.headers["X-Next-Cursor"]
        assert len(walked) <= len(everything), f"{path} keeps saying there is more"
    assert walked == everything  # the same rows in the same order, none twice, none left out
    first_two = city.get(path, user, **query, limit=2)
    assert first_two.headers["X-Has-More"] == ("true" if len(everything) > 2 else "false")


@pytest.mark.parametrize(("path", "user", "query", "inside"), LISTS, ids=[f"{x[0]}:{x[1]}" for x in LISTS])
def test_a_made_up_cursor_or_a_bad_limit_is_refused_naming_the_field(city: City, path: str, user: str,
                                                                     query: dict[str, str], inside: str | None) -> None:
    user, path = city.resident if user == "RESIDENT" else user, path.replace("RESIDENT", city.resident)
    for bad, field, words in (({"cursor": "not-ours"}, "cursor", "翻页游标无效"), ({"limit": 0}, "limit", "不能小于 1"),
                              ({"limit": 5000}, "limit", "不能大于 1000"), ({"limit": "lots"}, "limit", "整数")):
        reply = city.get(path, user, **query, **bad)
        assert reply.status_code == 422, (bad, reply.text)
        [problem] = reply.json()["detail"]
        assert problem["field"] == field and words in problem["reason"], (bad, problem)


def test_rows_of_one_instant_come_newest_id_first_on_every_page(city: City) -> None:
    """The lists sorted by time break ties by id (descending, as the time): the order is total, so a page boundary
    between two rows of the same instant can neither swap them nor show one twice and the other never."""
    with reading(city.engine) as session:
        orders = session.exec(select(Order.posted_at, Order.id)).all()
        offers = session.exec(select(Offer.offered_at, Offer.id).where(Offer.resident_id == city.resident)).all()
        inspections = session.exec(select(Inspection.inspected_at, Inspection.id)
                                   .where(Inspection.resident_id == city.resident)).all()
    for path, user, rows in (("/orders", "city", orders), ("/offers", "coord1", offers),
                             (f"/residents/{city.resident}/offers", city.resident, offers),
                             (f"/residents/{city.resident}/inspections", city.resident, inspections)):
        times = [at for at, _ in rows]
        assert len(set(times)) < len(times), f"{path}: the city needs two rows of one instant"
        expected = [row_id for _, row_id in sorted(rows, reverse=True)]
        walked, cursor = [], None
        while cursor != "":
            reply = city.get(path, user, limit=1, **({"cursor": cursor} if cursor else {}))
            walked += [row["id"] for row in _rows(reply, None)]
            cursor = reply.headers.get("X-Next-Cursor", "")
        assert walked == expected, path
        if "offers" in path:  # the two offers of one instant, the later id first though it was written last
            assert walked[:2] == ["off-tie-3", "off-tie-2"], walked


def test_an_adjustment_posted_again_with_its_reference_pays_once(city: City) -> None:
    body = {"resident_id": city.resident, "kind": "bonus", "amount_fen": 500, "reason": "协助清点物料",
            "reference": "adj-retry-1"}
    headers = city.who["coord1"]
    first = city.client.post(f"{API}/adjustments", json=body, headers=headers)
    assert first.status_code == 201 and first.json()["created"] is True, first.text
    with reading(city.engine) as session:
        before = (session.exec(select(func.count()).select_from(PayAdjustment)).one(),
                  session.exec(select(func.sum(LedgerEntry.amount_fen))).one())
    again = city.client.post(f"{API}/adjustments", json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert {**again.json(), "created": True} == first.json() and again.json()["created"] is False
    for field, value in (("amount_fen", 600), ("kind", "recovery"), ("reason", "另一个原因")):
        other = city.client.post(f"{API}/adjustments", json={**body, field: value}, headers=headers)
        assert other.status_code == 409, other.text
        [problem] = other.json()["detail"]
        assert problem["field"] == field and "已用于另一笔调整" in problem["reason"], problem
        assert field not in problem["reason"], "the Chinese reason names the field by its label, not its code"
    with reading(city.engine) as session:  # nothing new was posted: no row, no ledger line
        assert (session.exec(select(func.count()).select_from(PayAdjustment)).one(),
                session.exec(select(func.sum(LedgerEntry.amount_fen))).one()) == before
    fresh = city.client.post(f"{API}/adjustments", json={**body, "reference": "adj-retry-2"}, headers=headers)
    assert fresh.status_code == 201 and fresh.json()["adjustment_id"] != first.json()["adjustment_id"]


def test_a_reference_taken_in_another_community_is_refused_without_its_values(city: City) -> None:
    """Issue 16 follow-up: payout and adjustment references are unique across communities, so another community's
    coordinator who reuses (or guesses) one gets a 409 naming the differing field, in either language, and never
    the first record's resident id, period or amount; nothing is written for them."""
    coord2 = _login(city.client, "coord2")
    with reading(city.engine) as session:
        mine = session.exec(select(Resident.id).where(Resident.community_id == "comm-002")).first()
    paid = city.client.post(f"{API}/payouts", headers=city.who["coord1"], json={
        "resident_id": city.resident, "period_id": "2026-11-A", "amount_fen": 1357, "method": "wechat",
        "reference": "WX-SECRET-7"})
    assert paid.status_code == 201, paid.text
    adjusted = city.client.post(f"{API}/adjustments", headers=city.who["coord1"], json={
        "resident_id": city.resident, "kind": "bonus", "amount_fen": 2468, "reason": "协助清点物料",
        "reference": "ADJ-SECRET-7"})
    assert adjusted.status_code == 201, adjusted.text
    with reading(city.engine) as session:
        before = (session.exec(select(func.count()).select_from(Payout)).one(),
                  session.exec(select(func.count()).select_from(PayAdjustment)).one())
    secrets = (city.resident, "1357", "13.57", "2468", "24.68", "2026-11-A", "wechat", "协助清点物料")
    for path, body in (
            ("/payouts", {"resident_id": mine, "period_id": "2026-11-B", "amount_fen": 100, "method": "cash",
                          "reference": "WX-SECRET-7"}),
            ("/adjustments", {"resident_id": mine, "kind": "recovery", "amount_fen": 100, "reason": "工具损坏",
                              "reference": "ADJ-SECRET-7"})):
        for language in ("zh-CN", "en"):
            reply = city.client.post(API + path, json=body, headers={**coord2, "Accept-Language": language})
            assert reply.status_code == 409, reply.text
            [problem] = reply.json()["detail"]
            assert problem["field"] == "resident_id", problem
            assert ("已用于另一笔" if language == "zh-CN" else "was already used for another") in problem["reason"]
            assert language == "en" or "居民不同" in problem["reason"] and "resident_id" not in problem["reason"]
            leaked = [s for s in secrets if s in reply.text]
            assert not leaked, f"{path} 409 reveals {leaked}: {reply.text}"
    with reading(city.engine) as session:
        assert (session.exec(select(func.count()).select_from(Payout)).one(),
                session.exec(select(func.count()).select_from(PayAdjustment)).one()) == before
