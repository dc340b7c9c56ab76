"""Spreadsheet import: preview every row, list every bad cell, and import nothing unless the whole file is clean."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import ui
from domain.orders.csv_import import ImportReport
from domain.orders.masking import mask_id_number, mask_phone

Parser = Callable[[bytes], ImportReport[Any]]


def importer(kind: str, parse: Parser, use_case: Callable[..., Any], *, example: str) -> None:
    """Upload (or paste) a CSV of `kind`; the import button runs `use_case(rows)` in one transaction."""
    upload = st.file_uploader(ui.t("csv.upload"), type=["csv", "txt"], key=f"csv_file_{kind}")
    pasted = st.text_area(ui.t("csv.paste"), key=f"csv_text_{kind}", height=120)
    with st.expander(ui.t("csv.example")):
        st.code(example, language="csv")
    raw = upload.getvalue() if upload is not None else pasted.encode("utf-8")
    if not raw.strip():
        return
    report = parse(raw)
    st.session_state[f"csv_rows_{kind}"] = report.rows if report.ok else []
    st.subheader(ui.t("csv.preview", n=len(report.rows)))
    st.dataframe(pd.DataFrame([_preview(row) for row in report.rows]), hide_index=True)
    if report.errors:
        st.error(ui.t("csv.has_errors", n=len(report.errors)))
        st.dataframe(pd.DataFrame([{ui.t("csv.row"): e.row, ui.t("csv.field"): e.field, ui.t("csv.reason"): e.reason}
                                   for e in report.errors]), hide_index=True)
    st.button(ui.t("csv.import", n=len(report.rows)), key=f"csv_import_{kind}", type="primary",
              disabled=not (report.ok and report.rows), on_click=_run, args=(kind, use_case))


def _preview(row: Any) -> dict[str, object]:
    """A row as a table line; phone and ID numbers masked even in the preview."""
    out: dict[str, object] = {}
    for name, value in dataclasses.asdict(row).items():
        if name == "phone" and value:
            value = mask_phone(value)
        elif name == "id_number" and value:
            value = mask_id_number(value)
        elif isinstance(value, dict | list | tuple):
            value = str(value)
        out[name] = value
    return out


def _run(kind: str, use_case: Callable[..., Any]) -> None:
    rows = st.session_state.get(f"csv_rows_{kind}") or []
    if ui.perform(use_case, rows, done=ui.t("csv.imported", n=len(rows))):
        st.session_state[f"csv_text_{kind}"] = ""
