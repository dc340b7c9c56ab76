"""The resident's ratings of service on the phone (服务评价): each lot paid and each act done on their behalf (代办)
may be rated once, 1–5 stars and a short comment. Large buttons, one column (the resident page's layout). The same
cards serve a coordinator recording a rating a resident without a phone gives them (the 代办 section)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui
from dashboard.format import md, when
from schemas.service import RateService
from usecases import ratings
from usecases.actors import Actor
from usecases.queries.ratings import RateableAct, rateable_acts

SHOWN = 5  # the newest acts; the rest wait until these are rated
WORDS = {
    "zh": {"title": "评价服务", "none": "暂时没有要评价的服务。", "stars": "满意程度", "comment": "想说的话（可不填）",
           "send": "提交评价", "thanks": "谢谢您的评价！", "helper": "代办人：{who}",
           "choose": "请先点选满意程度（几颗星）"},
    "en": {"title": "Rate the service", "none": "Nothing to rate for now.", "stars": "How satisfied",
           "comment": "Comment (optional)", "send": "Send rating", "thanks": "Thank you for your rating!",
           "helper": "Done for you by {who}", "choose": "Choose how many stars first"},
}
KIND_EN = {"lot": "Lot paid", "offer": "Offer answered for you", "submission": "Handed in for you",
           "redemption": "Redeemed for you at the counter"}


def _w(key: str, **values: str) -> str:
    return WORDS["en" if ui.lang() == "en" else "zh"][key].format(**values)


def rate_services(actor: Actor, resident_id: str | None = None) -> None:
    """The acts the resident may still rate, each with stars, a comment and a send button.

    On the resident's phone `resident_id` is None; a coordinator recording what a resident says (代录, in the 代办
    section) names the resident.
    """
    st.subheader(_w("title"))
    ui.show_flash("rating")
    acts = data.read(rateable_acts, actor, resident_id)
    if not acts:
        st.caption(_w("none"))
    for act in acts[:SHOWN]:
        _card(act, resident_id)


def _card(act: RateableAct, resident_id: str | None) -> None:
    key = f"{act.act_kind}-{act.act_id}"
    with st.container(border=True):
        what = act.what_zh if ui.lang() != "en" else KIND_EN.get(act.act_kind, act.act_kind)
        if act.lot_label:  # which lot: five cards reading '批次工钱已入账' and a date told her nothing
            st.markdown(f"**{md(act.lot_label)}**  \n{what} · {when(act.at, ui.lang())}")
        else:
            st.markdown(f"**{what}** · {when(act.at, ui.lang())}")
        if act.helper:
            st.caption(_w("helper", who=md(act.helper_name or act.helper)))  # by name, not login (issue 15)
        # No stars chosen until she chooses: five pre-picked stars were what a tap on 提交评价 sent, and the
        # coordinators' satisfaction score and assessment grade (考核) count them.
        chosen = st.radio(_w("stars"), [5, 4, 3, 2, 1], key=f"stars-{key}", horizontal=True, index=None,
                          format_func=lambda s: "★" * s)
        st.text_input(_w("comment"), key=f"comment-{key}", max_chars=200)
        if chosen is None:
            st.caption(_w("choose"))
        st.button(_w("send"), key=f"rate-{key}", type="primary", width="stretch", on_click=_rate,
                  args=(act.act_kind, act.act_id, key, resident_id), disabled=chosen is None)


def _rate(kind: str, act_id: str, key: str, resident_id: str | None) -> None:
    if st.session_state.get(f"stars-{key}") is None:  # the button is disabled then; a stale click sends nothing
        return
    stars = int(st.session_state[f"stars-{key}"])
    comment = str(st.session_state.get(f"comment-{key}", ""))[:200]
    ui.perform(ratings.rate_service, RateService(act_kind=kind, act_id=act_id, stars=stars,  # type: ignore[arg-type]
                                                 comment=comment, resident_id=resident_id),
               done=_w("thanks"), where="rating")
