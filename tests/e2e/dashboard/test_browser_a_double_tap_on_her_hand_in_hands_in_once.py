"""On her phone, two taps on 交货 hand her pieces in once (an attacker's find: two taps 150 ms apart in Chromium
recorded two hand-ins of 10, and her card read 待验收 20 — paid twice once inspected or auto-accepted).

Her 交货 button carries the entry's reference (dashboard.ui.entry_reference): a second tap that reaches the server
before the page redrew is answered with the first hand-in; one that comes after finds no such button.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from bench.dashboard_world import COORD2, World, actor, put_in_work
from store.db import reading
from store.tables import Submission
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in, tall_shot

pytestmark = pytest.mark.browser


def test_two_quick_taps_hand_in_once_and_a_later_hand_in_still_counts(browser: Browser, dashboard_url: str,
                                                                      world: World) -> None:
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    most = put_in_work(world, world.offered_lot, world.offered_to, COORD2, answered_by=me)

    page = sign_in(browser, dashboard_url, "phone", world.offered_to)
    handed: list[int] = []
    for pieces, gap_s in ((10, 0.15), (3, 0.4)):  # the attacker's gap, and a slower thumb
        box = page.get_by_label(f"这次交几件？（最多 {most - sum(handed)} 件）")
        expect(box).to_be_visible(timeout=30_000)
        box.scroll_into_view_if_needed()
        box.fill(str(pieces))
        box.press("Enter")
        time.sleep(1.5)  # the count reached the server (its rerun) before she taps, as on a phone
        where = page.get_by_role("button", name="交货", exact=True).bounding_box()
        assert where is not None
        x, y = where["x"] + where["width"] / 2, where["y"] + where["height"] / 2
        page.mouse.click(x, y)  # her thumb, twice on the same spot, whatever the page has redrawn there since
        time.sleep(gap_s)
        page.mouse.click(x, y)
        handed.append(pieces)
        expect(page.get_by_text(f"待验收 {sum(handed)}", exact=False).first).to_be_visible(timeout=30_000)
        time.sleep(2)  # let any second hand-in land before counting
        with reading(world.engine) as s:
            got = sorted(x.pieces for x in s.exec(select(Submission).where(Submission.lot_id == world.offered_lot)))
        assert got == sorted(handed), f"taps {gap_s} s apart: {got}"
    tall_shot(page, "dashboard-resident-double-tap-hand-in-phone.png")
    page.context.close()
