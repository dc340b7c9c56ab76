"""In a real browser, through the pages only: the enterprise posts an order, the resident answers an offer and
follows their lot, earnings and pay slip (and stays signed in across a reload), the bureau sees the year's income.

Every page is read for English that Streamlit or the code left behind, and the resident's page for internal ids.
Screenshots go to test-artifacts/ (phone 360 px and 390 px, desktop 1440 px).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from bench.dashboard_world import World
from store.db import reading
from store.tables import Lot, Order
from tests.e2e.dashboard.leftovers import STREAMLIT_WIDGET_WORDS

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "small-phone": {"width": 360, "height": 740},
             "desktop": {"width": 1440, "height": 900}}
# What Streamlit or untranslated code shows when nobody chose the words.
LEFTOVERS = ["Choose an option", "Select all", "No results", "Drag and drop", "Browse files", "Upload", "empty",
             "None", "nan", "NaT", "Traceback", "Jan ", "Feb ", "Mar ", "Nov ", "Dec ", "Running...", "Deploy",
             *STREAMLIT_WIDGET_WORDS]
INTERNAL_ID = re.compile(r"\b(?:ord|res|lot|off|sub|ins|comm)-[0-9a-z]{3,}|-L\d{3}\b")


def open_as(browser: Browser, url: str, viewport: str, username: str) -> Page:
    page = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN").new_page()  # type: ignore[arg-type]
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo-pass-1")
    page.get_by_role("button", name="登录", exact=True).click()
    return page


def shown(page: Page) -> str:
    return page.locator("[data-testid='stAppViewContainer']").inner_text()


def no_leftovers(page: Page) -> None:
    text = shown(page)
    found = [word for word in LEFTOVERS if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)]
    assert not found, f"English leftovers on the page: {found}"


def shot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main section, so the window is made as tall as the content."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(1500)  # let the charts and fragments finish drawing
    size = page.viewport_size or {"width": 390, "height": 844}
    tall = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
                         "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(max(int(tall), size["height"]), 8000)})
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / f"job-{name}.png", full_page=True)
    page.set_viewport_size(size)


def fits(page: Page, viewport: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_enterprise_posts_an_order_and_is_warned_of_a_rate_below_the_minimum_wage(
        browser: Browser, dashboard_url: str, world: World, viewport: str) -> None:
    page = open_as(browser, dashboard_url, viewport, "ent1")
    expect(page.get_by_role("heading", name="企业订单")).to_be_visible(timeout=30_000)
    with reading(world.engine) as s:
        before = len(s.exec(select(Order).where(Order.enterprise_id == "ent-01")).all())
    page.get_by_label("计件单价", exact=False).first.fill("0.05")
    # Streamlit's hint under the typed-in field, in Chinese (new-user trial: "Press Enter to apply").
    expect(page.locator("[data-testid='InputInstructions']").first).to_have_text("按回车键确认")
    communities = page.locator("[data-testid='stMultiSelect']").filter(has_text="派往社区")
    communities.locator("input").click()
    page.keyboard.type("第1社区")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(communities.get_by_text("第1社区", exact=True)).to_be_visible()  # the name, not the id
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布，正在拆分批次").first).to_be_visible(timeout=30_000)
    warning = page.get_by_text("低于当地最低小时工资").first
    expect(warning).to_be_visible()
    assert "至少" in warning.inner_text()  # the rate that would meet the minimum
    with reading(world.engine) as s:
        assert len(s.exec(select(Order).where(Order.enterprise_id == "ent-01")).all()) == before + 1
    no_leftovers(page)
    shot(page, f"enterprise-posted-{viewport}")
    page.context.close()


def test_the_resident_answers_the_offer_follows_the_lot_and_stays_signed_in(
        browser: Browser, dashboard_url: str, world: World) -> None:
    page = open_as(browser, dashboard_url, "phone", world.offered_to)
    expect(page.get_by_text("现在要做的事")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("为什么派给你").first).to_be_visible()  # the offer's explanation, before accepting
    expect(page.get_by_text("取料地点").first).to_be_visible()  # where (and when) to collect the materials
    shot(page, "resident-offer-phone")
    page.get_by_role("button", name="接单").click()
    expect(page.get_by_text("已接单").first).to_be_visible(timeout=30_000)  # the confirmation
    expect(page.get_by_text("下一步：到取料点领料").first).to_be_visible(timeout=30_000)  # the lot, next step
    with reading(world.engine) as s:
        lot = s.get(Lot, world.offered_lot)
    assert lot is not None and lot.status == "accepted" and lot.short_code
    expect(page.get_by_text(lot.short_code).first).to_be_visible()
    page.reload()  # a phone reloads the page, or the browser drops the connection
    expect(page.get_by_text("现在要做的事")).to_be_visible(timeout=30_000)
    assert page.get_by_label("密码").count() == 0, "the reload signed the resident out"
    text = shown(page)
    assert not INTERNAL_ID.search(text), INTERNAL_ID.search(text)
    no_leftovers(page)
    fits(page, "phone")
    shot(page, "resident-accepted-phone")
    page.context.close()


@pytest.mark.parametrize("viewport", ["small-phone", "desktop"])
def test_the_resident_sees_the_lot_the_earning_and_the_pay_slip(
        browser: Browser, dashboard_url: str, world: World, viewport: str) -> None:
    page = open_as(browser, dashboard_url, viewport, world.worker)
    expect(page.get_by_text("本月收入")).to_be_visible(timeout=30_000)
    with reading(world.engine) as s:
        lot = s.get(Lot, world.worked_lot)
    assert lot is not None and lot.short_code
    expect(page.get_by_text(lot.short_code).first).to_be_visible()
    expect(page.get_by_text("下一步：等待验收").first).to_be_visible()  # 10 pieces wait for inspection
    page.get_by_text("工资期").first.click()  # the pay slip opens
    expect(page.get_by_text("合计: ¥56.25")).to_be_visible(timeout=30_000)
    text = shown(page)
    assert "¥56.25" in text and world.worked_lot not in text
    assert not INTERNAL_ID.search(text), INTERNAL_ID.search(text)
    no_leftovers(page)
    fits(page, viewport)
    shot(page, f"resident-earnings-{viewport}")
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_bureau_sees_the_year_s_income_against_the_target_and_the_sites_on_a_map(
        browser: Browser, dashboard_url: str, world: World, viewport: str) -> None:
    page = open_as(browser, dashboard_url, viewport, "city")
    expect(page.get_by_role("heading", name="全区概览")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("年内累计人均收入").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("¥56.25").first).to_be_visible()
    page.wait_for_function("document.querySelectorAll(\"[data-testid='stVegaLiteChart'] canvas, "
                           "[data-testid='stVegaLiteChart'] svg\").length >= 4", timeout=30_000)  # incl. the map
    no_leftovers(page)
    shot(page, f"city-{viewport}")
    page.context.close()
