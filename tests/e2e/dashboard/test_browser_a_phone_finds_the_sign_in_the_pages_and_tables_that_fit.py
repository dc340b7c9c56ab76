"""In a real browser, what a new user met on a 390×844 phone (new-user trial): the sign-in form below the fold, the
enterprise's tables scrolling sideways, and Streamlit's English "Page not found" for a page's own address.

Screenshots at 390 and 1366 px go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.dashboard_world import World
from tests.e2e.dashboard.test_browser_coordinator_carries_a_lot_from_dispatch_to_payout import settled
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sideways, tall_shot

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
MAIN = "[data-testid='stMain']"


def opened(browser: Browser, url: str, viewport: str) -> Page:
    page = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN").new_page()  # type: ignore[arg-type]
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    return page


def sign_in(page: Page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo-pass-1")
    page.get_by_role("button", name="登录", exact=True).click()


def in_first_screen(page: Page, selector: str) -> bool:
    """Whether the element is wholly inside the window as the page opens (nothing scrolled)."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_sign_in_form_is_on_the_first_screen(browser: Browser, dashboard_url: str, world: World,
                                                 viewport: str) -> None:
    """The whole form — both fields and the 登录 button — without scrolling, in type no smaller than before."""
    page = opened(browser, dashboard_url, viewport)
    expect(page.get_by_text("微工厂/站点")).to_be_visible(timeout=30_000)  # the public figures have drawn too
    settled(page)
    assert page.evaluate(f"document.querySelector(\"{MAIN}\").scrollTop") == 0
    for field in ("用户名", "密码"):
        assert in_first_screen(page, f"[aria-label*='{field}']"), field
    assert in_first_screen(page, "[data-testid='stFormSubmitButton'] button")
    label = page.locator("[data-testid='stWidgetLabel']").first
    assert float(label.evaluate("e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize)")) >= 14
    assert sideways(page) == []
    page.screenshot(path=ARTIFACTS / f"dashboard-sign-in-{viewport}.png")
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_enterprise_reads_its_tables_without_scrolling_sideways(browser: Browser, dashboard_url: str,
                                                                    world: World, viewport: str) -> None:
    """Issue 15 at 390 px: the orders and a statement read as lines on a phone, every figure still there; the
    desktop keeps the tables (the fourteen columns of the orders may scroll inside their table there)."""
    page = opened(browser, dashboard_url, viewport)
    sign_in(page, "ent1")
    expect(page.get_by_role("heading", name="企业订单")).to_be_visible(timeout=30_000)
    settled(page)
    # A statement's fold ('工资期 … · ¥…'), not the first fold on the page (我的消息 comes first)
    statement = page.locator("[data-testid='stExpander'] summary").filter(has_text="工资期").first
    pdf = page.get_by_text("下载结算单（PDF）")
    statement.click()  # a statement, open (again if the tap fell on a refresh of the page's figures)
    try:
        expect(pdf).to_be_visible(timeout=5_000)
    except AssertionError:
        statement.click()
        expect(pdf).to_be_visible(timeout=15_000)
    settled(page)
    text = page.locator(MAIN).inner_text()
    if viewport == "phone":
        assert sideways(page) == []
        for figure in ("数量 180", "已发料 60", "合格 45", "不合格 5", "合格率 90.0%", "累计费用 ¥56.25",
                       "合计 ¥59.06"):
            assert figure in text, figure
    else:
        expect(page.locator(".st-key-wide-orders [data-testid='stDataFrame']")).to_be_visible()
    tall_shot(page, f"dashboard-enterprise-tables-{viewport}.png")
    page.context.close()


def test_a_page_s_own_address_opens_in_chinese(browser: Browser, dashboard_url: str, world: World) -> None:
    """/enterprise signed out opens the sign-in form there, then the enterprise's page; another role's address says
    whose page it is, in Chinese, with a link to her own; /sign-in once signed in opens her page; an address no
    page has gets Streamlit's dialog in Chinese. Never the English "Page not found"."""
    page = opened(browser, dashboard_url, "phone")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=30_000)  # the app's pages are known from here on
    page.goto(f"{dashboard_url}/enterprise")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=30_000)
    settled(page)
    assert page.get_by_role("dialog").count() == 0 and "Page not found" not in page.locator("body").inner_text()
    sign_in(page, "ent1")
    expect(page.get_by_role("heading", name="企业订单")).to_be_visible(timeout=30_000)
    for address in ("resident", "coordinator"):
        page.goto(f"{dashboard_url}/{address}")
        title = {"resident": "我的活儿", "coordinator": "社区工作台"}[address]
        expect(page.get_by_text(f"「{title}」不是你的账号能打开的页面。")).to_be_visible(timeout=30_000)
        settled(page)
        assert page.get_by_role("dialog").count() == 0 and "Page not found" not in page.locator("body").inner_text()
    own = page.get_by_role("link", name="打开「企业订单」")
    expect(own).to_be_visible()
    page.screenshot(path=ARTIFACTS / "dashboard-not-your-page-phone.png")
    own.click()
    expect(page.get_by_role("heading", name="企业订单")).to_be_visible(timeout=30_000)
    page.goto(f"{dashboard_url}/sign-in")
    expect(page.get_by_role("heading", name="企业订单")).to_be_visible(timeout=30_000)
    settled(page)
    assert page.get_by_role("dialog").count() == 0
    page.goto(f"{dashboard_url}/no-such-page")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("没有这个页面", timeout=30_000)
    expect(dialog).to_contain_text("你要打开的页面不存在，已为你打开首页。")
    assert "Page not found" not in dialog.inner_text() and "main page" not in dialog.inner_text()
    expect(dialog.get_by_role("button", name="关闭")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "dashboard-no-such-page-phone.png")
    page.context.close()
