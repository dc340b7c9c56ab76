"""Issue 15: the enterprise's page offers ONE order template (its id, credit code, communities and site filled in,
Chinese headers), and that template, uploaded on the same page as downloaded, is read back: left unchanged, every
empty cell is named by row under its Chinese header with a Chinese reason and nothing is imported; with its row
filled in (订单号, 计件单价), it imports. For the CSV and the Excel file alike."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from bench.dashboard_world import ENT1
from dashboard import csv_ui
from domain.sheets import XLSX_MEDIA_TYPE, write_xlsx
from store.db import reading
from store.tables import Enterprise, Order
from usecases.queries.dashboard_enterprise import enterprise_order_template


def _upload_section(open_page):  # noqa: ANN001, ANN202
    at = open_page("views/enterprise.py", ENT1)
    return at.button_group(key="en_section").set_value("upload").run()


def _template(world, kind: str, fill: dict[str, str] | None = None) -> tuple[str, bytes, str]:  # noqa: ANN001
    """The file the page's button gives (the same query and writer), with cells under Chinese headers set."""
    with reading(world.engine) as s:
        sheet = enterprise_order_template(s, ENT1, now=datetime.now(UTC))
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(csv_ui.csv_bytes(sheet).decode("utf-8-sig"))))
        for header, value in (fill or {}).items():
            rows[1][rows[0].index(header)] = value
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return "订单模板.csv", ("\ufeff" + out.getvalue()).encode(), "text/csv"
    book = load_workbook(io.BytesIO(write_xlsx([sheet])))  # opened and saved again, as Excel or WPS would
    page = book.active
    headers = [c.value for c in page[1]]
    for header, value in (fill or {}).items():
        page.cell(row=2, column=headers.index(header) + 1, value=value)
    saved = io.BytesIO()
    book.save(saved)
    return "订单模板.xlsx", saved.getvalue(), XLSX_MEDIA_TYPE


def test_the_page_offers_one_order_template_clearly_labelled(world, open_page) -> None:
    at = _upload_section(open_page)
    assert not at.exception
    templates = sorted(b.label for b in at.get("download_button") if "模板" in b.label)
    assert templates == ["下载订单模板（CSV）", "下载订单模板（Excel）"]
    assert any("订单模板（已填好贵司信息）" in m.value for m in at.markdown)
    assert not [x for x in at.expander if "示例" in x.proto.label]  # no second, generic example to copy from


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_unchanged_names_each_empty_cell_in_chinese(world, open_page, kind: str) -> None:
    at = _upload_section(open_page)
    at.file_uploader(key="csv_file_orders").set_value(_template(world, kind)).run()
    assert not at.exception and at.error
    [problems] = [d.value for d in at.dataframe if "原因" in d.value.columns]  # the section is above the orders
    assert sorted(zip(problems["行"], problems["列"], strict=True)) == [(1, "计件单价(元)"), (1, "订单号")]
    assert set(problems["原因"]) == {"必填，不能空着"}
    assert at.button(key="csv_import_orders").disabled


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_template_with_its_row_filled_in_imports(world, open_page, kind: str) -> None:
    po = f"PO-TPL-{kind}"
    at = _upload_section(open_page)
    at.file_uploader(key="csv_file_orders").set_value(
        _template(world, kind, {"订单号": po, "计件单价(元)": "1.25"})).run()
    assert not at.exception and not at.error
    # The order under the template's headers, as people read it (was order_ref and draft with a raw dict).
    [preview] = [d.value for d in at.dataframe if "订单号" in d.value.columns]
    assert list(preview.columns)[:2] == ["订单号", "企业编号"] and "draft" not in preview.columns
    assert (preview["订单号"][0], preview["计件单价(元)"][0]) == (po, "¥1.25/件")
    assert preview["可接单社区"][0] == "comm-001、comm-002" and preview["可带回家做"][0] in ("是", "否")
    at.button(key="csv_import_orders").click().run()
    assert not at.exception and [s.value for s in at.success] == ["已导入 1 行。"]
    assert at.button_group(key="en_section").value == "upload"  # still where the enterprise was
    # Only the result: the file, its preview and the import button are gone (new-user trial: they stayed and
    # invited a second import of the same rows); the uploader is empty, under a new key, for the next file.
    assert not [b for b in at.button if b.key == "csv_import_orders"]
    assert not [h for h in at.subheader if h.value.startswith("预览")]
    assert [(u.key, u.value) for u in at.file_uploader] == [("csv_file_orders-2", None)]
    with reading(world.engine) as s:
        order, enterprise = s.get(Order, po), s.get(Enterprise, "ent-01")
    assert order is not None and enterprise is not None
    assert (order.enterprise_id, order.piece_rate_centifen, order.quantity) == ("ent-01", 12500, 100)
    assert order.eligible_community_ids == ["comm-001", "comm-002"]


def test_a_refused_row_is_named_in_chinese_under_its_header(world, open_page) -> None:
    at = _upload_section(open_page)
    at.file_uploader(key="csv_file_orders").set_value(
        _template(world, "csv", {"订单号": "PO-X", "计件单价(元)": "一块", "可带回家做": "也许"})).run()
    [problems] = [d.value for d in at.dataframe if "原因" in d.value.columns]  # the section is above the orders
    found = dict(zip(problems["列"], problems["原因"], strict=True))
    assert found["可带回家做"] == "「也许」不是“是”或“否”"
    assert found["计件单价(元)"].startswith("「一块」不是金额")


def test_a_file_larger_than_the_api_takes_is_refused_before_it_is_read(world, open_page) -> None:
    """Issue 15 (attack): the API refuses an upload over 5 MB, the page read any size (Streamlit takes 200 MB),
    and read it again at every rerun: the template with its row copied to 10 MB took ~20 s a click."""
    name, data, mime = _template(world, "csv", {"订单号": "PO-BIG", "计件单价(元)": "1.25"})
    header, row = data.decode("utf-8-sig").splitlines()[:2]
    big = ("\ufeff" + header + "\n" + (row + "\n") * (10 * 2**20 // len(row.encode()))).encode()
    at = _upload_section(open_page)
    started = time.monotonic()
    at.file_uploader(key="csv_file_orders").set_value((name, big, mime)).run()
    assert time.monotonic() - started < 5
    assert not at.exception and [e.value for e in at.error] == ["文件超过 5 MB，请拆分后分批导入"]
    assert not [b for b in at.button if b.key == "csv_import_orders"]
