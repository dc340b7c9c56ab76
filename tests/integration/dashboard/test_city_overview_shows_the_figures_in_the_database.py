"""The HR bureau's overview shows the same numbers the database holds, formatted for Chinese readers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import select

from bench.dashboard_pages import metrics, shown_text
from bench.dashboard_world import actor
from dashboard.format import money, percent
from store.db import reading
from store.tables import LedgerEntry, Lot, Site
from usecases.queries.dashboard import month_start

CITY = actor("city", "city")


def test_city_overview_shows_the_figures_in_the_database(world, open_page) -> None:
    with reading(world.engine) as s:
        income = s.exec(select(func.sum(LedgerEntry.amount_fen)).where(
            LedgerEntry.posted_at >= month_start(datetime.now(UTC)))).one()
        sites = s.exec(select(func.count()).select_from(Site)).one()
        passed, rejected = s.exec(select(func.sum(Lot.pieces_passed), func.sum(Lot.pieces_rejected))).one()
    at = open_page("views/overview.py", CITY)
    shown = metrics(at)
    assert not at.exception
    assert shown["站点"] == str(sites)
    assert shown["本月在岗居民"] == "1"  # only the worker holds a lot and has earnings
    assert shown["本月合格件数"] == "45"
    assert shown["合格率"] == percent(passed / (passed + rejected)) == "90.0%"
    assert shown["本月计件收入"] == money(income) == "¥56.25"
    assert shown["本月人均收入"] == "¥56.25"
    assert shown["收入基尼系数"] == "0.00"


def test_city_overview_names_no_person(world, open_page) -> None:
    at = open_page("views/overview.py", CITY)
    text = shown_text(at)
    assert "comm-0" not in text  # the 分社区 table and the picker name communities, not their ids (new-user trial)
    assert list(at.dataframe[0].value["社区"]) == ["第1社区", "第2社区"]
    assert world.worker not in text
    assert "r0" not in text  # no resident id of any kind


def test_drilling_down_to_a_community_shows_only_its_figures(world, open_page) -> None:
    at = open_page("views/overview.py", CITY)
    at.selectbox(key="ov_community").select("comm-002").run()
    shown = metrics(at)
    assert shown["站点"] == "2"
    assert shown["本月计件收入"] == "¥0.00"
    assert shown["本月在岗居民"] == "0"


def test_the_overview_speaks_english_on_request(world, open_page) -> None:
    shown = metrics(open_page("views/overview.py", CITY, lang="en"))
    assert shown["Income this month"] == "¥56.25"
    assert shown["Pass rate"] == "90.0%"


def test_a_coordinator_overview_covers_only_their_communities(world, open_page) -> None:
    at = open_page("views/overview.py", actor("coord2", "coordinator", community_ids=frozenset({"comm-002"})))
    assert at.selectbox(key="ov_community").options == ["全部社区", "第2社区"]  # names, not ids
    assert metrics(at)["本月计件收入"] == "¥0.00"
