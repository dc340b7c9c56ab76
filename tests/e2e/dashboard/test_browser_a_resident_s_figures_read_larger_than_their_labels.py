"""On a 390 px phone a resident's figures (今天收入 ¥…, 积分余额 …) read larger than their labels: the phone layout's
rule for paragraphs (1.2rem) also caught each metric's value, which is a markdown paragraph, and drew her income at
the 23 px of its label, no figure standing out (new user's trial)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from bench.dashboard_world import World
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in, tall_shot

pytestmark = pytest.mark.browser
SIZES = """() => [...document.querySelectorAll('[data-testid=stMetric]')].map(m => {
  const size = (sel) => parseFloat(getComputedStyle(m.querySelector(sel)).fontSize);
  return [m.innerText.replace(/\\s+/g, ' '), size('[data-testid=stMetricLabel] p'),
          size('[data-testid=stMetricValue] p')];
})"""


def test_her_income_and_points_are_drawn_larger_than_their_labels(browser: Browser, dashboard_url: str,
                                                                  world: World) -> None:
    page = sign_in(browser, dashboard_url, "phone", world.worker)
    expect(page.get_by_text("本月收入")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("积分余额")).to_be_visible(timeout=30_000)
    sizes = page.evaluate(SIZES)
    assert len(sizes) >= 6, sizes  # three income figures, three points figures
    small = [(text, label, value) for text, label, value in sizes if value < 1.4 * label]
    assert not small, f"figures no larger than their labels (text, label px, value px): {small}"
    tall_shot(page, "dashboard-resident-figures-phone.png")
    page.context.close()
