"""Files the API hands over to be opened in Excel or WPS: an .xlsx workbook or a CSV with a BOM."""

from __future__ import annotations

from fastapi import Response

from domain.sheets import XLSX_MEDIA_TYPE


def xlsx_download(data: bytes, filename: str) -> Response:
    """An .xlsx workbook (bytes) as an attachment named `filename`."""
    return Response(data, media_type=XLSX_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def csv_download(text: str, filename: str) -> Response:
    """CSV text as a UTF-8 attachment named `filename`; the BOM makes Excel and WPS read Chinese headers as UTF-8."""
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
