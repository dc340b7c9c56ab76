"""The coordinator's board (社区工作者): what waits, dispatch, withdraw, reassign, inspect, act for residents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import coordinator_forms as forms
from dashboard import data, resident_parts, ui
from dashboard.format import money, number, when
from usecases.actors import Actor
from usecases.queries.dashboard import coordinator_board
from usecases.queries.dashboard_resident import resident_home
from usecases.queries.dashboard_views import CoordinatorBoard
from usecases.queries.pay_board import hourly_this_period, overdue_periods
from usecases.queries.pay_views import HourlyView, OverdueView
from usecases.queries.views import LotView


@st.fragment(run_every=ui.REFRESH_S)
def live(actor: Actor) -> None:
    with ui.guarded(), st.spinner(ui.t("loading")):
        now = data.now()
        late_pay(data.read(overdue_periods, actor, now=now))
        show(data.read(coordinator_board, actor, now=now))
        hourly(data.read(hourly_this_period, actor, now=now))


def late_pay(overdue: list[OverdueView]) -> None:
    """The alarm first: residents' pay past its legal due date (part-time pay within 15 days)."""
    lang = ui.lang()
    for o in overdue:
        st.error(ui.t("co.pay_overdue", community=o.community_id, period=o.period_id, days=o.days_late,
                      amount=money(o.unpaid_fen, lang)), icon="⏰")


def hourly(views: list[HourlyView]) -> None:
    """Who earns less per hour than the minimum wage this period, counting pick-up and delivery."""
    lang = ui.lang()
    st.subheader(ui.t("co.hourly"))
    if not views:
        st.info(ui.t("co.hourly_none"))
        return
    below = [v for v in views if v.shortfall_fen > 0]
    if below:
        st.warning(ui.t("co.below_minimum", n=number(len(below), lang),
                        minimum=money(below[0].min_hourly_wage_fen, lang)))
    columns = [ui.t("col.resident"), ui.t("col.earned"), ui.t("col.hours"), ui.t("col.per_hour"),
               ui.t("col.minimum"), ui.t("col.shortfall"), ui.t("col.topped_up")]
    st.dataframe(pd.DataFrame([[
        f"{v.resident_name} ({v.resident_id})", money(v.earned_fen, lang), number(round(v.minutes_total / 60, 1), lang),
        money(v.effective_hourly_fen, lang) if v.effective_hourly_fen is not None else "—",
        money(v.min_hourly_wage_fen, lang), money(v.shortfall_fen, lang) if v.shortfall_fen else "",
        money(v.topped_up_fen, lang) if v.topped_up_fen else "",
    ] for v in views], columns=columns), hide_index=True)


def show(b: CoordinatorBoard) -> None:
    lang = ui.lang()
    cols = st.columns(5)
    for col, key, value in zip(cols, ("open", "pending", "overdue", "escalated", "queue"), (
            b.open_lots, b.pending_offers, b.overdue_lots, b.escalations, b.inspection_queue), strict=True):
        col.metric(ui.t(f"co.{key}"), number(len(value), lang))
    st.subheader(ui.t("co.pending"))
    st.dataframe(pd.DataFrame([{
        ui.t("col.lot"): p.offer.lot_id, ui.t("col.resident"): f"{p.resident_name} ({p.offer.resident_id})",
        ui.t("col.pieces"): p.offer.pieces, ui.t("col.expires"): when(p.offer.expires_at, lang),
    } for p in b.pending_offers], columns=[ui.t("col.lot"), ui.t("col.resident"), ui.t("col.pieces"),
                                          ui.t("col.expires")]), hide_index=True)
    for key, lots in (("open", b.open_lots), ("overdue", b.overdue_lots), ("escalated", b.escalations)):
        st.subheader(ui.t(f"co.{key}"))
        st.dataframe(_lots(lots), hide_index=True)
    st.subheader(ui.t("co.queue"))
    st.dataframe(pd.DataFrame([{
        ui.t("col.submission"): s.id, ui.t("col.lot"): s.lot_id, ui.t("col.resident"): s.resident_id,
        ui.t("col.pieces"): s.pieces, ui.t("col.submitted"): when(s.submitted_at, lang),
    } for s in b.inspection_queue], columns=[ui.t("col.submission"), ui.t("col.lot"), ui.t("col.resident"),
                                             ui.t("col.pieces"), ui.t("col.submitted")]), hide_index=True)


def _lots(lots: list[LotView]) -> pd.DataFrame:
    lang = ui.lang()
    columns = [ui.t("col.lot"), ui.t("col.status"), ui.t("col.pieces"), ui.t("col.due"), ui.t("col.escalation")]
    return pd.DataFrame([{
        columns[0]: lot.id, columns[1]: ui.t(f"status.{lot.status}"), columns[2]: lot.pieces,
        columns[3]: when(lot.due_at, lang), columns[4]: lot.escalation or "",
    } for lot in lots], columns=columns)


def on_behalf(actor: Actor, board: CoordinatorBoard) -> None:
    """代办: a coordinator answers and hands in for a resident without a phone; every act is recorded as such."""
    phoneless = {r.id: f"{r.name} ({r.id})" for r in board.residents if r.phone is None}
    if not phoneless:
        st.info(ui.t("proxy.none"))
        return
    resident_id = st.selectbox(ui.t("proxy.pick"), list(phoneless), format_func=phoneless.get, key="proxy_resident")
    st.warning(ui.t("proxy.banner", name=phoneless[resident_id]), icon="🖐️")
    home = data.read(resident_home, actor, resident_id, now=data.now())
    resident_parts.offer_cards(home)
    resident_parts.lot_list(home)


actor = ui.require_role("coordinator")
st.title(ui.t("page.coordinator"))
ui.show_flash()
live(actor)
with ui.guarded():
    board = data.read(coordinator_board, actor, now=data.now())
    dispatch, withdraw, reassign, inspect, proxy = st.tabs(
        [ui.t("co.tab_dispatch"), ui.t("co.tab_withdraw"), ui.t("co.tab_reassign"), ui.t("co.tab_inspect"),
         ui.t("co.tab_proxy")])
    with dispatch:
        forms.dispatch(board)
    with withdraw:
        forms.withdraw(board)
    with reassign:
        forms.reassign(board)
    with inspect:
        forms.inspect(board)
    with proxy:
        on_behalf(actor, board)
