"""Coordinators register residents and sites from a spreadsheet (CSV or .xlsx): templates, preview, row-level
errors, all or nothing; and download a closed period's payout batch (发放清单) as .xlsx."""

from __future__ import annotations

import streamlit as st

from dashboard import csv_ui, ui
from dashboard.payout_list import payout_batches
from domain.orders import csv_import
from usecases import imports

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
