"""A resident's phone page (居民): what to do now, then earnings, pay slips, appeals, ratings and points (积分) —
large type, one column."""

from __future__ import annotations

import streamlit as st

from dashboard import appeal_parts, data, inbox_parts, points_parts, rating_parts, resident_parts, ui
from dashboard.format import md
from usecases.actors import Actor
from usecases.queries.dashboard_resident import resident_home


@st.fragment(run_every=ui.REFRESH_S)
def live(actor: Actor) -> None:
    ui.show_flash()
    with ui.guarded():
        home = data.read(resident_home, actor, actor.resident_id or "", now=data.now())
        st.title(ui.t("res.hello", name=md(home.name)))
        resident_parts.todo(home)
        inbox_parts.messages(actor)  # offers, payouts, appeal decisions: the notifier's messages to her
        resident_parts.earnings(home)
        resident_parts.pay_periods(home, actor)
        appeal_parts.appeals_section(actor, home.resident_id)  # issue 15: dispute rejected pieces (申诉)
        rating_parts.rate_services(actor)  # issue 17: rate the service (服务评价)
        points_parts.resident_section(actor)  # issue 17: points, the shop and the monthly 公示 on her phone
        resident_parts.finished(home)


actor = ui.require_role("resident")
ui.phone_layout()
live(actor)
