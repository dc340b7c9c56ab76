"""In a real browser at phone width: the session token never shows in the address (a link copied from the page, a
screenshot of its address bar or the browser history must not sign anyone in as her); a reload and a new tab keep
her signed in by the cookie; signing out deletes the cookie, and a reload then shows the sign-in form."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest
from playwright.sync_api import Browser, BrowserContext, Cookie, Page, expect

from bench.dashboard_world import World
from dashboard import session_cookie
from usecases.auth import ALGORITHM, verify_token

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
SIGNED_IN = "本月收入"  # on her own page


def shown(page: Page) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)


def the_cookie(context: BrowserContext) -> Cookie | None:
    found = [c for c in context.cookies() if c.get("name") == session_cookie.NAME]
    return found[0] if found else None


def sign_in_form_shown(page: Page) -> None:
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(SIGNED_IN)).to_have_count(0)


def signed_in_on_a_phone(browser: Browser, dashboard_url: str, world: World) -> tuple[BrowserContext, Page]:
    """A new phone-sized browser signed in as the world's resident, once her page has stored the cookie."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(dashboard_url)
    shown(page)
    page.get_by_label("用户名").fill(world.worker)
    page.get_by_label("密码").fill("demo-pass-1")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_text(SIGNED_IN)).to_be_visible(timeout=30_000)
    page.wait_for_function(f"document.cookie.includes('{session_cookie.NAME}=')", timeout=15_000)
    return context, page


def test_a_reload_and_a_new_tab_keep_her_signed_in_and_the_address_never_holds_the_token(
        browser: Browser, dashboard_url: str, world: World) -> None:
    context, page = signed_in_on_a_phone(browser, dashboard_url, world)
    page.screenshot(path=ARTIFACTS / "dashboard-cookie-signed-in-phone.png")

    cookie = the_cookie(context)
    assert cookie is not None, "signing in stores the token in a cookie"
    token = cookie["value"]
    assert token not in page.url and "s=" not in page.url, page.url
    assert cookie["path"] == "/" and cookie["sameSite"] == "Strict" and not cookie["secure"]  # served over http
    left_s = verify_token(token, settings=world.settings).expires_at - cookie["expires"]
    assert -5 <= left_s <= 60, "the cookie lives no longer than the token (to the second, give or take the test)"

    page.reload()
    shown(page)
    expect(page.get_by_text(SIGNED_IN)).to_be_visible(timeout=30_000)
    assert token not in page.url
    page.screenshot(path=ARTIFACTS / "dashboard-cookie-after-reload-phone.png")

    tab = context.new_page()  # the page's address opened in a new tab of the same browser
    tab.goto(page.url)
    shown(tab)
    expect(tab.get_by_text(SIGNED_IN)).to_be_visible(timeout=30_000)
    assert token not in tab.url
    tab.screenshot(path=ARTIFACTS / "dashboard-cookie-new-tab-phone.png")
    tab.close()

    stranger = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
    elsewhere = stranger.new_page()  # the same address on another phone (a link sent to a group chat)
    elsewhere.goto(page.url)
    shown(elsewhere)
    sign_in_form_shown(elsewhere)
    elsewhere.screenshot(path=ARTIFACTS / "dashboard-cookie-her-address-on-another-phone.png")
    stranger.close()

    # On a phone the sidebar (with its own 退出登录) starts folded: she signs out at the foot of her page, where she
    # finds it without the sidebar, which then stays folded.
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
    foot = page.get_by_test_id("stMain").get_by_role("button", name="退出登录")
    foot.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "dashboard-sign-out-at-the-foot-phone.png")
    foot.click()
    sign_in_form_shown(page)
    page.wait_for_function(f"!document.cookie.includes('{session_cookie.NAME}=')", timeout=15_000)
    assert the_cookie(context) is None, "signing out deletes the cookie"
    page.reload()
    shown(page)
    sign_in_form_shown(page)
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # the form is not covered by the sidebar
    page.screenshot(path=ARTIFACTS / "dashboard-cookie-signed-out-after-reload-phone.png")
    context.close()


def test_an_old_address_with_a_token_signs_nobody_in(browser: Browser, dashboard_url: str, world: World) -> None:
    """A link saved before the token left the address (?s=<token>) neither signs anyone in nor keeps the token in the
    address bar."""
    context, page = signed_in_on_a_phone(browser, dashboard_url, world)
    cookie = the_cookie(context)
    assert cookie is not None
    context.close()

    other = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
    page = other.new_page()
    page.goto(f"{dashboard_url}/?s={cookie['value']}")
    shown(page)
    sign_in_form_shown(page)
    page.wait_for_function("!location.search.includes('s=')", timeout=15_000)
    assert cookie["value"] not in page.url
    other.close()


def test_a_refused_token_in_the_cookie_is_deleted(browser: Browser, dashboard_url: str, world: World) -> None:
    """Her token expired (or a new code replaced it): the page shows the sign-in form and the cookie is gone."""
    now = int(time.time())
    expired = jwt.encode({"sub": world.worker, "role": "resident", "iat": now - 9 * 3600, "exp": now - 3600},
                         world.settings.secret_key, algorithm=ALGORITHM)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
    context.add_cookies([{"name": session_cookie.NAME, "value": expired, "url": dashboard_url,
                          "sameSite": "Strict", "expires": now + 3600}])
    page = context.new_page()
    page.goto(dashboard_url)
    shown(page)
    sign_in_form_shown(page)
    page.wait_for_function(f"!document.cookie.includes('{session_cookie.NAME}=')", timeout=15_000)
    assert the_cookie(context) is None
    context.close()
