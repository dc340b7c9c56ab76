"""An enterprise follows its own orders — progress, pass rate, defects, cost, statements — and no one else's."""

from __future__ import annotations

from sqlmodel import select

from bench.dashboard_pages import metrics, shown_text
from bench.dashboard_world import ENT1, ENT2
from store.db import reading
from store.tables import Order


def test_progress_and_cost_match_the_database(world, open_page) -> None:
    at = open_page("pages/enterprise.py", ENT1)
    assert not at.exception
    shown = metrics(at)
    assert shown["合格件数"] == "45"
    assert shown["合格率"] == "90.0%"
    assert shown["累计费用"] == "¥56.25"
    table = at.dataframe[0].value
    row = table[table["订单"] == world.order_ent1].iloc[0]
    assert (row["数量"], row["已发料"], row["已交"], row["合格"], row["不合格"]) == (180, 60, 60, 45, 5)
    text = shown_text(at)
    assert "¥59.06" in text  # statement: ¥56.25 pay + 5% fee ¥2.81


def test_an_enterprise_never_sees_another_enterprise_s_orders(world, open_page) -> None:
    text = shown_text(open_page("pages/enterprise.py", ENT2))
    assert world.order_ent2 in text and world.order_ent1 not in text and "¥56.25" not in text


def test_posting_an_order_goes_through_the_use_case(world, open_page) -> None:
    at = open_page("pages/enterprise.py", ENT2)
    at.number_input(key="po_quantity").set_value(90)
    at.text_input(key="po_rate").input("0.80")
    at.multiselect(key="po_communities").select("comm-002")
    at.selectbox(key="po_pickup").select("comm-002-site-1")
    at.button(key="FormSubmitter:post_order-发布").click().run()
    assert not at.exception and len(at.success) == 1 and at.success[0].value.endswith("已发布，正在拆分批次。")
    with reading(world.engine) as s:
        posted = s.exec(select(Order).where(Order.enterprise_id == "ent-02", Order.quantity == 90)).one()
    assert posted.piece_rate_fen == 80


def test_a_rate_with_fractions_of_a_fen_is_refused_in_words(world, open_page) -> None:
    at = open_page("pages/enterprise.py", ENT2)
    at.text_input(key="po_rate").input("0.805")
    at.multiselect(key="po_communities").select("comm-002")
    at.button(key="FormSubmitter:post_order-发布").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["计件单价请写成元，最多两位小数，例如 1.25。"]
