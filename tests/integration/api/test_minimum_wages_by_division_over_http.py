"""Issue 16 over HTTP: minimum wages as the law publishes them, by division and date, and a community's settings.

Hand-computed, for a resident of a 济南市历下区 community (first tier of 鲁政字〔2025〕140号) who hands in 40 pieces
at ¥0.40 (¥16.00) with 30 reported minutes and one pickup of materials (15 minutes): 45 minutes of work.
- 2025-10-A (1–15 Oct 2025), ¥24/h: 45 min × ¥24/h = ¥18.00 → short ¥2.00, topped up by 200 fen at the close.
- 2025-09-B (16–30 Sep 2025), ¥21/h (鲁政字〔2021〕169号 first tier, the earlier figure): 45 × ¥21/h = ¥15.75
  → ¥16.00 meets it, nothing short.
The same work in Shanghai (the demo's 黄浦区, ¥25/h) was judged by ¥25: the figure follows the division.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import col, func, select

from services.api.app import create_app
from store.db import reading
from store.tables import AuditRecord, Community, LedgerEntry, MinimumWageFigure
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login
from tests.integration.pay.test_a_period_that_ends_negative_is_carried_until_recovered import inspected

NEW_COMMUNITY = {"community_id": "comm-jn", "name": "历下一社区", "street": "泉城路街道", "district": "历下区",
                 "city": "济南市"}
# 10:00 in Shanghai on each day.
SEPTEMBER_20 = datetime(2025, 9, 20, 2, 0, tzinfo=UTC)
OCTOBER_10 = datetime(2025, 10, 10, 2, 0, tzinfo=UTC)


def _hourly(client: TestClient, who: dict[str, str], period_id: str, resident: str) -> dict[str, Any]:
    reply = client.get(f"/api/v1/communities/comm-001/hourly-earnings/{period_id}", headers=who)
    assert reply.status_code == 200, reply.text
    return next(dict(row) for row in reply.json() if row["resident_id"] == resident)


def test_a_jinan_community_is_judged_by_24_yuan_from_october_2025_and_by_21_before(
        pay_world: Any, residents: list[str]) -> None:
    resident = residents[0]
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    moved = client.put("/api/v1/communities/comm-001/settings", headers=coordinator,
                       json={"division": "济南市历下区", "tops_up_minimum_wage": True})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["division"], moved.json()["division_name"]) == ("370102", "山东省济南市历下区")
    inspected(pay_world, resident, SEPTEMBER_20, pieces=40, rate_fen=40)
    inspected(pay_world, resident, OCTOBER_10, pieces=40, rate_fen=40)

    october = _hourly(client, coordinator, "2025-10-A", resident)
    assert (october["earned_fen"], october["minutes_total"]) == (1_600, 45)
    assert (october["min_hourly_wage_fen"], october["shortfall_fen"]) == (2_400, 200)
    september = _hourly(client, coordinator, "2025-09-B", resident)
    assert (september["min_hourly_wage_fen"], september["shortfall_fen"]) == (2_100, 0)

    closed = client.post("/api/v1/pay-periods/close", headers=coordinator,
                         json={"community_id": "comm-001", "period_id": "2025-10-A"})
    assert closed.status_code == 201, closed.text
    assert closed.json()["top_ups_fen"] == 200
    earlier = client.post("/api/v1/pay-periods/close", headers=coordinator,
                          json={"community_id": "comm-001", "period_id": "2025-09-B"})
    assert earlier.status_code == 201 and earlier.json()["top_ups_fen"] == 0
    with reading(pay_world.engine) as session:
        top_ups = session.exec(select(LedgerEntry.period_id, LedgerEntry.amount_fen).where(
            LedgerEntry.kind == "wage_top_up")).all()
    assert top_ups == [("2025-10-A", 200)]


def test_the_demo_communities_are_judged_by_shanghais_figure(pay_world: Any, residents: list[str]) -> None:
    # 上海市黄浦区 (310101) is covered by the municipality's ¥25/h from 2025-07-01: 45 min → ¥18.75, short ¥2.75.
    resident = residents[0]
    client = TestClient(create_app(pay_world.settings))
    inspected(pay_world, resident, OCTOBER_10, pieces=40, rate_fen=40)
    october = _hourly(client, _login(client, "coord1"), "2025-10-A", resident)
    assert (october["min_hourly_wage_fen"], october["shortfall_fen"]) == (2_500, 275)


def test_a_community_needs_a_division_whose_minimum_wage_is_known(pay_world: Any) -> None:
    client = TestClient(create_app(pay_world.settings))
    city = _login(client, "city")
    refusals = [
        ({}, "division", "必填"),  # reasons in Chinese unless the caller asks for English
        ({"division": "火星市"}, "division", "未知的行政区划"),
        ({"division": "济南市"}, "division", "分档"),  # Jinan is published in two tiers: which district?
        ({"division": "市中区"}, "division", "370402"),  # 济南市市中区 or 枣庄市市中区?
        ({"division": "胶州市"}, "division", "没有已知的最低工资标准"),  # its figure could not be sourced
        ({"division": "650102"}, "division", "650102"),
    ]
    for extra, field, words in refusals:
        reply = client.post("/api/v1/communities", headers=city, json={**NEW_COMMUNITY, **extra})
        assert reply.status_code == 422, (extra, reply.text)
        [problem] = [p for p in reply.json()["detail"] if p["field"].endswith(field)]
        assert words in problem["reason"], (extra, problem)
    with reading(pay_world.engine) as session:
        assert session.get(Community, "comm-jn") is None
    # With or without 区, with its city, full-width digits: one division.
    for n, typed in enumerate(("历下区", "历下", "济南历下区", "３７０１０２")):
        reply = client.post("/api/v1/communities", headers=city,
                            json={**NEW_COMMUNITY, "community_id": f"comm-jn{n}", "division": typed})
        assert reply.status_code == 201, (typed, reply.text)
        shown = client.get(f"/api/v1/communities/comm-jn{n}", headers=city).json()
        assert (shown["division"], shown["division_name"]) == ("370102", "山东省济南市历下区")


def test_the_city_adds_a_published_figure_as_data_and_it_is_used(pay_world: Any) -> None:
    client = TestClient(create_app(pay_world.settings))
    city, coordinator = _login(client, "city"), _login(client, "coord1")
    figure = {"division": "青岛市胶州市", "hourly_fen": 2_200, "monthly_fen": 221_000, "tier": "第二档",
              "effective_from": "2025-10-01", "source": "部署方据鲁政字〔2025〕140号附件核实"}
    assert client.post("/api/v1/minimum-wages", headers=coordinator, json=figure).status_code == 403
    assert client.post("/api/v1/minimum-wages", headers=city,
                       json={**figure, "effective_from": 20251001}).status_code == 422
    added = client.post("/api/v1/minimum-wages", headers=city, json=figure)
    assert added.status_code == 201, added.text
    assert added.json() == {"division": "370281", "effective_from": "2025-10-01"}
    again = client.post("/api/v1/minimum-wages", headers=city, json=figure)
    assert again.status_code == 409 and again.json()["detail"][0]["field"] == "effective_from"
    listed = client.get("/api/v1/minimum-wages", headers=coordinator, params={"division": "370281"}).json()
    assert [(f["division"], f["hourly_fen"], f["effective_from"]) for f in listed] == [
        ("370281", 2_200, "2025-10-01")]
    reply = client.post("/api/v1/communities", headers=city,
                        json={**NEW_COMMUNITY, "community_id": "comm-jz", "division": "370281"})
    assert reply.status_code == 201, reply.text
    with reading(pay_world.engine) as session:
        assert session.exec(select(func.count()).select_from(MinimumWageFigure)).one() == 1
        assert session.exec(select(AuditRecord).where(AuditRecord.action == "minimum_wage.add")).one().actor == "city"


def test_community_settings_are_read_and_changed_by_api_with_an_audit_record(
        pay_world: Any, residents: list[str]) -> None:
    client = TestClient(create_app(pay_world.settings))
    coordinator, other, enterprise = _login(client, "coord1"), _login(client, "coord2"), _login(client, "ent1")
    path = "/api/v1/communities/comm-001/settings"
    assert client.get(path, headers=coordinator).json() == {
        "community_id": "comm-001", "period_kind": "half_month", "tops_up_minimum_wage": False,
        "division": "310101", "division_name": "上海市黄浦区", "debt_recovery_cap_bps": 2000,
        "match_fairness_weight": 2.0}
    assert client.get(path, headers=other).status_code == 404  # not theirs: as if it did not exist
    assert client.put(path, headers=enterprise, json={"tops_up_minimum_wage": True}).status_code == 403
    for bad, field in (({"division": "火星"}, "division"), ({"debt_recovery_cap_bps": 2500}, "debt_recovery_cap_bps"),
                       ({"period_kind": "year"}, "period_kind"), ({"tops_up_minimum_wage": "yes"}, "tops_up")):
        reply = client.put(path, headers=coordinator, json=bad)
        assert reply.status_code == 422, (bad, reply.text)
        assert field in reply.json()["detail"][0]["field"]
    changed = client.put(path, headers=coordinator, json={"debt_recovery_cap_bps": 1000, "period_kind": "month"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["debt_recovery_cap_bps"], changed.json()["period_kind"]) == (1000, "month")
    assert changed.json()["division"] == "310101"  # what was left out stays
    with reading(pay_world.engine) as session:
        [record] = session.exec(select(AuditRecord).where(AuditRecord.action == "community.settings")).all()
    assert (record.actor, record.subject) == ("coord1", "comm-001")
    assert record.detail["changes"] == {"debt_recovery_cap_bps": {"before": 2000, "after": 1000},
                                        "period_kind": {"before": "half_month", "after": "month"}}
    # Pay in a period not yet closed: changing the kind would leave it in no period of the new kind.
    inspected(pay_world, residents[0], datetime.now(UTC), pieces=10, rate_fen=40)
    refused = client.put(path, headers=coordinator, json={"period_kind": "week"})
    assert refused.status_code == 409 and refused.json()["detail"][0]["field"] == "period_kind"
    assert client.get(path, headers=coordinator).json()["period_kind"] == "month"


def test_registry_records_are_listed_and_read_one_by_one_in_each_roles_scope(
        pay_world: Any, residents: list[str]) -> None:
    client = TestClient(create_app(pay_world.settings))
    who = {u: _login(client, u) for u in ("city", "coord1", "ent1")} | {"resident": _login(client, residents[0])}

    def ids(path: str, user: str, key: str = "id") -> list[str]:
        reply = client.get(path, headers=who[user])
        assert reply.status_code == 200, (path, user, reply.text)
        return [row[key] for row in reply.json()]

    assert ids("/api/v1/communities", "city") == ["comm-001", "comm-002"]
    assert ids("/api/v1/communities", "ent1") == ["comm-001", "comm-002"]  # an enterprise posts to any
    assert ids("/api/v1/communities", "coord1") == ["comm-001"]
    assert ids("/api/v1/communities", "resident") == ["comm-001"]
    assert ids("/api/v1/enterprises", "coord1") == ["ent-01", "ent-02"]
    assert ids("/api/v1/enterprises", "ent1") == ["ent-01"]
    assert ids("/api/v1/products", "ent1", "code") == ["BEAD-01", "NET-02", "PACK-03"]
    assert set(ids("/api/v1/sites", "coord1")) == {"comm-001-site-1", "comm-001-site-2"}
    assert len(ids("/api/v1/sites", "city")) == 4
    assert client.get("/api/v1/enterprises/ent-01", headers=who["ent1"]).json()["name"] == "合作企业1号"
    assert client.get("/api/v1/products/NET-02", headers=who["coord1"]).json()["standard_minutes_per_piece"] == 12
    assert client.get("/api/v1/sites/comm-001-site-1", headers=who["resident"]).json()["community_id"] == "comm-001"
    unseen = [("coord1", "/api/v1/communities/comm-002", "community_id"), ("ent1", "/api/v1/enterprises/ent-02",
              "enterprise_id"), ("coord1", "/api/v1/sites/comm-002-site-1", "site_id"),
              ("city", "/api/v1/products/NOPE", "product_code"), ("resident", "/api/v1/communities/comm-002",
                                                                   "community_id")]
    for user, path, field in unseen:
        reply = client.get(path, headers=who[user])
        assert reply.status_code == 404 and reply.json()["detail"][0]["field"] == field, (user, path, reply.text)
    for path in ("/api/v1/enterprises", "/api/v1/products", "/api/v1/minimum-wages"):
        assert client.get(path, headers=who["resident"]).status_code == 403
    with reading(pay_world.engine) as session:
        assert session.exec(select(func.count()).select_from(Community).where(
            col(Community.division) == "310101")).one() == 2


def test_an_order_is_audited_against_the_minimum_of_each_community_it_goes_to(pay_world: Any) -> None:
    # PACK-03 takes 2 standard minutes a piece, so 80 fen a piece is exactly ¥24.00 an hour at standard speed:
    # enough in 济南市历下区 (¥24), below Shanghai's ¥25; 79 fen (¥23.70) is below both. An order open to both
    # communities is judged by the higher figure, since its work may be done in either.
    client = TestClient(create_app(pay_world.settings))
    assert client.put("/api/v1/communities/comm-001/settings", headers=_login(client, "city"),
                      json={"division": "370102"}).status_code == 200
    enterprise = _login(client, "ent1")
    due = datetime(2030, 1, 1, tzinfo=UTC).isoformat()

    def below(rate_fen: int, *communities: str) -> bool:
        reply = client.post("/api/v1/orders", headers=enterprise, json={
            "enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 100, "piece_rate_fen": rate_fen,
            "due_at": due, "eligible_community_ids": list(communities), "pickup_site_id": f"{communities[0]}-site-1"})
        assert reply.status_code == 201, reply.text
        return bool(reply.json()["below_minimum_wage"])

    assert below(80, "comm-001") is False
    assert below(80, "comm-002") is True
    assert below(80, "comm-001", "comm-002") is True
    assert below(79, "comm-001") is True
