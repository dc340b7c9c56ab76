"""In a real browser, at phone and desktop sizes, each role signs in and sees its page and nobody else's data."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.dashboard_world import COORD1, World
from schemas import commands as c
from store.db import reading
from store.tables import Lot
from usecases import registry
from usecases.execute import execute
from usecases.sign_ins import issue_sign_in_code

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def sign_in(browser: Browser, url: str, viewport: str, username: str) -> Page:
    page = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN").new_page()  # type: ignore[arg-type]
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo-pass-1")
    page.get_by_role("button", name="登录", exact=True).click()
    return page


def body(page: Page) -> str:
    return page.locator("[data-testid='stAppViewContainer']").inner_text()


# What makes a person scroll sideways: the page itself wider than the window, a box inside the page that scrolls
# sideways (a wide table's own scroller), or anything drawn past the window's right edge (issue 15).
SIDEWAYS = """() => {
  const width = window.innerWidth, out = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
  for (const e of document.querySelectorAll("[data-testid='stMain'] *")) {
    const box = e.getBoundingClientRect(), x = getComputedStyle(e).overflowX;
    const name = `${e.tagName}.${e.dataset.testid || e.className.toString().slice(0, 40)}`;
    if (box.width === 0) continue;
    if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1)
      out.push(`${name} scrolls ${e.scrollWidth} > ${e.clientWidth}`);
    else if (box.right > width + 1) out.push(`${name} ends at ${Math.round(box.right)} > ${width}`);
  }
  return out.slice(0, 10);
}"""
TABLES_DRAWN = ("[...document.querySelectorAll('[data-testid=stDataFrame]')]"
                ".every(t => !t.offsetParent || t.querySelector('canvas'))")  # shown ones (a phone hides wide ones)


def sideways(page: Page) -> list[str]:
    """What would scroll sideways at this width (empty when everything fits), once any table has drawn."""
    page.wait_for_function(TABLES_DRAWN, timeout=15_000)
    page.wait_for_timeout(1000)  # a table sizes its columns after its first paint
    return list(page.evaluate(SIDEWAYS))


def tall_shot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main section, so the window is made as tall as the content."""
    size = page.viewport_size or VIEWPORTS["phone"]
    tall = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
                         "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(max(int(tall), size["height"]), 8000)})
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / name, full_page=True)
    page.set_viewport_size(size)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_resident_sees_own_earnings_and_nothing_of_others(browser: Browser, dashboard_url: str, world: World,
                                                           viewport: str) -> None:
    page = sign_in(browser, dashboard_url, viewport, world.worker)
    expect(page.get_by_text("本月收入")).to_be_visible(timeout=30_000)
    with reading(world.engine) as s:
        lot = s.get(Lot, world.worked_lot)
    assert lot is not None and lot.short_code
    expect(page.get_by_text(lot.short_code).first).to_be_visible()  # the lot by its short code, not its id
    text = body(page)
    assert "¥56.25" in text and world.worked_lot not in text
    assert world.offered_to not in text and world.proxy_for not in text
    if viewport == "phone":
        file_an_appeal(page, lot.short_code)
    assert sideways(page) == []  # nothing a resident reads scrolls sideways, at 390 px too
    tall_shot(page, f"dashboard-resident-{viewport}.png")
    page.context.close()


def file_an_appeal(page: Page, short_code: str) -> None:
    """申诉 from her phone (issue 15): an empty reason is refused in Chinese, then the appeal is filed and listed."""
    send = page.get_by_role("button", name="提交申诉")
    send.scroll_into_view_if_needed()
    expect(page.get_by_label("申诉哪一次验收")).to_be_visible()
    send.click()
    expect(page.get_by_text("请填写「申诉理由」：不能为空。申诉没有提交。")).to_be_visible(timeout=30_000)
    assert sideways(page) == []  # the form, its picker and the refusal fit too
    tall_shot(page, "dashboard-resident-appeal-refused-phone.png")
    page.get_by_label("申诉理由（必填）").fill("这5件是按样品做的，没有松结")
    send.click()
    expect(page.get_by_text(f"申诉已提交：{short_code}").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("你的理由：这5件是按样品做的，没有松结")).to_be_visible()
    expect(page.get_by_text("处理中", exact=True).first).to_be_visible()  # its status


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_coordinator_board_shows_their_community_only(browser: Browser, dashboard_url: str, world: World,
                                                      viewport: str) -> None:
    page = sign_in(browser, dashboard_url, viewport, "coord1")
    expect(page.get_by_role("heading", name="社区工作台")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("待确认派单").first).to_be_visible()
    expect(page.get_by_text("本期每小时收入").first).to_be_visible()  # the board's last table
    assert sideways(page) == []  # on a phone the board's tables read as two short lines a row (issue 15)
    tall_shot(page, f"dashboard-coordinator-board-{viewport}.png")
    page.locator(".st-key-co_section button").filter(has_text="代办接单").click()
    expect(page.get_by_text("代办：你正在代表")).to_be_visible()
    text = body(page)
    assert world.offered_to not in text and "comm-002" not in text
    page.screenshot(path=ARTIFACTS / f"dashboard-coordinator-{viewport}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_enterprise_sees_its_orders_only(browser: Browser, dashboard_url: str, world: World, viewport: str) -> None:
    page = sign_in(browser, dashboard_url, viewport, "ent2")
    expect(page.get_by_role("heading", name="企业订单")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("累计费用", exact=True)).to_be_visible()  # the figure (a phone's order lines say it too)
    page.wait_for_timeout(500)
    text = body(page)
    assert world.order_ent1 not in text and "¥56.25" not in text
    page.screenshot(path=ARTIFACTS / f"dashboard-enterprise-{viewport}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_city_overview_shows_aggregates_without_names(browser: Browser, dashboard_url: str, world: World,
                                                      viewport: str) -> None:
    page = sign_in(browser, dashboard_url, viewport, "city")
    expect(page.get_by_role("heading", name="全区概览")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("本月计件收入")).to_be_visible()
    expect(page.get_by_text("¥56.25").first).to_be_visible()
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg",
                           timeout=30_000)  # the Altair charts have drawn
    text = body(page)
    assert world.worker not in text
    page.screenshot(path=ARTIFACTS / f"dashboard-city-{viewport}.png", full_page=True)
    page.context.close()


def test_a_wrong_password_is_a_sentence(browser: Browser, dashboard_url: str) -> None:
    page = browser.new_context(viewport=VIEWPORTS["phone"]).new_page()  # type: ignore[arg-type]
    page.goto(dashboard_url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.get_by_label("用户名").fill("ent1")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_text("登录失败：用户名或密码错误")).to_be_visible(timeout=30_000)
    assert "Traceback" not in body(page)
    page.context.close()


def test_an_imported_resident_signs_in_with_her_code_then_chooses_a_pin_on_her_phone(
        browser: Browser, dashboard_url: str, world: World) -> None:
    """Issue 15: the printed one-time code signs her in once; the PIN form comes first (its rules in Chinese, at
    390 px), then her page, which a reload keeps; the code does not work a second time."""
    execute(world.engine, world.settings, registry.register_resident, c.RegisterResident(
        resident_id="comm-001-slip", community_id="comm-001", name="持单居民", phone="13912340000"), actor=COORD1)
    slip, _ = execute(world.engine, world.settings, issue_sign_in_code, "comm-001-slip", actor=COORD1)

    def signed_in_with(password: str) -> Page:
        page = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN").new_page()  # type: ignore[arg-type]
        page.goto(dashboard_url)
        page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
        expect(page.get_by_text("第一次登录：密码填社区给你的登录单上的登录码")).to_be_visible()
        page.get_by_label("用户名").fill("13912340000")
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        return page

    page = signed_in_with(slip.code.lower())
    expect(page.get_by_role("heading", name="设置登录密码")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("不能是连续数字（如 123456、654321）")).to_be_visible()
    page.get_by_label("新密码（6 到 12 位数字）").fill("123456")
    page.get_by_label("再输一遍新密码").fill("123456")
    page.get_by_role("button", name="保存密码").click()
    expect(page.get_by_text("输入有误，请修改「新密码」")).to_be_visible(timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.screenshot(path=ARTIFACTS / "dashboard-resident-pin-phone.png", full_page=True)
    page.get_by_label("新密码（6 到 12 位数字）").fill("480213")
    page.get_by_label("再输一遍新密码").fill("480213")
    page.get_by_role("button", name="保存密码").click()
    expect(page.get_by_role("heading", name="持单居民，你好")).to_be_visible(timeout=30_000)
    page.reload()  # the phone reloads: still signed in, still past the PIN form
    expect(page.get_by_role("heading", name="持单居民，你好")).to_be_visible(timeout=30_000)
    assert page.get_by_label("密码").count() == 0 and "Traceback" not in body(page)
    page.context.close()

    again = signed_in_with(slip.code)
    expect(again.get_by_text("登录失败：登录码无效或已使用")).to_be_visible(timeout=30_000)
    again.context.close()
