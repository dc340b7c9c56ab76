"""Files the API hands over to be opened in Excel or WPS: an .xlsx workbook or a CSV with a BOM."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response

from domain.sheets import XLSX_MEDIA_TYPE


def disposition(filename: str, shown: str | None = None, *, inline: bool = False) -> str:
    """The Content-Disposition of a download: `filename` (ASCII, ids: what old clients and scripts save it as)
    and, when given, `shown` — the name people read, '工资条-2026年11月下半月.pdf' — as RFC 6266's
    filename*=UTF-8'' (percent-encoded), which browsers prefer to the ASCII one."""
    value = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return f"{value}; filename*=UTF-8''{quote(shown, safe='')}" if shown else value


def xlsx_download(data: bytes, filename: str, shown: str | None = None) -> Response:
    """An .xlsx workbook (bytes) as an attachment named `filename` (ASCII) and `shown` (see disposition)."""
    return Response(data, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition(filename, shown)})


def csv_download(text: str, filename: str, shown: str | None = None) -> Response:
    """CSV text as a UTF-8 attachment named `filename` (and `shown`, see disposition); the BOM makes Excel and WPS
    read Chinese headers as UTF-8."""
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition(filename, shown)})
