"""In a real browser at 390 px and desktop width (a fresh user's trial): a reload brings the coordinator back to the
section she was on (the address holds ?section=…, never the sign-in), and the 验收 picker shows whose hand-in it is
without cutting the resident's name off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from bench.dashboard_world import World
from dashboard import session_cookie
from store.db import reading
from store.tables import Resident
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in, tall_shot

pytestmark = pytest.mark.browser
# Whether the picker's box cuts off the hand-in it shows: its text is wider than the box.
CLIPPED = "(box) => box.scrollWidth > box.clientWidth + 1"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_reload_reopens_the_inspection_and_its_picker_names_the_resident(browser: Browser, dashboard_url: str,
                                                                           world: World, viewport: str) -> None:
    with reading(world.engine) as s:
        name = s.get(Resident, world.worker).name
    page = sign_in(browser, dashboard_url, viewport, "coord1")
    expect(page.get_by_role("heading", name="社区工作台")).to_be_visible(timeout=30_000)
    page.wait_for_function(f"document.cookie.includes('{session_cookie.NAME}=')", timeout=15_000)
    page.locator(".st-key-co_section button").filter(has_text="验收").click()
    picker = page.get_by_role("combobox", name="待验收的交货")
    expect(picker).to_have_value(re.compile(f"^{name} · .+ · 10 件 · "), timeout=30_000)
    assert not picker.evaluate(CLIPPED), f"the picker cuts off {picker.input_value()!r}"
    expect(page.get_by_text(f"{name} ").filter(has_text="交的 10 件 · 批次").first).to_be_visible()
    page.wait_for_timeout(500)  # the address is written by the run that drew the section
    assert "section=inspect" in page.url, page.url
    token = page.evaluate(f"document.cookie.split('{session_cookie.NAME}=')[1].split(';')[0]")
    assert token and token not in page.url

    page.reload()
    expect(page.get_by_role("combobox", name="待验收的交货")).to_have_value(re.compile(f"^{name} · "), timeout=30_000)
    expect(page.get_by_role("radio", name="验收")).to_be_checked()
    assert "section=inspect" in page.url and token not in page.url
    tall_shot(page, f"dashboard-coordinator-inspect-after-reload-{viewport}.png")
    page.context.close()
