"""A resident's phone page shows their own offers, lots and pay — and nobody else's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import select

from bench.dashboard_pages import metrics, shown_text
from bench.dashboard_world import actor
from dashboard.format import money
from domain.orders.defects import product_defects
from store.db import reading
from store.tables import Lot, Offer, Order, Product
from usecases.queries import reads

INTERNAL_ID = r"\b(?:ord|res|lot|off|sub|ins)-[0-9a-f]{8,}"  # the long ids the API uses as keys


def resident(rid: str, community: str):  # noqa: ANN201
    return actor(rid, "resident", resident_id=rid, community_ids=frozenset({community}))


def test_earnings_on_the_page_are_the_ledger_totals(world, open_page) -> None:
    me = resident(world.worker, "comm-001")
    with reading(world.engine) as s:
        e = reads.earnings(s, me, world.worker, now=datetime.now(UTC))
    at = open_page("views/resident.py", me)
    assert not at.exception
    shown = metrics(at)
    assert shown["今天收入"] == money(e.today_fen)
    assert shown["本周收入"] == money(e.week_fen)
    assert shown["本月收入"] == money(e.month_fen) == "¥56.25"
    text = shown_text(at)
    with reading(world.engine) as s:
        lot = s.get(Lot, world.worked_lot)
    assert lot is not None and lot.short_code
    assert lot.short_code in text and "¥56.25" in text  # the lot, by its short code, and the period's pay slip
    assert world.worked_lot not in text and not re.search(INTERNAL_ID, text)  # no internal ids
    assert "下一步：等待验收" in text  # what happens next with the lot


def test_a_resident_sees_and_accepts_their_offer_with_its_explanation(world, open_page) -> None:
    me = resident(world.offered_to, "comm-002")
    at = open_page("views/resident.py", me)
    text = shown_text(at)
    assert "为你派发此批次" in text  # the plain-words explanation
    assert world.worker not in text and world.proxy_for not in text and world.worked_lot not in text
    key = next(b.key for b in at.button if b.key and b.key.startswith("accept-"))
    at.button(key=key).click().run()
    confirmed = [s.value for s in at.success]
    assert len(confirmed) == 1 and confirmed[0].startswith("已接单：") and "下一步：到取料点领料" in confirmed[0]
    with reading(world.engine) as s:
        offer = s.get(Offer, key.removeprefix("accept-"))
    assert offer is not None and offer.status == "accepted" and not offer.on_behalf


def test_declining_records_the_reason(world, open_page) -> None:
    me = resident(world.offered_to, "comm-002")
    at = open_page("views/resident.py", me)
    offer_id = next(b.key for b in at.button if b.key and b.key.startswith("decline-")).removeprefix("decline-")
    at.text_input(key=f"reason-{offer_id}").input("这周要带孙子")
    at.button(key=f"decline-{offer_id}").click().run()
    with reading(world.engine) as s:
        offer = s.get(Offer, offer_id)
    assert offer is not None and offer.status == "declined"


def test_another_resident_sees_none_of_it(world, open_page) -> None:
    other = world.phone_residents["comm-001"][5]
    at = open_page("views/resident.py", resident(other, "comm-001"))
    text = shown_text(at)
    assert metrics(at)["本月收入"] == "¥0.00"
    assert world.worker not in text and world.worked_lot not in text and "¥56.25" not in text
    with reading(world.engine) as s:
        assert not s.exec(select(Offer).where(Offer.resident_id == other)).all()
    assert not [b for b in at.button if b.key and b.key.startswith("accept-")]


def test_the_resident_page_is_in_english_on_request(world, open_page) -> None:
    at = open_page("views/resident.py", resident(world.worker, "comm-001"), lang="en")
    assert metrics(at)["This month"] == "¥56.25"


def test_an_offer_names_what_inspection_checks_in_chinese_only(world, open_page) -> None:
    """Issue 15: '验收看这些问题：松脱、…' — the product's names for its defect codes, never the codes."""
    me = resident(world.offered_to, "comm-002")
    with reading(world.engine) as s:
        offer = s.exec(select(Offer).where(Offer.resident_id == world.offered_to)).first()
        assert offer is not None
        lot = s.get(Lot, offer.lot_id)
        order = s.get(Order, lot.order_id) if lot else None
        product = s.get(Product, order.product_code) if order else None
        assert product is not None
        entries = product.defect_codes
    defects = product_defects(entries)
    assert defects
    [rules] = [x.value for x in open_page("views/resident.py", me).caption if x.value.startswith("验收看这些问题：")]
    assert rules == "验收看这些问题：" + "、".join(d.name for d in defects)
    assert not re.search(r"[A-Za-z]", rules)
