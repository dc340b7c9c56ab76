"""An enterprise downloads an order template with Chinese headers, already holding its credit code and places."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from domain.orders.csv_columns import ORDER_COLUMNS, canonical_header
from domain.orders.order_template import order_template, template_csv


def test_the_template_has_chinese_headers_the_import_reads_and_the_enterprise_s_own_values() -> None:
    header, rows = order_template(enterprise_id="ent-01", uscc="91350100M000100Y43",
                                  community_ids=["comm-001", "comm-002"], site_ids=["comm-001-site-1"],
                                  product_codes=["BEAD-01", "NET-02"], due_local=datetime(2026, 12, 14, 18, 0))
    assert all(not h.isascii() for h in header)  # every header in Chinese
    assert canonical_header(header, ORDER_COLUMNS) == [c.name for c in ORDER_COLUMNS]  # read as the columns
    raw = template_csv(header, rows)
    assert raw.startswith("\ufeff".encode())  # Excel and WPS see UTF-8
    back = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["产品编号"] for r in back] == ["BEAD-01", "NET-02"]
    first = back[0]
    assert first["统一社会信用代码"] == "91350100M000100Y43" and first["企业编号"] == "ent-01"
    assert first["可接单社区"] == "comm-001;comm-002" and first["取料站点"] == "comm-001-site-1"
    assert first["交货时间"] == "2026-12-14 18:00" and first["订单号"] == ""  # left for the enterprise's own PO number
