"""The payout list (发放清单) of a closed period: the workbook a coordinator hands the bank or the office to make the
transfers (name, masked ID, amount, reference). Offered where she records payouts (工资发放) and on 批量导入."""

from __future__ import annotations

import streamlit as st

from dashboard import data, names, ui
from domain.sheets import XLSX_MEDIA_TYPE
from usecases.actors import Actor
from usecases.queries import exports
from usecases.queries.dashboard import visible_communities


def payout_batches(actor: Actor, *, key: str = "csv_batch") -> None:
    """Pick a closed period of one of your communities ('第1社区 · 2026年11月上半月': the community by name, the period
    as people name it) and download its list; widget keys start with `key`."""
    closed = data.read(exports.closed_periods, actor)
    if not closed:
        st.info(ui.t("csv.no_closed"))
        return
    communities = {c.id: c.name for c in data.read(visible_communities, actor)}
    community_id, period_id = st.selectbox(ui.t("csv.closed_period"), closed, key=f"{key}_period",
                                           format_func=lambda p: f"{communities.get(p[0], p[0])} · "
                                                                 f"{names.period_label(p[1])}")
    where = communities.get(community_id, community_id)  # the file: '发放清单-第1社区-2026年11月上半月.xlsx'
    st.download_button(ui.t("csv.batch_xlsx"), key=f"{key}_xlsx", mime=XLSX_MEDIA_TYPE,
                       file_name=f"发放清单-{where}-{names.period_label(period_id)}.xlsx",
                       data=lambda: data.read(exports.payout_batch_xlsx, actor, community_id, period_id))
