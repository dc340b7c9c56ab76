"""An enterprise cancels an order and changes a rate on its page, each with a reason, and gives its own PO number."""

from __future__ import annotations

from sqlmodel import select

from bench.dashboard_world import ENT1, ENT2
from store.db import reading
from store.tables import Order, RateVersion
from tests.entry_buttons import entry_button


def manage(at):  # noqa: ANN001, ANN201
    """The page's 管理订单 section, chosen as the enterprise clicks it in the section bar."""
    return at.button_group(key="en_section").set_value("manage").run()


def test_cancelling_needs_a_reason_and_then_cancels(world, open_page) -> None:
    at = manage(open_page("views/enterprise.py", ENT2))
    at.selectbox(key="cx_order").select(world.order_ent2)
    at.button(key="cx_go").click().run()
    assert [e.value for e in at.error] == ["请填写原因（至少两个字）。"]
    at.text_input(key="cx_reason").input("客户取消了这批货")
    at.button(key="cx_go").click().run()
    assert not at.exception and at.success[0].value.startswith("订单已取消")
    with reading(world.engine) as s:
        order = s.get(Order, world.order_ent2)
    assert order is not None and order.status == "cancelled"


def test_a_new_rate_is_kept_with_its_reason(world, open_page) -> None:
    at = manage(open_page("views/enterprise.py", ENT1))
    at.selectbox(key="rt_order").select(world.order_ent1)
    at.text_input(key="rt_rate").input("1.5")
    at.text_input(key="rt_reason").input("原料涨价")
    at.button(key="rt_go").click().run()
    assert not at.exception and at.success[0].value.startswith("单价已修改")
    with reading(world.engine) as s:
        versions = s.exec(select(RateVersion).where(RateVersion.order_id == world.order_ent1)
                          .order_by(RateVersion.version)).all()
    assert [(v.piece_rate_centifen, v.reason) for v in versions][-1] == (15000, "原料涨价")  # ¥1.50


def test_the_enterprise_s_own_po_number_names_the_order(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT2)
    at.text_input(key="po_rate").input("0.80")
    at.multiselect(key="po_communities").select("comm-002")
    at.selectbox(key="po_pickup").select("comm-002-site-1")
    at.text_input(key="po_ref").input("PO-2026-0118")
    entry_button(at, "po_go").click().run()
    assert not at.exception and at.success[0].value.startswith("订单 PO-2026-0118 已发布")
    with reading(world.engine) as s:
        assert s.get(Order, "PO-2026-0118") is not None


def test_a_new_rate_may_have_four_decimals_and_a_bad_one_is_named(world, open_page) -> None:
    at = manage(open_page("views/enterprise.py", ENT1))
    at.selectbox(key="rt_order").select(world.order_ent1)
    at.text_input(key="rt_rate").input("一块")
    at.text_input(key="rt_reason").input("重新核价")
    at.button(key="rt_go").click().run()
    assert not at.exception and at.error[0].value.startswith("输入有误，请修改「新的计件单价")
    at.text_input(key="rt_rate").input("0.035")
    at.button(key="rt_go").click().run()
    assert not at.exception and at.success[0].value.startswith("单价已修改")
    with reading(world.engine) as s:
        latest = s.exec(select(RateVersion).where(RateVersion.order_id == world.order_ent1)
                        .order_by(RateVersion.version.desc())).first()  # type: ignore[attr-defined]
    assert latest is not None and (latest.piece_rate_centifen, latest.reason) == (350, "重新核价")  # ¥0.035
