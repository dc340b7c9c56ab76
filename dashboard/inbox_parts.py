"""The in-app messages (站内消息) on each person's own page: offers made and withdrawn, payouts, appeal decisions for
a resident; escalations, appeals filed and orders ending for a coordinator; orders ending and minimum-wage flags for
an enterprise. The notifier wrote them for the inbox, which only the API read (new-user trial of 2026-12-01: 'her
phone page has nowhere to read her messages')."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui
from dashboard.format import md, when
from usecases.actors import Actor
from usecases.queries.inbox import inbox

SHOWN = 10  # the newest; older ones stay in GET /api/v1/inbox
WORDS = {"zh": ("我的消息（{n} 条）", "我的消息（最近 {n} 条）", "还没有消息。"),
         "en": ("My messages ({n})", "My messages (latest {n})", "No messages yet.")}


def messages(actor: Actor) -> None:
    """The newest SHOWN messages, newest first, each with its time (Asia/Shanghai), folded under one heading."""
    latest = data.read(inbox, actor, limit=SHOWN)
    some, latest_n, empty = WORDS["en" if ui.lang() == "en" else "zh"]
    with st.expander((latest_n if len(latest) == SHOWN else some).format(n=len(latest))):
        if not latest:
            st.caption(empty)
        for m in latest:
            st.markdown(f"**{when(m.created_at, ui.lang())}** · {md(m.text)}")
