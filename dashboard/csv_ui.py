"""Spreadsheet import (CSV or .xlsx): templates to download, a preview of every row, every bad cell listed, and
nothing imported unless the whole file is clean — the same use case and row-level report as the API's upload.
The preview shows each row under the template's headers, its values as people write them (dashboard.import_preview)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.import_preview import preview_row
from domain.orders.csv_import import ImportReport, RowError
from domain.orders.csv_reading import MAX_FILE_BYTES
from domain.sheets import XLSX_MEDIA_TYPE, Sheet, write_xlsx
from usecases.imports import ImportRejected
from usecases.queries.exports import TEMPLATES, import_template, sheet_to_csv
from usecases.reasons import localize

Parser = Callable[[bytes], ImportReport[Any]]


def importer(kind: str, parse: Parser, use_case: Callable[..., Any], *, example: str | None = None,
             template: Callable[[], None] | None = None) -> None:
    """Upload (or paste) a file of `kind`; the import button runs `use_case(file bytes)` in one transaction.

    `use_case` is the API's (usecases.imports): a row the database refuses is listed by row like a bad cell.
    `template` draws the page's own template instead of the generic one (the enterprise's, filled with its data:
    one template on the page, issue 15); `example` is shown as CSV text when given.
    """
    if template is None:
        templates(kind)
    else:
        template()
    upload = st.file_uploader(ui.t("csv.upload"), type=["csv", "txt", "xlsx"], key=uploader_key(kind))
    pasted = st.text_area(ui.t("csv.paste"), key=f"csv_text_{kind}", height=120)
    if example is not None:
        with st.expander(ui.t("csv.example")):
            st.code(example, language="csv")
    raw = upload.getvalue() if upload is not None else pasted.encode("utf-8")
    if not raw.strip():
        return
    if len(raw) > MAX_FILE_BYTES:  # as the API (413): Streamlit takes 200 MB, and the page reads it at every rerun
        st.error(ui.t("csv.too_big", mb=MAX_FILE_BYTES // 2**20))
        return
    report = parse(raw)
    st.session_state[f"csv_raw_{kind}"] = raw if report.ok else b""
    st.subheader(ui.t("csv.preview", n=len(report.rows)))
    lang = "en" if ui.lang() == "en" else "zh"
    st.dataframe(pd.DataFrame([preview_row(kind, row, lang) for row in report.rows]), hide_index=True)
    if report.errors:
        st.error(ui.t("csv.has_errors", n=len(report.errors)))
        problems(report.errors, kind)
    refused_file, refused = st.session_state.get(f"csv_refused_{kind}", (b"", []))
    if refused and report.ok and refused_file == raw:  # what the database refused of this very file
        problems(refused, kind)
    st.button(ui.t("csv.import", n=len(report.rows)), key=f"csv_import_{kind}", type="primary",
              disabled=not (report.ok and report.rows), on_click=_run, args=(kind, use_case, len(report.rows)))


def uploader_key(kind: str) -> str:
    """The file uploader's key: csv_file_<kind>, then csv_file_<kind>-2, -3… after each import. A file once
    imported is gone from the page with its preview and its button (new-user trial: both stayed, inviting a second
    import of the same rows); Streamlit empties an uploader only when it is drawn under a new key."""
    imports = int(st.session_state.get(f"csv_imports_{kind}", 0))
    return f"csv_file_{kind}" if imports == 0 else f"csv_file_{kind}-{imports + 1}"


def problems(errors: list[RowError], kind: str) -> None:
    """Every problem as a table: row (1 = first line under the header; 0 = the header), the column under the
    header the template writes in the reader's language (计件单价(元), not piece_rate_yuan), and the reason in the
    reader's language (usecases.reasons.localize: the import's English reasons have their Chinese there)."""
    lang: Literal["zh", "en"] = "en" if ui.lang() == "en" else "zh"
    st.dataframe(pd.DataFrame([{ui.t("csv.row"): e.row, ui.t("csv.field"): column_header(kind, e.field, lang),
                                ui.t("csv.reason"): localize(e.reason, lang)} for e in errors]), hide_index=True)


def column_header(kind: str, field: str, lang: str) -> str:
    """The column `field` (an English column name of `kind`'s import) as the template of `lang` heads it;
    a name that is no column (a blank or unknown header cell) as given."""
    for column in TEMPLATES[kind][0]:
        if column.name == field:
            return column.name if lang == "en" else column.zh[0]
    return field


def templates(kind: str) -> None:
    """The template of `kind` as .xlsx and CSV, with headers in the reader's language (both are read back)."""
    sheet = import_template(kind, "en" if ui.lang() == "en" else "zh")
    left, right = st.columns(2)
    left.download_button(ui.t("csv.template_xlsx"), data=_workbook(sheet), file_name=f"{kind}-template.xlsx",
                         mime=XLSX_MEDIA_TYPE, key=f"csv_template_xlsx_{kind}")
    right.download_button(ui.t("csv.template_csv"), data=csv_bytes(sheet),
                          file_name=f"{kind}-template.csv", mime="text/csv", key=f"csv_template_csv_{kind}")


def csv_bytes(sheet: Sheet) -> bytes:
    """A template sheet as the CSV file a template button gives: UTF-8 with a byte-order mark, so Excel and WPS
    open the Chinese headers correctly."""
    return ("\ufeff" + sheet_to_csv(sheet)).encode()


def _workbook(sheet: Sheet) -> Callable[[], bytes]:
    return lambda: write_xlsx([sheet])


def _run(kind: str, use_case: Callable[..., Any], rows: int) -> None:
    """Import the file kept from the preview; on refusal keep every problem to list under the preview."""
    raw = st.session_state.get(f"csv_raw_{kind}") or b""
    st.session_state.pop(f"csv_refused_{kind}", None)

    def remembering(session: Any, data: bytes, *, actor: Any, ctx: Any) -> Any:
        try:
            return use_case(session, data, actor=actor, ctx=ctx)
        except ImportRejected as refused:
            st.session_state[f"csv_refused_{kind}"] = (data, refused.problems)
            raise

    if ui.perform(remembering, raw, done=ui.t("csv.imported", n=rows)):  # only the result stays on the page
        st.session_state[f"csv_text_{kind}"] = ""
        st.session_state[f"csv_raw_{kind}"] = b""
        st.session_state[f"csv_imports_{kind}"] = int(st.session_state.get(f"csv_imports_{kind}", 0)) + 1
    elif f"csv_refused_{kind}" in st.session_state:  # one sentence; each problem in its row of the table below
        _, refused = st.session_state[f"csv_refused_{kind}"]
        ui.say(None, "error", ui.t("csv.refused", n=len(refused)))
