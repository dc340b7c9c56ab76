"""An enterprise follows its own orders — progress, pass rate, defects, cost, statements — and no one else's."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bench.dashboard_pages import metrics, shown_text
from bench.dashboard_world import ENT1, ENT2
from store.db import reading
from store.tables import Order, Product
from tests.entry_buttons import entry_button
from usecases.queries.dashboard_enterprise import enterprise_view


def test_progress_and_cost_match_the_database(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT1)
    assert not at.exception
    shown = metrics(at)
    assert shown["合格件数"] == "45"
    assert shown["合格率"] == "90.0%"
    assert shown["累计费用"] == "¥56.25"
    table = at.dataframe[0].value
    [row] = [r for _, r in table.iterrows()]
    assert (row["数量"], row["已发料"], row["已交"], row["合格"], row["不合格"]) == (180, 60, 60, 45, 5)
    text = shown_text(at)
    assert "¥59.06" in text  # statement: ¥56.25 pay + 5% fee ¥2.81


def test_orders_and_defects_are_named_as_people_name_them(world, open_page) -> None:
    """Issue 15: the order by product, day and number (not 'ord-01a2…'), the product by its name, defects in
    Chinese on the chart and in the pickers."""
    with reading(world.engine) as s:
        order = s.get(Order, world.order_ent1)
        assert order is not None
        product = s.get(Product, order.product_code)
    assert product is not None
    at = open_page("views/enterprise.py", ENT1)
    table = at.dataframe[0].value
    [row] = [r for _, r in table.iterrows()]
    assert row["产品"] == product.name and row["订单"].startswith(f"{product.name}-") and row["订单"].endswith("-01")
    assert world.order_ent1 not in shown_text(at)
    with reading(world.engine) as s:  # what the 缺陷分布 chart draws: the Chinese name of the cited code
        view = enterprise_view(s, ENT1, now=datetime.now(UTC), service_fee_bps=500)
    assert [(d.code, d.name) for p in view.orders for d in p.defects] == [("LOOSE", "松脱")]
    picker = at.button_group(key="en_section").set_value("manage").run().selectbox(key="cx_order")
    assert all(world.order_ent1 not in picker.format_func(o) for o in picker.options)


def test_an_enterprise_never_sees_another_enterprise_s_orders(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT2)
    text = shown_text(at)
    assert len(at.dataframe[0].value) == 1 and "¥56.25" not in text


def test_posting_an_order_goes_through_the_use_case(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT2)
    at.number_input(key="po_quantity").set_value(90)
    at.text_input(key="po_rate").input("0.80")
    at.multiselect(key="po_communities").select("comm-002")
    at.selectbox(key="po_pickup").select("comm-002-site-1")
    entry_button(at, "po_go").click().run()
    assert not at.exception and len(at.success) == 1 and at.success[0].value.endswith("已发布，正在拆分批次。")
    assert "ord-" not in at.success[0].value and " 90 件" in at.success[0].value  # issue 15: no internal id
    with reading(world.engine) as s:
        posted = s.exec(select(Order).where(Order.enterprise_id == "ent-02", Order.quantity == 90)).one()
    assert posted.piece_rate_centifen == 8000


def test_the_due_time_is_the_hour_the_enterprise_chose_not_always_18_00(world, open_page) -> None:
    """The form took a day only and sent 18:00 of it (new-user trial); now the day and a time, 18:00 by default."""
    from datetime import date, time, timedelta
    from zoneinfo import ZoneInfo

    at = open_page("views/enterprise.py", ENT2)
    assert at.time_input(key="po_due_time").value == time(18, 0)
    day = date.today() + timedelta(days=20)
    at.date_input(key="po_due").set_value(day)
    at.time_input(key="po_due_time").set_value(time(9, 30))
    at.number_input(key="po_quantity").set_value(67)
    at.text_input(key="po_rate").input("0.80")
    at.multiselect(key="po_communities").select("comm-002")
    at.selectbox(key="po_pickup").select("comm-002-site-1")
    entry_button(at, "po_go").click().run()
    assert not at.exception and len(at.success) == 1, [e.value for e in at.error]
    with reading(world.engine) as s:
        posted = s.exec(select(Order).where(Order.enterprise_id == "ent-02", Order.quantity == 67)).one()
    local = posted.due_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (local.date(), local.time()) == (day, time(9, 30))


def test_a_rate_per_thousand_below_one_fen_a_piece_is_posted_and_shown_as_written(world, open_page) -> None:
    # ¥35 per 1,000 beads = ¥0.035 a bead: kept exactly (350 × ¥0.0001) and shown as the enterprise wrote it.
    at = open_page("views/enterprise.py", ENT2)
    at.number_input(key="po_quantity").set_value(70)
    at.text_input(key="po_rate").input("35")
    at.selectbox(key="po_rate_per").select(1000)
    at.multiselect(key="po_communities").select("comm-002")
    at.selectbox(key="po_pickup").select("comm-002-site-1")
    entry_button(at, "po_go").click().run()
    assert not at.exception and len(at.success) == 1
    with reading(world.engine) as s:
        posted = s.exec(select(Order).where(Order.enterprise_id == "ent-02", Order.quantity == 70)).one()
    assert (posted.piece_rate_centifen, posted.rate_per) == (350, 1000)
    assert "¥35.00/千件" in shown_text(open_page("views/enterprise.py", ENT2))


def test_a_rate_finer_than_0_0001_yuan_is_refused_in_words(world, open_page) -> None:
    at = open_page("views/enterprise.py", ENT2)
    at.text_input(key="po_rate").input("0.00805")  # five decimals of a yuan
    at.multiselect(key="po_communities").select("comm-002")
    entry_button(at, "po_go").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "0.0001 元" in error and error.startswith("输入有误，请修改「计件单价」：")  # the form's own words
    assert "piece_rate_yuan" not in error and "Value error" not in error and "0.0001 yuan" not in error


def test_an_enterprise_with_more_than_500_orders_sees_every_one(world) -> None:
    """Issue 15: no page silently shows the first 500 rows — the enterprise's view read the newest 500 orders."""
    from datetime import timedelta

    from store.db import transaction
    with transaction(world.engine) as s:
        first = s.get(Order, world.order_ent1)
        assert first is not None
        for k in range(520):
            s.add(Order(id=f"ord-many-{k:04d}", enterprise_id=first.enterprise_id, product_code=first.product_code,
                        quantity=10, piece_rate_centifen=first.piece_rate_centifen, due_at=first.due_at,
                        eligible_community_ids=list(first.eligible_community_ids),
                        posted_at=first.posted_at - timedelta(minutes=k + 1)))
    with reading(world.engine) as s:
        view = enterprise_view(s, ENT1, now=datetime.now(UTC), service_fee_bps=500)
    assert len(view.orders) == 521 and world.order_ent1 in {o.order.id for o in view.orders}


def _labels(widget) -> list[str]:  # noqa: ANN001
    return list(widget.options)  # AppTest's options are the labels the page shows


def test_the_posting_form_names_communities_sites_and_products_as_people_do(world, open_page) -> None:
    """New-user trial: '第1社区 (comm-001)', '串珠手链 (BEAD-01)' showed the internal ids; names only, and two
    communities of one name told apart by their street."""
    from store.db import transaction
    from store.tables import Community, Site

    with reading(world.engine) as s:
        products = {p.code: p.name for p in s.exec(select(Product))}
        communities = {c.id: c for c in s.exec(select(Community))}
        sites = {x.id: x.name for x in s.exec(select(Site))}
    at = open_page("views/enterprise.py", ENT2)
    assert _labels(at.selectbox(key="po_product")) == list(products.values())
    assert _labels(at.multiselect(key="po_communities")) == [c.name for c in communities.values()]
    assert _labels(at.selectbox(key="po_pickup")) == list(sites.values())
    text = shown_text(at)
    assert not [i for i in [*products, *communities, *sites] if f"({i})" in text]

    first = communities["comm-001"]
    with transaction(world.engine) as s:  # a second 第1社区, in another street
        s.add(Community(id="comm-twin", name=first.name, street="另一街道", district=first.district,
                        city=first.city, division=first.division))
    labels = _labels(open_page("views/enterprise.py", ENT2).multiselect(key="po_communities"))
    assert f"{first.name}（{first.street}）" in labels and f"{first.name}（另一街道）" in labels
    assert not [x for x in labels if "comm-" in x]
