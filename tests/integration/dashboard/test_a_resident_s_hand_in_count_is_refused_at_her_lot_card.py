"""A count the resident types on her phone that cannot be handed in is refused where she typed it, with the field
and the reason, and nothing is handed in (new user's trial at 390 px): 300 against '最多 80 件' came back as an
empty field and nothing said (the input's max_value clamped it), and -5 said '请先填写这次交几件。' at the top of
the page, off screen. The same rule as the coordinator's 发料 (dashboard.counts)."""

from __future__ import annotations

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Error

from bench.dashboard_world import COORD2, actor
from schemas import commands as c
from store.db import reading, transaction
from store.tables import Lot, Offer, Submission
from tests.entry_buttons import entry_button
from usecases import offers, work
from usecases.execute import execute


def _holding_issued_pieces(world) -> tuple[str, int]:  # noqa: ANN001
    """The comm-002 resident accepts her offer and is issued all of its lot; returns the lot and its pieces."""
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    with transaction(world.engine) as s:
        offer_id = s.exec(select(Offer.id).where(Offer.lot_id == world.offered_lot)).one()
        lot = s.get(Lot, world.offered_lot)
        assert lot is not None
        pieces = lot.pieces
    execute(world.engine, world.settings, offers.answer_offer, offer_id, c.AnswerOffer(decision="accept"), actor=me)
    execute(world.engine, world.settings, work.issue_materials,
            c.IssueMaterials(lot_id=world.offered_lot, resident_id=world.offered_to, pieces=pieces), actor=COORD2)
    return world.offered_lot, pieces


def _card_holding(at: AppTest, key: str):  # noqa: ANN202
    """The innermost block (the lot's card) that holds the widget with `key`."""
    def holder(node, parent):  # noqa: ANN001, ANN202
        if getattr(node, "key", None) == key:
            return parent
        for child in getattr(node, "children", {}).values():
            got = holder(child, node)
            if got is not None:
                return got
        return None

    card = holder(at.main, at.main)
    assert card is not None and card is not at.main
    return card


def _errors_in(node) -> list[str]:  # noqa: ANN001
    out = [str(node.value)] if isinstance(node, Error) else []
    for child in getattr(node, "children", {}).values():
        out += _errors_in(child)
    return out


@pytest.mark.parametrize(("typed", "said"), [
    ("too_many", "交货件数：{n} 件太多了：最多 {most} 件。"),
    ("negative", "交货件数：-5 件不行：至少 1 件。"),
    ("nothing", "交货件数：请先填写件数。"),
], ids=["too_many", "negative", "nothing"])
def test_a_count_she_cannot_hand_in_is_refused_under_the_button_and_nothing_changes(world, open_page, typed,
                                                                                     said) -> None:
    lot_id, most = _holding_issued_pieces(world)
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    at = open_page("views/resident.py", me)
    assert not at.exception
    box = at.number_input(key=f"handin-{lot_id}")
    assert box.label == f"这次交几件？（最多 {most} 件）"
    # No bound for the browser to clamp to: what she typed reaches the page, which says what is wrong with it.
    assert box.proto.max > 10**9 and box.proto.min < -10**9  # Streamlit's own limits, set when none is given
    value = {"too_many": most + 220, "negative": -5, "nothing": None}[typed]
    box.set_value(value)
    entry_button(at, f"submit-{lot_id}").click().run()
    assert not at.exception
    expected = said.format(n=value, most=most)
    assert [e.value for e in at.error] == [expected]  # once, and nowhere else on the page
    card = _card_holding(at, entry_button(at, f"submit-{lot_id}").key)
    assert _errors_in(card) == [expected]  # in the lot's card, under its button
    assert len(card.children) < 12  # the card, not the page
    with reading(world.engine) as s:
        assert not s.exec(select(Submission).where(Submission.lot_id == lot_id)).all()
        lot = s.get(Lot, lot_id)
        assert lot is not None and lot.pieces_submitted == 0 and lot.pieces_pending == 0


def test_a_count_she_can_hand_in_is_handed_in_and_confirmed_at_her_lot(world, open_page) -> None:
    lot_id, most = _holding_issued_pieces(world)
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    at = open_page("views/resident.py", me)
    at.number_input(key=f"handin-{lot_id}").set_value(most)
    entry_button(at, f"submit-{lot_id}").click().run()
    assert not at.exception and not at.error
    assert [t.value for t in at.toast] and at.toast[0].value.startswith(f"已交货 {most} 件")
    with reading(world.engine) as s:
        assert [x.pieces for x in s.exec(select(Submission).where(Submission.lot_id == lot_id))] == [most]
