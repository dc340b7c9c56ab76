"""Reading spreadsheets: CSV in UTF-8 (with or without BOM) or GBK/GB18030 as Excel and WPS write it, or .xlsx.

An .xlsx is recognised by its content, not its name, and read into the same text cells (domain.sheets), so both
go through one set of parsers and one row-level report.
"""

from __future__ import annotations

import csv
import io
import itertools

from domain.sheets import MAX_ROWS, SheetFormatError, is_xlsx, read_xlsx_rows

MAX_FILE_BYTES = 5 * 1024 * 1024  # an upload larger than this is refused before it is read (API and dashboard)


class CsvFormatError(ValueError):
    """A file that cannot be read as CSV at all (encoding, or a malformed line)."""


def read_csv_rows(data: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by lower-cased header, from UTF-8 (with or without BOM) or GBK/GB18030."""
    header, records = read_table(data)
    rows = []
    for row_no, cells in records:
        if len(cells) > len(header):
            raise CsvFormatError(f"row {row_no} has {len(cells)} cells but the header has {len(header)}")
        rows.append(dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=True)))
    return rows


def read_table(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Lower-cased header and numbered non-blank records (row 1 = the line after the header), CSV or .xlsx."""
    try:
        lines = read_xlsx_rows(data) if is_xlsx(data) else _csv_lines(_decode(data))
    except csv.Error as problem:
        raise CsvFormatError(f"not a readable CSV file: {problem}") from None
    except SheetFormatError as problem:
        raise CsvFormatError(str(problem)) from None
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise CsvFormatError("the file is empty; the first line must be the column names")
    header = [cell.strip().lower() for cell in lines[0]]
    records = [
        (row_no, [cell.strip() for cell in cells])
        for row_no, cells in enumerate(lines[1:], start=1)
        if any(cell.strip() for cell in cells)  # blank lines keep their number but are skipped
    ]
    return header, records


def _csv_lines(text: str) -> list[list[str]]:
    """CSV, or the tab-separated text Excel and WPS put on the clipboard when cells are copied and pasted.

    Raises CsvFormatError past MAX_ROWS lines under the header, as an .xlsx is refused (domain.sheets): a CSV of
    as many rows was read whole and, its rows valid, imported in one transaction holding the write lock (issue 15).
    """
    first = text.lstrip("\ufeff").partition("\n")[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    lines = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), MAX_ROWS + 2))
    if len(lines) > MAX_ROWS + 1:
        raise CsvFormatError(f"文件超过 {MAX_ROWS} 行，请拆分后分批导入 / more than {MAX_ROWS} rows: split the file")
    return lines


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFormatError("UTF-16 files are not supported; save as 'CSV UTF-8' instead")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvFormatError("the file is neither UTF-8 nor GBK/GB18030 text")
