"""Coordinators register residents and sites from a spreadsheet: preview, row-level errors, all or nothing."""

from __future__ import annotations

import streamlit as st

from dashboard import actions, csv_ui, ui
from domain.orders import csv_import

actor = ui.require_role("coordinator")
st.title(ui.t("page.import"))
ui.show_flash()
with ui.guarded():
    residents, sites = st.tabs([ui.t("csv.residents"), ui.t("csv.sites")])
    with residents:
        csv_ui.importer("residents", csv_import.import_residents, actions.import_residents,
                        example=csv_import.EXAMPLE_RESIDENTS_CSV)
    with sites:
        csv_ui.importer("sites", csv_import.import_sites, actions.import_sites, example=csv_import.EXAMPLE_SITES_CSV)
