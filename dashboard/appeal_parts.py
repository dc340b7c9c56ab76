"""A resident's appeals on her phone (申诉, issue 15): dispute the rejected pieces of an inspection she can see, and
follow what the coordinator answered.

The inspection is picked by its lot's short code and product ('网兜-1129-03 · 编织网兜 · 退回 5 件'), never an id;
the reason is required. Filing runs usecases.appeals.file_appeal, the use case behind
POST /inspections/{inspection_id}/appeals, so the rules (what may be appealed, until when) live there only.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st
from pydantic import ValidationError
from sqlmodel import Session

from dashboard import data, ui
from dashboard.format import md, number, when
from schemas import commands as c
from schemas.envelope import Event
from store.tables import Appeal
from usecases import appeals
from usecases.actors import Actor
from usecases.appeals import AppealChoice, FiledAppeal
from usecases.context import Context
from usecases.errors import Rejected
from usecases.reasons import validation_reason

WHERE = "appeal"  # the flash slot shown beside the form (ui.show_flash)
PICK, REASON = "appeal-pick", "appeal-reason"
SHOWN = 5  # the newest appeals listed
COLOURS = {"open": "orange", "upheld": "green", "rejected": "red"}
WORDS = {
    "zh": {"title": "申诉", "intro": "对验收退回的件有异议？选择批次，写明理由，社区工作者会答复你。",
           "none": "没有可以申诉的验收：只有被退回的件、在验收后 {days} 天内可以申诉。",
           "pick": "申诉哪一次验收", "choice": "{lot} · {product} · 退回 {n} 件",
           "window": "{at} 验收，可申诉到 {until}",
           "reason": "申诉理由（必填）", "reason_help": "例如：这几件是按样品做的，没有松结。",
           "send": "提交申诉", "toast": "申诉已提交", "empty": "请填写「申诉理由」：不能为空。申诉没有提交。",
           "filed": "申诉已提交：{lot} · {product}。社区工作者处理后会在这里答复。",
           "mine": "我的申诉", "mine_none": "你还没有提交过申诉。", "yours": "你的理由：{reason}",
           "answer": "社区答复：{reason}", "waiting": "等待社区工作者处理", "at": "{at} 提交",
           "open": "处理中", "upheld": "申诉成立，已改判", "rejected": "申诉未成立",
           "field": "申诉理由"},
    "en": {"title": "Appeals",
           "intro": "Disagree with rejected pieces? Pick the lot, say why; your coordinator answers.",
           "none": "Nothing to appeal: only rejected pieces, within {days} days of the inspection.",
           "pick": "Inspection to appeal", "choice": "{lot} · {product} · {n} rejected",
           "window": "Inspected {at}; you may appeal until {until}",
           "reason": "Reason (required)", "reason_help": "E.g. these pieces follow the sample; none is loose.",
           "send": "File the appeal",
           "toast": "Appeal filed", "empty": "Please fill in “Reason”: it cannot be empty. Nothing was filed.",
           "filed": "Appeal filed: {lot} · {product}. Your coordinator will answer here.",
           "mine": "My appeals", "mine_none": "You have filed no appeal.", "yours": "Your reason: {reason}",
           "answer": "Coordinator's answer: {reason}", "waiting": "Waiting for your coordinator",
           "at": "filed {at}", "open": "Open", "upheld": "Upheld, corrected", "rejected": "Not upheld",
           "field": "Reason"},
}


def _w(key: str, **values: object) -> str:
    return WORDS["en" if ui.lang() == "en" else "zh"][key].format(**values)


def appeals_section(actor: Actor, resident_id: str) -> None:
    """The form to file an appeal (when an inspection may be appealed), its outcome, then her appeals."""
    lang = ui.lang()
    st.subheader(_w("title"))
    days = data.settings().appeal_days
    choices = data.read(appeals.appeal_choices, actor, resident_id, now=data.now(), appeal_days=days)
    by_id = {ch.inspection_id: ch for ch in choices}
    if not choices:
        st.caption(_w("none", days=days))
    else:
        with st.container(border=True):
            st.caption(_w("intro"))
            labels = _labels(choices, lang)
            picked = st.selectbox(_w("pick"), list(by_id), key=PICK, format_func=labels.__getitem__)
            if picked in by_id:
                st.caption(_w("window", at=when(by_id[picked].inspected_at, lang),
                              until=when(by_id[picked].closes_at, lang)))
            st.text_area(_w("reason"), key=REASON, max_chars=500, placeholder=_w("reason_help"), height=100)
            st.button(_w("send"), key="appeal-send", type="primary", width="stretch", on_click=_file,
                      args=(by_id,))
    ui.show_flash(WHERE)
    _mine(data.read(appeals.filed_appeals, actor, resident_id), lang)


def _labels(choices: list[AppealChoice], lang: str) -> dict[str, str]:
    """inspection id → '网兜-1129-03 · 编织网兜 · 退回 5 件', short enough for a phone's picker; a lot inspected twice
    within the window gets the time of each inspection too, so the two can be told apart."""
    short = {ch.inspection_id: _w("choice", lot=ch.lot_code, product=ch.product_name, n=number(ch.rejected, lang))
             for ch in choices}
    seen = Counter(short.values())
    return {ch.inspection_id: short[ch.inspection_id] if seen[short[ch.inspection_id]] == 1 else
            f"{short[ch.inspection_id]} · {when(ch.inspected_at, lang)}" for ch in choices}


def _file(by_id: dict[str, AppealChoice]) -> None:
    """File through the API's use case; an empty reason is refused here, before anything is filed."""
    s = st.session_state
    chosen, reason = by_id.get(str(s.get(PICK) or "")), str(s.get(REASON) or "").strip()
    if chosen is None:
        return  # the list changed under her (filed elsewhere, window closed): the page shows the new list
    if not reason:
        ui.say(WHERE, "error", _w("empty"))
        return
    try:  # the command's own limits (length) name the field, in her language
        cmd = c.FileAppeal(reason=reason)
    except ValidationError as problem:
        why = validation_reason(problem.errors()[0], "en" if ui.lang() == "en" else "zh")
        ui.say(WHERE, "error", ui.t("err.rejected", field=_w("field"), reason=why))
        return
    done = _w("filed", lot=chosen.lot_code, product=chosen.product_name)
    if ui.perform(_file_appeal, chosen.inspection_id, cmd, done=done, where=WHERE):
        s[REASON] = ""
        # Short, so the toast shows it whole (a long one gets Streamlit's English 'view more'); the sentence with the
        # lot stands beside the button.
        st.toast(_w("toast"), icon=":material/check_circle:")


def _file_appeal(session: Session, inspection_id: str, cmd: c.FileAppeal, *, actor: Actor,
                 ctx: Context) -> tuple[Appeal, list[Event]]:
    """usecases.appeals.file_appeal as is; a refusal names the picker she used, not 'inspection_id'."""
    try:
        return appeals.file_appeal(session, inspection_id, cmd, actor=actor, ctx=ctx)
    except Rejected as problem:
        if problem.field != "inspection_id":
            raise
        raise type(problem)(_w("pick"), problem.reason) from None


def _mine(filed: list[FiledAppeal], lang: str) -> None:
    """Her appeals, newest first: the lot, the status, her reason and the coordinator's answer — a card each, so
    nothing is wider than the phone."""
    st.markdown(f"**{_w('mine')}**")
    if not filed:
        st.caption(_w("mine_none"))
    for f in filed[:SHOWN]:
        a = f.appeal
        with st.container(border=True):
            # The status as a badge on its own, so a narrow phone never breaks '处理中' across two lines.
            st.markdown(f":{COLOURS.get(a.status, 'gray')}-badge[{_w(str(a.status))}] "
                        f"**{md(f.lot_code)} · {md(f.product_name)}**")
            st.caption(_w("at", at=when(a.filed_at, lang)))
            st.write(_w("yours", reason=md(a.reason)))
            if a.decided_at is not None:
                st.write(_w("answer", reason=md(a.decision_reason or "—")))
            else:
                st.caption(_w("waiting"))
