"""The assessment of coordinators (社区工作者考核) over HTTP, against a hand computation (issue 17).

Seeded: comm-001 (coord1) and comm-002 (coord2), both in 黄浦区; the city sets 黄浦区's minimum raters to 3 and
keeps the default weights 60/30/10 and thresholds 90/70/60. All of it happens on 2026-11-10 (Asia/Shanghai).

coord1 hands in one lot for each of three comm-001 residents a, b, c (100 pieces at 100 fen, all passed, inspected
at once): 3 inspections, 3 within 48 h; 3 acts on behalf (the hand-ins); 3 residents in work; income
3 × 10,000 = 30,000 fen, 10,000 a person. Ratings (the residents on their phones):
    a: the hand-in 5, the lot 4   → a's mean 4.5 → 90
    b: the lot 3                  → 60
    c: the hand-in 5              → 100
Satisfaction is the mean over raters: (90 + 60 + 100) / 3 = 83.33… → 83.3 (3 raters ≥ 3).
The city enters street 80, peers 90: 0.6 × 83.3 + 0.3 × 80 + 0.1 × 90 = 49.98 + 24 + 9 = 82.98 → 83.0 → 称职.
coord2: one comm-002 resident rates one hand-in 5 → 1 rater < 3 → 评价人数不足, no total, no grade.

The city page reads the world's clock (dashboard.data.now), not the machine's: its picker offers the last 13 months,
so 2026-11 left it in December 2027 and the test broke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from dashboard import data
from domain.assessment.grades import TZ
from domain.sheets import XLSX_MEDIA_TYPE, read_xlsx_rows
from schemas import commands as cmd
from schemas.service import RateService
from services.demo.city import build_city
from store.db import reading
from store.tables import Submission
from tests.integration.conftest import START
from tests.integration.points.conftest import PointsWorld
from usecases import ratings, work
from usecases.actors import Actor

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"
CITY = Actor(username="city", role="city")
COORD1 = Actor(username="coord1", role="coordinator", community_ids=frozenset({"comm-001"}))
COORD2 = Actor(username="coord2", role="coordinator", community_ids=frozenset({"comm-002"}))
MONTH = START.astimezone(TZ).strftime("%Y-%m")  # the month the world's clock stands in: '2026-11'


def _resident(rid: str) -> Actor:
    return Actor(username=rid, role="resident", resident_id=rid)


def _rate(world: PointsWorld, rid: str, kind: str, act_id: str, stars: int) -> None:
    world.pay.run(ratings.rate_service, RateService(act_kind=kind, act_id=act_id, stars=stars), actor=_resident(rid))


def _hand_in_for(world: PointsWorld, rid: str) -> tuple[str, str]:
    """A lot handed in by coord1 for the resident and paid; (submission id, lot id)."""
    world.hand_in(rid, pieces=100, passed=100, rate_fen=100)
    world.score()
    with reading(world.pay.engine) as session:
        sub = session.exec(select(Submission).where(Submission.resident_id == rid)
                           .order_by(col(Submission.submitted_at).desc())).first()
        assert sub is not None
        return sub.id, sub.lot_id


def test_the_assessment_matches_the_hand_computation_and_says_when_raters_are_too_few(
        points_api: PointsWorld, residents: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = residents[:3]
    monkeypatch.setattr(data, "now", lambda: points_api.pay.now)  # the page's "this month" is the world's
    points_api.sign_in("city")
    policy = points_api.call("PUT", "/api/v1/assessment/policies", "city", json={"district": "黄浦区", "min_raters": 3})
    assert policy.status_code == 200, policy.text
    subs = {r: _hand_in_for(points_api, r) for r in (a, b, c)}
    _rate(points_api, a, "submission", subs[a][0], 5)
    _rate(points_api, a, "lot", subs[a][1], 4)
    _rate(points_api, b, "lot", subs[b][1], 3)
    _rate(points_api, c, "submission", subs[c][0], 5)
    other = next(r.resident_id for r in build_city(communities=2, residents_per_community=6).residents
                 if r.community_id == "comm-002" and r.password)
    lot2 = points_api.pay.lot(other, community_id="comm-002", pieces=10, rate_fen=100)
    points_api.pay.run(work.issue_materials, cmd.IssueMaterials(lot_id=lot2, resident_id=other, pieces=10),
                       actor=COORD2)
    sub2, _ = points_api.pay.run(work.submit_output, other, cmd.SubmitOutput(lot_id=lot2, pieces=10), actor=COORD2)
    _rate(points_api, other, "submission", sub2.id, 5)
    entered = points_api.call("PUT", "/api/v1/assessment/scores", "city",
                              json={"coordinator": "coord1", "period": MONTH, "street_score": 80, "peer_score": 90})
    assert entered.status_code == 200, entered.text
    assert points_api.call("PUT", "/api/v1/assessment/scores", "coord1", json={
        "coordinator": "coord1", "period": MONTH, "street_score": 100, "peer_score": 100}).status_code == 403

    table = points_api.call("GET", "/api/v1/assessment", "city", params={"period": MONTH})
    assert table.status_code == 200, table.text
    rows = {r["coordinator"]: r for r in table.json()}
    one = rows["coord1"]
    assert (one["satisfaction"]["raters"], one["satisfaction"]["ratings"], one["satisfaction"]["score"]) == (3, 4, 83.3)
    assert (one["total"], one["grade"], one["note"]) == (83.0, "称职", "")
    assert one["weights"] == {"residents": 60, "street": 30, "peers": 10}
    assert {k: one["indicators"][k] for k in ("inspections", "inspections_in_48h", "acts_on_behalf",
                                              "residents_in_work", "income_fen", "income_per_person_fen")} == {
        "inspections": 3, "inspections_in_48h": 3, "acts_on_behalf": 3, "residents_in_work": 3,
        "income_fen": 30_000, "income_per_person_fen": 10_000}
    two = rows["coord2"]
    assert (two["satisfaction"]["raters"], two["satisfaction"]["score"]) == (1, None)
    assert (two["total"], two["grade"], two["note"]) == (None, None, "评价人数不足")

    own = points_api.call("GET", "/api/v1/assessment", "coord1", params={"period": MONTH}).json()
    assert [r["coordinator"] for r in own] == ["coord1"] and own[0]["total"] == 83.0
    assert all(rid not in str(own) for rid in (a, b, c))  # anonymous satisfaction: no rater anywhere
    month = {"period": MONTH}
    assert points_api.call("GET", "/api/v1/assessment/coord2", "coord1", params=month).status_code == 403
    assert points_api.call("GET", "/api/v1/assessment", a, params=month).status_code == 403
    assert points_api.call("GET", "/api/v1/assessment", "city", params={"period": "2026-13"}).json()[
        "detail"][0]["field"] == "period"

    sheet = points_api.call("GET", "/api/v1/assessment.xlsx", "city", params=month)
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX_MEDIA_TYPE
    assert quote("社区工作者考核-2026年11月.xlsx") in sheet.headers["content-disposition"]  # the name people read
    cells = read_xlsx_rows(sheet.content)
    by_community = {row[1]: row for row in cells[1:]}
    assert cells[0][:10] == ["社区工作者", "社区", "街道", "满意度", "评价人数", "街道评分", "同事评分", "总分", "等次",
                             "说明"]
    assert (by_community["第1社区"][3], by_community["第1社区"][7], by_community["第1社区"][8]) == (
        "83.3", "83", "称职")  # numbers in the workbook, read back as the text a CSV of it holds
    assert by_community["第2社区"][9] == "评价人数不足"
    # Issue 15: communities by name, and the 街道 column holds the street, not the district (黄浦区).
    assert (by_community["第1社区"][2], by_community["第2社区"][2]) == ("南京东路街道", "外滩街道")

    monkeypatch.setenv("DATABASE_URL", points_api.pay.settings.database_url)  # the page reads the same database
    page = {r["社区"]: r for r in _page_table(points_api, CITY)}  # coord1 runs 第1社区 (comm-001), coord2 第2社区
    assert (page["第1社区"]["满意度"], page["第1社区"]["总分"], page["第1社区"]["等次"]) == ("83.3", "83.0", "称职")
    assert (page["第2社区"]["满意度"], page["第2社区"]["等次"]) == ("评价人数不足（1/3）", "评价人数不足")
    assert [r["社区"] for r in _page_table(points_api, COORD1)] == ["第1社区"]
    stars = next(d.value for d in _page(CITY).dataframe if "星级" in d.value.columns)  # 星级评定: names, not ids
    subjects = set(stars["对象"])
    assert {"第1社区", "第2社区", "第1社区工作者"} <= subjects and not {"comm-001", "coord1"} & subjects

    at = _page(CITY)  # the city enters coord2's scores on the page: still 评价人数不足, the scores kept
    at.selectbox(key="as_pick").select("coord2").run()
    at.number_input(key="as_street").set_value(75)
    at.number_input(key="as_peer").set_value(85)
    at.button(key="as_save").click().run()
    assert not at.exception, at.exception
    two = points_api.call("GET", "/api/v1/assessment/coord2", "city", params=month).json()
    assert (two["street_score"], two["peer_score"], two["note"]) == (75, 85, "评价人数不足")


def _page_table(world: PointsWorld, actor: Actor) -> list[dict[str, Any]]:
    """The assessment table as the city page shows it for MONTH (the page reads the same database)."""
    at = _page(actor)
    table = next(d.value for d in at.dataframe if "等次" in d.value.columns)
    return list(table.to_dict("records"))


def _page(actor: Actor) -> AppTest:
    """The city page as `actor`, its assessment section at MONTH, chosen from the page's picker."""
    at = AppTest.from_file(str(DASHBOARD / "views" / "overview.py"), default_timeout=90)
    at.session_state["actor"] = actor
    at.session_state["lang"] = "zh"
    at.run()
    at.selectbox(key="as_period").select(MONTH).run()
    assert not at.exception, at.exception
    return at


def test_ratings_a_coordinator_records_of_her_own_service_count_neither_in_her_satisfaction_nor_her_stars(
        points_api: PointsWorld, residents: list[str]) -> None:
    """New-user trial of 2026-12-01: coord1 recorded 5★ for her own 代办 acts on a phoneless resident's behalf and
    her satisfaction counted them (1 rater, 2 ratings). A rating of her service entered by herself counts for
    nothing in her assessment, as it earns no points; one the resident gives on her phone counts."""
    a, b = residents[:2]
    sub, lot = _hand_in_for(points_api, a)  # coord1 handed in for her: coord1's 代办 act
    for kind, act in (("submission", sub), ("lot", lot)):
        points_api.pay.run(ratings.rate_service, RateService(resident_id=a, act_kind=kind, act_id=act, stars=5),
                           actor=COORD1)
    sub_b, _ = _hand_in_for(points_api, b)
    _rate(points_api, b, "submission", sub_b, 4)  # on her own phone: counts
    points_api.sign_in("city")
    [one] = [r for r in points_api.call("GET", "/api/v1/assessment", "city", params={"period": MONTH}).json()
             if r["coordinator"] == "coord1"]
    assert (one["satisfaction"]["raters"], one["satisfaction"]["ratings"]) == (1, 1), one["satisfaction"]
    quarter = f"{MONTH[:4]}-Q{(int(MONTH[5:]) - 1) // 3 + 1}"
    stars = points_api.call("GET", "/api/v1/assessment/stars", "city", params={"quarter": quarter})
    assert stars.status_code == 200, stars.text
    [helper] = [r for r in stars.json() if r["kind"] == "helper" and r["subject"] == "coord1"]
    assert helper["ratings"] == 1 and helper["mean_stars"] == 4.0, helper
