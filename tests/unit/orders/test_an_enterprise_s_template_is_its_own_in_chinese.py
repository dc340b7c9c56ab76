"""An enterprise downloads an order template with Chinese headers, already holding its credit code and places."""

from __future__ import annotations

from datetime import datetime

from domain.orders.csv_columns import ORDER_COLUMNS, canonical_header
from domain.orders.order_template import LEFT_FOR_THE_ENTERPRISE, order_template


def test_the_template_has_chinese_headers_the_import_reads_and_the_enterprise_s_own_values() -> None:
    sheet = order_template(enterprise_id="ent-01", uscc="91350100M000100Y43",
                           community_ids=["comm-001", "comm-002"], site_ids=["comm-001-site-1"],
                           product_codes=["BEAD-01", "NET-02"], due_local=datetime(2026, 12, 14, 18, 0))
    assert all(not h.isascii() for h in sheet.header)  # every header in Chinese
    assert canonical_header(sheet.header, ORDER_COLUMNS) == [c.name for c in ORDER_COLUMNS]  # read as the columns
    assert sheet.text_columns == frozenset(range(len(ORDER_COLUMNS)))  # a credit code or date stays as typed
    [row] = sheet.rows  # one row to fill in: rows left as downloaded would stop the whole file importing
    first = dict(zip(sheet.header, row, strict=True))
    assert first["产品编号"] == "BEAD-01"
    assert first["统一社会信用代码"] == "91350100M000100Y43" and first["企业编号"] == "ent-01"
    assert first["可接单社区"] == "comm-001;comm-002" and first["取料站点"] == "comm-001-site-1"
    assert first["交货时间"] == "2026-12-14 18:00"
    empty = {c.name for c, cell in zip(ORDER_COLUMNS, row, strict=True) if not cell}
    # Only the enterprise's own PO number and rate are left to write (and the optional eligible sites).
    assert empty == {*LEFT_FOR_THE_ENTERPRISE, "eligible_sites"}
