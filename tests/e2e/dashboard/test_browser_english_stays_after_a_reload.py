"""The English switch stays on across a reload (new-user trial of 2026-11-30: a reload fell back to Chinese, since a
reload starts a new Streamlit session): the address carries ?lang=en while English is on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from bench.dashboard_world import World
from tests.e2e.dashboard.conftest import ARTIFACTS, serve_dashboard

pytestmark = pytest.mark.browser


def test_a_resident_who_chose_english_still_reads_english_after_a_reload(browser: Browser, world: World) -> None:
    with serve_dashboard(world) as url:
        page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
        page.goto(url)
        try:
            expect(page.get_by_label("用户名")).to_be_visible(timeout=30_000)
            page.get_by_label("用户名").fill(world.worker)
            page.get_by_label("密码").fill("demo-pass-1")
            page.get_by_role("button", name="登录", exact=True).click()
            expect(page.get_by_text("本月收入").first).to_be_visible(timeout=30_000)
            page.get_by_text("English", exact=True).click()
            expect(page.get_by_text("This month").first).to_be_visible(timeout=30_000)
            expect(page).to_have_url(re.compile(r"[?&]lang=en"), timeout=10_000)

            page.reload()
            expect(page.get_by_text("This month").first).to_be_visible(timeout=30_000)
            assert page.get_by_text("本月收入").count() == 0
            assert "lang=en" in page.url
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "english_after_reload.png", full_page=True)
            raise
        finally:
            page.context.close()
