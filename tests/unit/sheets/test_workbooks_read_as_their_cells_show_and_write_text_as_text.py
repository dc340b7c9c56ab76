"""domain.sheets: an .xlsx reads as the text its cells show; what we write keeps text as text and money as numbers."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from domain.orders.csv_fields import BadValue, parse_due_at
from domain.orders.csv_import import import_residents
from domain.orders.csv_reading import CsvFormatError, read_table
from domain.sheets import Sheet, cell_text, read_xlsx_rows, write_xlsx


def _xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (True, "yes"), (600, "600"), (600.0, "600"), (0.35, "0.35"), (0.035, "0.035"),
    (13812345678, "13812345678"),                       # 11 digits: within Excel's precision, kept
    (110105194912310000, "1.10105E+17"),                # an ID number as a number: shown as Excel shows it
    (1.10105194912310e17, "1.10105E+17"),
    (datetime(2026, 3, 5, 18, 0), "2026-03-05 18:00"), (datetime(2026, 3, 5), "2026-03-05"),
])
def test_a_cell_reads_as_the_text_a_chinese_spreadsheet_shows(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_the_first_sheet_is_read_with_trailing_blank_cells_dropped() -> None:
    data = _xlsx(["name", "phone", None], ["王秀英", 13812345678, None], [], ["李建国"])
    assert read_xlsx_rows(data) == [["name", "phone"], ["王秀英", "13812345678"], [], ["李建国"]]
    header, records = read_table(data)
    assert header == ["name", "phone"] and records == [(1, ["王秀英", "13812345678"]), (3, ["李建国"])]


def test_an_old_xls_or_a_damaged_workbook_is_refused_with_what_to_do() -> None:
    with pytest.raises(CsvFormatError, match="xlsx"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(CsvFormatError, match="xlsx"):
        read_table(b"PK\x03\x04 not really a zip")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx(["name"], ["王秀英"]))) as good, zipfile.ZipFile(broken, "w") as bad:
        for item in good.infolist():  # the same workbook with its sheet's XML cut short
            content = good.read(item)
            bad.writestr(item, content[:40] if item.filename.endswith("sheet1.xml") else content)
    with pytest.raises(CsvFormatError, match="xlsx"):
        read_table(broken.getvalue())


@pytest.mark.parametrize(("cell", "expected"), [
    ("2026/3/5 18:00", datetime(2026, 3, 5, 18)),
    ("2026年3月5日 18:00", datetime(2026, 3, 5, 18)),
    ("2026年3月5日18时30分", datetime(2026, 3, 5, 18, 30)),
    ("２０２６／３／５　１８：００", datetime(2026, 3, 5, 18)),   # full-width, as an input method types it
    ("46086.75", datetime(2026, 3, 5, 18)),                 # Excel serial: 2026-03-05 is day 46086, 18:00 is 0.75
])
def test_due_times_are_read_as_chinese_spreadsheets_write_them(cell: str, expected: datetime) -> None:
    assert parse_due_at(cell).replace(tzinfo=None) == expected
    assert parse_due_at(cell).utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


@pytest.mark.parametrize(("cell", "words"), [
    ("2026/3/5", "needs a time"), ("46086", "2026-03-05 without a time"), ("2026/2/30 18:00", "real date"),
    ("12345.5", "outside 2000-2099"),
])
def test_a_due_date_without_a_time_or_no_real_date_is_refused_with_the_reason(cell: str, words: str) -> None:
    with pytest.raises(BadValue, match=words):
        parse_due_at(cell)


def test_written_text_stays_text_and_money_stays_a_number() -> None:
    data = write_xlsx([Sheet("工资条", ["批次", "姓名", "单价", "金额"], [
        ["=HYPERLINK(\"http://x\")", "110105194912310000", Decimal("0.035"), Decimal("11.66")],
    ], exact_columns=frozenset({2}))])
    ws = load_workbook(io.BytesIO(data)).active
    lot, name, rate, amount = (c for c in next(ws.iter_rows(min_row=2)))
    assert (lot.data_type, lot.value) == ("s", '=HYPERLINK("http://x")')  # data, never a formula
    assert (name.data_type, name.value) == ("s", "110105194912310000")    # an 18-digit number stays whole
    assert (rate.value, amount.value, amount.number_format) == (0.035, 11.66, "0.00")


def test_ids_typed_full_width_are_read_as_ascii_in_a_workbook_and_a_csv() -> None:
    header = ["姓名", "社区编号", "工作方式", "可到站点", "技能"]  # the row as a phone input method types it
    row = ["王秀英", "ｃｏｍｍ－００１", "到场", "ｃｏｍｍ－００１－ｓｉｔｅ－１；Ｓ２", "ｂｅａｄｉｎｇ：２"]
    for data in (_xlsx(header, row), (",".join(header) + "\n" + ",".join(row) + "\n").encode("gbk")):
        report = import_residents(data)
        assert report.ok, report.errors
        [person] = report.rows
        assert (person.community_id, person.reachable_site_ids) == ("comm-001", ("comm-001-site-1", "S2"))


def test_cells_copied_from_excel_and_pasted_are_read_as_a_table() -> None:
    pasted = "姓名\t社区编号\t工作方式\n王秀英\tcomm-001\t居家\n"  # Excel puts tabs on the clipboard
    [person] = import_residents(pasted.encode()).rows
    assert (person.name, person.community_id, person.work_mode) == ("王秀英", "comm-001", "home")
