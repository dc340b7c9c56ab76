"""A rating card names the lot it is about (new user's trial, 390 px): five cards reading '批次工钱已入账 · 2026/11/28
16:30' told a resident nothing she could match to her work; each now leads with the lot as she knows it from her
offers and slips ('包装-1126-06 · 小件包装'), on her phone and on the coordinator's 代办 cards alike."""

from __future__ import annotations

from sqlmodel import select

from bench.dashboard_world import COORD1, actor
from store.db import reading
from store.tables import Lot, Order, Product


def lot_label(world, lot_id: str) -> str:  # noqa: ANN001
    with reading(world.engine) as s:
        lot = s.get(Lot, lot_id)
        product = s.exec(select(Product).join(Order, Order.product_code == Product.code)
                         .where(Order.id == lot.order_id)).one()  # type: ignore[union-attr]
    assert lot is not None and lot.short_code
    return f"{lot.short_code} · {product.name}"


def cards(at) -> list[str]:  # noqa: ANN001
    return [m.value for m in at.markdown if "批次工钱已入账" in m.value or "代为接单" in m.value]


def test_her_paid_lot_s_card_names_the_lot(world, open_page) -> None:
    me = actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))
    at = open_page("views/resident.py", me)
    assert not at.exception
    [card] = cards(at)
    assert card.startswith(f"**{lot_label(world, world.worked_lot)}**") and "批次工钱已入账" in card, card


def test_an_act_done_for_her_names_its_lot_on_the_coordinator_s_card(world, open_page) -> None:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "proxy"
    at.run()
    at.selectbox(key="proxy_resident").select(world.proxy_for).run()
    offer_key = next(b.key for b in at.button if b.key and b.key.startswith("accept-"))
    at.button(key=offer_key).click().run()  # accepted on her behalf (代为接单): now she may rate it
    assert not at.exception
    [card] = cards(at)
    assert card.startswith(f"**{lot_label(world, world.proxy_lot)}**") and "代为接单" in card, card
