"""On a 390 × 844 phone, a hand-in count she cannot hand in is said in Chinese right under her 交货 button, on the
screen she is looking at, and nothing is handed in (new user's trial: 300 against '最多 80 件' emptied the field and
said nothing; -5 said '请先填写这次交几件。' at the top of the page, off screen)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from bench.dashboard_world import COORD2, World, actor
from schemas import commands as c
from store.db import reading
from store.tables import Lot, Offer, Submission
from tests.e2e.dashboard.test_browser_each_role_sees_its_own_page_on_phone_and_desktop import sign_in, tall_shot
from usecases import offers, work
from usecases.execute import execute

pytestmark = pytest.mark.browser


def test_a_count_too_large_or_below_one_is_refused_beside_her_button(browser: Browser, dashboard_url: str,
                                                                     world: World) -> None:
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    with reading(world.engine) as s:
        offer_id = s.exec(select(Offer.id).where(Offer.lot_id == world.offered_lot)).one()
        lot = s.get(Lot, world.offered_lot)
        assert lot is not None
        most = lot.pieces
    execute(world.engine, world.settings, offers.answer_offer, offer_id, c.AnswerOffer(decision="accept"), actor=me)
    execute(world.engine, world.settings, work.issue_materials,
            c.IssueMaterials(lot_id=world.offered_lot, resident_id=world.offered_to, pieces=most), actor=COORD2)

    page = sign_in(browser, dashboard_url, "phone", world.offered_to)
    box = page.get_by_label(f"这次交几件？（最多 {most} 件）")
    expect(box).to_be_visible(timeout=30_000)
    button = page.get_by_role("button", name="交货", exact=True)
    for typed, said in ((most + 240, f"交货件数：{most + 240} 件太多了：最多 {most} 件。"),
                        (-5, "交货件数：-5 件不行：至少 1 件。")):
        box.scroll_into_view_if_needed()
        box.fill(str(typed))
        box.press("Enter")
        button.click()
        message = page.get_by_text(said)
        expect(message).to_be_visible(timeout=30_000)
        expect(box).to_have_value(str(typed))  # what she typed is still there, not emptied
        shown, under = message.bounding_box(), button.bounding_box()
        assert shown is not None and under is not None
        assert shown["y"] >= 0 and shown["y"] + shown["height"] <= 844, shown  # on her screen
        assert 0 < shown["y"] - under["y"] < 200, (shown, under)  # right under the button
        tall_shot(page, f"dashboard-resident-hand-in-refused-{'many' if typed > 0 else 'negative'}-phone.png")
    with reading(world.engine) as s:
        assert not s.exec(select(Submission).where(Submission.lot_id == world.offered_lot)).all()
    page.context.close()
