"""The dashboard's first page: the public overview, refreshed in place."""

from __future__ import annotations

import streamlit as st

from dashboard.data import overview

st.set_page_config(page_title="社区微工厂", page_icon="🧵", layout="wide")
st.title("社区微工厂 · 派单与计件")


@st.fragment(run_every=3)
def live_numbers() -> None:
    o = overview()
    a, b, c, d = st.columns(4)
    a.metric("微工厂/站点", o.sites)
    b.metric("在岗居民", o.residents_in_work)
    c.metric("合格件数", f"{o.pieces_passed_total:,}")
    d.metric("计件收入", f"¥{o.earnings_total_fen / 100:,.2f}")
    e, f, g, h = st.columns(4)
    e.metric("登记居民", o.residents_active)
    f.metric("在办订单", o.orders_open)
    g.metric("在办批次", o.lots_open)
    h.metric("待确认派单", o.offers_pending)


live_numbers()
