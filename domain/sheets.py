"""Excel workbooks (.xlsx, as Excel and WPS save them) in and out, with openpyxl.

Reading gives the first worksheet's rows as the text a CSV export of the same sheet would hold, so an .xlsx
goes through exactly the parsers, row-level report and all-or-nothing rule of a CSV import. Two things a
spreadsheet does to cells are kept visible rather than repaired: a real date cell becomes 'YYYY-MM-DD HH:MM'
(the date parsers read it like any other date), and a number too long for Excel's 15 significant digits
(an ID number typed into a General cell) becomes the scientific notation Excel shows for it, which the ID
and phone checks refuse with their reason (domain.people). Writing makes text cells text (never a formula,
never a number, so an ID number or a lot id survives being opened and saved again) and money real numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls, and password-protected workbooks
MAX_ROWS = 20_000  # an import is a register or an order list, not a data dump; a bigger file is split
MAX_COLUMNS = 64  # far more than any import has; cells beyond are not read (a sheet may claim 16,384)
# What an import's workbook may unpack to: 20,000 rows of a register are a few MB of XML. A 400 KB upload whose
# shared strings unpack to 400 MB took 22 s and 2.3 GB of memory in openpyxl; 5 MB of such a zip would take the
# machine's memory. The sizes a zip declares are the ones zipfile lets a reader unpack (more fails its CRC check).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number; the rest become zeros
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | Decimal | datetime | date | None


class SheetFormatError(ValueError):
    """A file that is not a readable .xlsx workbook; the message says what to do instead."""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_safe(text: str) -> str:
    """A CSV cell that Excel or WPS shows as the text it is, never runs: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe, as OWASP advises against CSV injection. A resident imported as
    "=cmd|' /C calc'!A0" came back as a live formula in the payout batch's CSV. Plain numbers ("-1.50") stay."""
    if len(text) > 1 and text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def is_xlsx(data: bytes) -> bool:
    """Whether the bytes look like an .xlsx (zip) or an old .xls / protected workbook rather than text."""
    return data.startswith((XLSX_MAGIC, OLE_MAGIC))


def read_xlsx_rows(data: bytes) -> list[list[str]]:
    """Every row of the first worksheet as text cells, trailing empty cells dropped.

    Formulas give the value Excel last computed. Raises SheetFormatError for an old .xls, a protected or
    damaged workbook, one without a worksheet, or one of more than MAX_ROWS rows.
    """
    if data.startswith(OLE_MAGIC):
        raise SheetFormatError("旧版 .xls 或加密的工作簿无法读取，请另存为 .xlsx 或 CSV UTF-8 "
                               "/ an old .xls or a password-protected workbook: save it as .xlsx or CSV UTF-8")
    try:
        _check_unpacked_size(data)
        return _rows(data)
    except SheetFormatError:
        raise
    except Exception as problem:  # noqa: BLE001 - an uploaded file is untrusted: every failure is a bad file
        # zipfile, XML parse errors (a SyntaxError), KeyError for a missing part, ValueError for a bad cell …
        # Chinese readers get the sentence, English readers the library's own words too (issue 15).
        raise SheetFormatError("不是可读取的 .xlsx 文件（已损坏，或不是 Excel 工作簿），请用 Excel 或 WPS 另存后"
                               f"再导入 / not a readable .xlsx workbook: {problem}") from None


def _check_unpacked_size(data: bytes) -> None:
    """Raise SheetFormatError when the workbook's parts unpack to more than MAX_UNPACKED_BYTES (a zip bomb)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetFormatError(f"工作簿解压后有 {unpacked / 2**20:,.0f} MB，超过 {MAX_UNPACKED_BYTES // 2**20} MB，"
                               f"请删去多余内容或拆分后导入 / the workbook unpacks to {unpacked / 2**20:,.0f} MB, more "
                               f"than {MAX_UNPACKED_BYTES // 2**20} MB: remove what is not needed or split it")


def _rows(data: bytes) -> list[list[str]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise SheetFormatError("工作簿中没有工作表 / the workbook has no worksheet")
        rows: list[list[str]] = []
        for values in book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if len(rows) > MAX_ROWS:
                raise SheetFormatError(f"工作表超过 {MAX_ROWS} 行，请拆分后分批导入 "
                                       f"/ more than {MAX_ROWS} rows: split the file")
            cells = [cell_text(value) for value in values]
            while cells and not cells[-1].strip():
                cells.pop()
            rows.append(cells)
        return rows
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A cell's value as the text the cell shows in a Chinese-locale spreadsheet saved as CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M" if value.time() != time()
                              else "%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        return _number_text(value)
    return str(value)


def _number_text(value: float) -> str:
    """Whole numbers without '.0'; a number beyond Excel's precision as Excel shows it (1.10105E+17)."""
    if abs(value) >= 10**EXCEL_DIGITS:
        return f"{value:.5E}".replace("E+0", "E+")
    exact = Decimal(repr(value))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return format(exact.normalize(), "f")


@dataclass(frozen=True)
class Sheet:
    """One worksheet to write: a title (≤ 31 characters), a header row and rows of cells.

    Text stays text; int and Decimal cells are numbers (Decimal money shown with two decimals unless the
    column is named in `exact_columns`, e.g. a piece rate of 0.035 yuan kept as posted); dates are dates.
    `text_columns` are formatted as text as a whole, so what a person types into them later (an ID number in
    a template) is kept as typed instead of becoming a number.
    """

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    exact_columns: frozenset[int] = frozenset()
    text_columns: frozenset[int] = frozenset()


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one .xlsx workbook: bold frozen header, columns wide enough for Chinese text."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([_writable(value) for value in row])
            # A row may be shorter than the sheet is wide (a signature line under a table): its cells only.
            for index, (cell, value) in enumerate(zip(ws[ws.max_row], row, strict=False)):
                _format(cell, value, exact=index in sheet.exact_columns)
        ws.freeze_panes = "A2"
        for index, name in enumerate(sheet.header, start=1):
            longest = max([_width(name), *(_width(r[index - 1]) for r in sheet.rows if len(r) >= index)])
            ws.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
            if index - 1 in sheet.text_columns:
                ws.column_dimensions[get_column_letter(index)].number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _writable(value: Cell) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _format(cell: Any, value: Cell, *, exact: bool) -> None:
    if isinstance(value, str):
        # openpyxl would store '=…' as a formula: a name or label is data, never something a sheet runs.
        cell.data_type = "s"
        cell.number_format = "@"
    elif isinstance(value, Decimal):
        cell.number_format = "0.00##" if exact else "0.00"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy/m/d h:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy/m/d"


def _width(value: Cell) -> int:
    """Display width: a CJK character is two columns wide."""
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)
