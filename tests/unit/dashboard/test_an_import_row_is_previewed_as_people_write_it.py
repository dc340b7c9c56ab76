"""A spreadsheet row in the import preview: under the template's headers, its values as people write them."""

from __future__ import annotations

from dashboard.import_preview import preview_row
from domain.orders import csv_import as ci


def test_a_resident_reads_in_chinese_and_in_english() -> None:
    first, second = ci.import_residents(ci.EXAMPLE_RESIDENTS_CSV.encode()).rows
    assert preview_row("residents", first) == {
        "姓名": "王秀英", "手机号": "138****5678", "身份证号": "1101**********002X", "社区编号": "C-001",
        "工作方式": "均可", "技能": "串珠 2级；缝纫 1级", "可工作时间": "周一 09:00–11:30；周三 14:00–17:00",
        "可到站点": "S-001", "优先群体": "是"}
    assert preview_row("residents", second)["可工作时间"] == "周一至周五 13:30–16:30"
    assert preview_row("residents", second)["手机号"] == ""  # nothing, never 'None'
    english = preview_row("residents", first, "en")
    assert (english["skills"], english["availability"], english["priority_group"]) == (
        "beading level 2; sewing level 1", "Mon 09:00–11:30; Wed 14:00–17:00", "yes")


def test_a_site_and_an_order_read_as_their_templates_head_them() -> None:
    site = ci.import_sites(ci.EXAMPLE_SITES_CSV.encode()).rows[0]
    assert preview_row("sites", site)["站点类型"] == "社区微工厂"
    order = preview_row("orders", ci.import_orders(ci.EXAMPLE_ORDERS_CSV.encode()).rows[0])
    assert list(order)[:3] == ["订单号", "企业编号", "统一社会信用代码"]
    assert (order["计件单价(元)"], order["交货时间"], order["可接单社区"]) == (
        "¥0.35/件", "2025/7/1 18:00", "C-001、C-002")
