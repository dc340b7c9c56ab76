"""Coordinators register residents and sites from a spreadsheet (CSV or .xlsx): templates, preview, row-level
errors, all or nothing; and download a closed period's payout batch (发放清单) as .xlsx."""

from __future__ import annotations

import streamlit as st

from dashboard import csv_ui, data, names, ui
from domain.orders import csv_import
from domain.sheets import XLSX_MEDIA_TYPE
from usecases import imports
from usecases.actors import Actor
from usecases.queries import exports
from usecases.queries.dashboard import visible_communities


def payout_batches(actor: Actor) -> None:
    """Pick a closed period of one of your communities ('第1社区 · 2026年11月上半月': the community by name, the period
    as people name it); the workbook lists name, masked ID, amount, reference."""
    closed = data.read(exports.closed_periods, actor)
    if not closed:
        st.info(ui.t("csv.no_closed"))
        return
    communities = {c.id: c.name for c in data.read(visible_communities, actor)}
    community_id, period_id = st.selectbox(ui.t("csv.closed_period"), closed, key="csv_batch_period",
                                           format_func=lambda p: f"{communities.get(p[0], p[0])} · "
                                                                 f"{names.period_label(p[1])}")
    where = communities.get(community_id, community_id)  # the file: '发放清单-第1社区-2026年11月上半月.xlsx'
    st.download_button(ui.t("csv.batch_xlsx"), key="csv_batch_xlsx", mime=XLSX_MEDIA_TYPE,
                       file_name=f"发放清单-{where}-{names.period_label(period_id)}.xlsx",
                       data=lambda: data.read(exports.payout_batch_xlsx, actor, community_id, period_id))


actor = ui.require_role("coordinator")
st.title(ui.t("page.import"))
ui.show_flash()
with ui.guarded():
    residents, sites, batches = st.tabs([ui.t("csv.residents"), ui.t("csv.sites"), ui.t("csv.batches")])
    with residents:
        csv_ui.importer("residents", csv_import.import_residents, imports.import_residents,
                        example=csv_import.EXAMPLE_RESIDENTS_CSV)
    with sites:
        csv_ui.importer("sites", csv_import.import_sites, imports.import_sites, example=csv_import.EXAMPLE_SITES_CSV)
    with batches:
        payout_batches(actor)
