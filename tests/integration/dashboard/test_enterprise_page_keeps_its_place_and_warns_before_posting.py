"""Issue 15, the enterprise's page: a choice reruns the page without sending the enterprise back to the first
section, and a rate below the local minimum wage is named while the order is typed — before 发布 — with the
figures and the rate that meets it, judged by the rule the post path applies (the order it posts is flagged
exactly when the warning was shown)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import col, select

from bench.dashboard_world import ENT2
from domain.orders.minimum_wage import audit_order_rate
from domain.pay.money import format_rate
from store.db import reading, transaction
from store.tables import Community, Order, Product
from tests.entry_buttons import entry_button, entry_key_of
from usecases.minimum_wages import minimum_at


def test_a_choice_in_a_later_section_keeps_the_enterprise_there(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT2)
    assert at.button_group(key="en_section").value == "post" and entry_button(at, "po_go")
    at.button_group(key="en_section").set_value("manage").run()
    at.selectbox(key="cx_order").select(world.order_ent2).run()  # a choice reruns the whole page
    assert not at.exception and at.button_group(key="en_section").value == "manage"
    assert at.selectbox(key="cx_order").value == world.order_ent2  # the choice is kept, in its section
    # One section at a time: the posting form is not shown.
    assert not [b for b in at.button if entry_key_of(b.key, "po_go")]
    at.button_group(key="en_section").set_value("upload").run()
    at.text_area(key="csv_text_orders").input("订单号\nPO-1\n").run()
    assert at.button_group(key="en_section").value == "upload" and at.text_area(key="csv_text_orders").value


def _typed(open_page, rate: str):  # noqa: ANN001, ANN202
    at = open_page("views/enterprise.py", ENT2)
    at.selectbox(key="po_product").select("NET-02")
    at.multiselect(key="po_communities").select("comm-002")
    at.text_input(key="po_rate").input(rate)
    return at.run()


def _wage(world, rate_centifen: int):  # noqa: ANN001, ANN202
    """The post path's rule, applied here by hand: the rate at standard speed against comm-002's minimum today."""
    with reading(world.engine) as s:
        product, community = s.get(Product, "NET-02"), s.get(Community, "comm-002")
        assert product is not None and community is not None
        return audit_order_rate(piece_rate_centifen=rate_centifen,
                                standard_minutes_per_piece=product.standard_minutes_per_piece,
                                min_hourly_wage_fen=minimum_at(s, community, datetime.now(UTC)))


def _orders(world) -> list[Order]:  # noqa: ANN001
    with reading(world.engine) as s:
        return list(s.exec(select(Order).where(Order.enterprise_id == "ent-02")).all())


def test_a_rate_below_the_minimum_is_named_while_it_is_typed_with_the_rate_that_meets_it(world, open_page) -> None:
    before = len(_orders(world))
    at = _typed(open_page, "0.05")
    assert not at.exception
    expected = _wage(world, 500)
    assert expected.below
    [warning] = [w.value for w in at.warning]
    assert "低于当地最低小时工资" in warning and f"¥{expected.min_hourly_wage_fen / 100:.2f}" in warning
    assert f"¥{expected.hourly_fen_at_standard_speed / 100:.2f}" in warning
    assert format_rate(expected.min_piece_rate_centifen) in warning  # the rate that would meet it, exact
    assert len(_orders(world)) == before  # nothing was posted to learn this


def test_the_warning_and_the_posted_order_s_flag_agree_at_the_minimum_rate(world, open_page) -> None:
    minimum = _wage(world, 500).min_piece_rate_centifen
    just_below = format_rate(minimum - 1).removeprefix("¥").removesuffix("/件")
    at_minimum = format_rate(minimum).removeprefix("¥").removesuffix("/件")
    for rate, po, flagged in ((just_below, "PO-BELOW", True), (at_minimum, "PO-MEETS", False)):
        at = _typed(open_page, rate)
        assert bool(at.warning) is flagged, rate
        if not flagged:
            assert any("达到当地最低小时工资" in c.value for c in at.caption)
        at.text_input(key="po_ref").input(po)
        at.selectbox(key="po_pickup").select("comm-002-site-1")
        entry_button(at, "po_go").click().run()
        assert not at.exception and at.success, rate
        with reading(world.engine) as s:
            order = s.get(Order, po)
        assert order is not None and order.below_minimum_wage is flagged


def test_a_community_without_a_minimum_wage_neither_breaks_the_page_nor_speaks_english_field_names(
        world, open_page) -> None:
    """Issue 15 (attack): a chosen community with no division (so no minimum wage) gives no warning while typing,
    never an exception, and posting names the missing figure under a Chinese label (it read 「division」)."""
    with transaction(world.engine) as s:
        s.execute(update(Community).where(col(Community.id) == "comm-002").values(division=""))
    before = len(_orders(world))
    for rate in ("0.05", "0", "-1", "1e3", "abc", "１．２５", "99999999999999999999"):
        at = _typed(open_page, rate)
        assert not at.exception and not at.warning, rate
    at.text_input(key="po_ref").input("PO-NO-DIVISION")
    at.selectbox(key="po_pickup").select("comm-002-site-1")
    at.text_input(key="po_rate").input("0.05")
    entry_button(at, "po_go").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "「行政区划」" in error and "division」" not in error, error
    assert len(_orders(world)) == before


def test_the_rate_starts_empty_and_posting_without_one_names_it_and_posts_nothing(world, open_page) -> None:
    """No rate is filled in for her (the form offered ¥1.25, a figure nobody chose and below the minimum wage for
    slow products, which a press of 发布 posted as it stood)."""
    before = len(_orders(world))
    at = open_page("views/enterprise.py", ENT2)
    assert at.text_input(key="po_rate").value == ""
    assert at.text_input(key="po_rate").placeholder.startswith("请填写")
    at.multiselect(key="po_communities").select("comm-002")
    at.run()
    assert not [w for w in at.warning if "最低" in w.value]  # nothing to judge yet
    entry_button(at, "po_go").click().run()
    assert not at.exception
    assert any("计件单价" in e.value for e in at.error), [e.value for e in at.error]
    assert len(_orders(world)) == before
