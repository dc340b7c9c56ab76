"""The coordinator and people: appeals against inspections (申诉), and sign-ins for imported residents."""

from __future__ import annotations

from html import escape

import streamlit as st

from dashboard import data, names, ui
from dashboard.coordinator_text import t
from dashboard.format import TZ, md, when
from domain.lifecycle.appeal import AppealStatus
from schemas import commands as c
from usecases import appeals as appeal_uc
from usecases.actors import Actor
from usecases.queries import reads
from usecases.queries.dashboard_views import CoordinatorBoard
from usecases.queries.pay_board import appeals
from usecases.queries.views import LotView
from usecases.sign_ins import CODE_DAYS, issue_sign_in_code, sign_in_states

SLIP = "signin_slip"


def appeals_section(actor: Actor, people: dict[str, str]) -> None:
    """Open appeals, newest first; uphold (the pieces pass, a correcting inspection) or reject, with a reason."""
    waiting = data.read(appeals, actor, status=AppealStatus.OPEN)
    if not waiting:
        st.info(t("app.none"))
        ui.show_flash("appeal")
        return
    lots = {lot.id: lot for lot_id in {a.lot_id for a in waiting}
            for lot in data.read(reads.lots, actor, lot_id=lot_id)}
    by_id = {a.id: a for a in waiting}
    chosen = st.selectbox(t("sec.appeals"), list(by_id), key="appeal_pick", format_func=lambda i: t(
        "app.item", lot=_code(lots.get(by_id[i].lot_id)), name=people.get(by_id[i].resident_id, ""),
        when=when(by_id[i].filed_at, ui.lang())))
    appeal = by_id.get(chosen) if chosen else None
    if appeal is not None:
        st.info(t("app.reason", reason=md(appeal.reason)) + (t("app.proxy") if appeal.on_behalf else ""))
        st.radio(t("app.decision"), ("uphold", "reject"), format_func=lambda d: t(f"app.{d}"), horizontal=True,
                 key="appeal_decision")
        st.text_input(t("app.why"), key="appeal_why")
        st.button(t("app.go"), type="primary", key="appeal_go", on_click=_decide, args=(appeal.id,))
    ui.show_flash("appeal")


def _code(lot: LotView | None) -> str:
    return names.lot_code(lot) if lot else ""


def _decide(appeal_id: str) -> None:
    s = st.session_state
    why = str(s.get("appeal_why") or "").strip()
    if len(why) < 2:
        ui.say("appeal", "error", ui.t("co.reason_needed"))
        return
    cmd = c.DecideAppeal(decision=s.get("appeal_decision") or "reject", reason=why[:500])
    if ui.perform(appeal_uc.decide_appeal, appeal_id, cmd, where="appeal", done=t("app.done")):
        s["appeal_why"] = ""


def sign_ins(board: CoordinatorBoard, people: dict[str, str], signed_in: set[str]) -> None:
    """Who can sign in; a printable one-time code for a resident with a phone; nothing for one without (代办)."""
    st.caption(t("sign.intro", days=CODE_DAYS))
    if not board.residents:
        st.info(t("sign.none"))
        return
    states = _states()
    status = {r.id: (t(f"sign.{states[r.id]}") if r.id in states else t("sign.waiting") if r.phone
                     else t("sign.no_phone")) for r in board.residents}
    st.dataframe({ui.t("col.resident"): [people[r.id] for r in board.residents],
                  ui.t("col.status"): [status[r.id] for r in board.residents]}, hide_index=True)
    with_phone = [r.id for r in board.residents if r.phone]
    # Those who still need a slip first: no sign-in yet, or a used/expired code and no PIN.
    with_phone.sort(key=lambda r: (states.get(r) in ("pin", "code"), people[r]))
    if with_phone:
        who = st.selectbox(t("sign.who"), with_phone, key="signin_who",
                           format_func=lambda r: f"{people[r]} · {status[r]}")
        if who and who in signed_in:
            # A new code voids the one she may have just been handed and her PIN: not one tap away, and not the
            # page's main button, right under a slip just printed (new-user trial).
            sure = st.checkbox(t("sign.again_sure", name=people[who]), key="signin_sure")
            st.button(t("sign.again"), key="signin_go", on_click=_issue, args=(who,), disabled=not sure)
        elif who:
            st.button(t("sign.go"), type="primary", key="signin_go", on_click=_issue, args=(who,))
    slip = st.session_state.get(SLIP)
    if slip:
        _show_slip(*slip)
    ui.show_flash("signin")


def _states() -> dict[str, str]:
    actor = ui.current_actor()
    return data.read(sign_in_states, actor, data.now()) if actor is not None else {}


def _issue(resident_id: str) -> None:
    def done(result: object) -> str:
        slip = result[0]  # type: ignore[index]
        until = slip.expires_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
        st.session_state[SLIP] = (slip.name, slip.phone or slip.username, slip.code, until)  # she types her phone
        st.session_state["signin_sure"] = False
        return t("sign.made", name=slip.name)
    st.session_state.pop(SLIP, None)
    ui.perform(issue_sign_in_code, resident_id, where="signin", done=done)


def _show_slip(name: str, phone: str, code: str, until: str) -> None:
    """The slip on screen and as a small HTML page to print (the code is shown this once); `phone` is what she types
    in the sign-in form's 手机号 (issue 16)."""
    text = t("sign.slip", name=name, phone=phone, code=code, until=until)
    note = t("sign.slip_note", days=CODE_DAYS)
    with st.container(border=True):
        st.markdown(f"**{t('sign.slip_title')}**")
        shown = t("sign.slip", name=md(name), phone=md(phone), code=md(code), until=md(until))
        st.markdown(shown.replace("　　", "  \n"))
        st.caption(note)
    page = (f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>{escape(t('sign.slip_title'))}</title>"
            f"<body style='font-family:sans-serif;font-size:18pt'><h2>{escape(t('sign.slip_title'))}</h2>"
            + "".join(f"<p>{escape(line)}</p>" for line in text.split("　　"))
            + f"<p style='font-size:12pt'>{escape(note)}</p><script>print()</script></body></html>")
    st.download_button(t("sign.print"), data=page.encode(), file_name="登录单.html", mime="text/html",
                       key="signin_print")
