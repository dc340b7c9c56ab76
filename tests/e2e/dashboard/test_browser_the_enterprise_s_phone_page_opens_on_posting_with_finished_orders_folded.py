"""On a 390 × 844 phone the enterprise's page opens on what it does — the section switch (发布订单 / 管理订单 /
批量发布) is on the first screen — and its finished orders are folded away, so the page stays short however many
it has (new-user trial: 153 orders as lines, delivered ones included, made it 24,450 px tall, 发布订单 at its foot)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from bench.dashboard_world import ENT2, World, _post
from schemas import commands as c
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in, tall_shot
from usecases import orders
from usecases.execute import execute

pytestmark = pytest.mark.browser
TALL = ("Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]"
        ".map(e => e.scrollHeight))")


def test_posting_is_on_the_first_screen_and_sixty_finished_orders_stay_folded(browser: Browser, dashboard_url: str,
                                                                              world: World) -> None:
    for _ in range(60):
        order_id = _post(world, ENT2, "ent-02", ["comm-002"], quantity=20)
        execute(world.engine, world.settings, orders.cancel_order, order_id, c.CancelOrder(reason="不要了"),
                actor=ENT2)
    page = sign_in(browser, dashboard_url, "phone", "ent2")
    expect(page.get_by_text("订单进度")).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1000)  # the page drawn to its end
    switch = page.locator(".st-key-en_section").get_by_text("发布订单", exact=True)  # the section switch
    expect(switch).to_be_visible()
    box = switch.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box  # on the first screen, nothing scrolled
    expect(page.get_by_role("button", name="发布", exact=True)).to_be_visible()
    tall = int(page.evaluate(TALL))
    tall_shot(page, "dashboard-enterprise-phone-60-finished.png")
    assert tall < 6000, tall  # 60 finished orders folded: the page does not grow with them
    expect(page.get_by_text("已完成的订单（60）")).to_be_visible()
    page.context.close()
