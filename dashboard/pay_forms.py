"""The coordinator's pay by hand (issue 16): debts carried, a bonus or recovery with its reason, and the corrections
of frozen pay that wait for a second coordinator. One call, `section(actor, board)`, for the coordinator page.

Every action goes through its use case (usecases.adjustments, usecases.corrections) as the API's does; the page
decides nothing (who may approve is the domain's rule: never the coordinator who asked).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd
import streamlit as st

from dashboard import data, names, ui
from dashboard.format import md, money, rate, when
from schemas import commands as c
from usecases import adjustments, corrections
from usecases.actors import Actor
from usecases.queries.corrections import CorrectionRequestView, correction_requests
from usecases.queries.dashboard_views import CoordinatorBoard
from usecases.queries.debts import debt_lines

WORDS = {
    "zh": {"title": "工资调整与审批", "debts": "欠款（结转中）", "no_debts": "没有结转中的欠款",
           "resident": "居民", "owed": "欠款", "from": "结转自", "since": "始于", "recovered": "已扣回",
           "into": "将在此期扣回", "adjust": "发放奖励或扣回", "kind": "类型", "bonus": "奖励", "recovery": "扣回",
           "amount": "金额（元）", "reason": "原因（必填）", "post": "记入工资", "posted": "已记入工资，见工资条",
           "bad_amount": "金额：请输入大于 0 的金额，最多两位小数（如 5 或 12.50）",
           "already": "这笔调整已记入过工资，没有重复记入",
           "pending": "待审批的更正", "no_pending": "没有待审批的更正", "asked_by": "申请人", "why": "原因",
           "closed_period": "该期工资已结账", "automatic": "自动验收", "note": "审批意见", "approve": "批准",
           "reject": "驳回", "approved": "已批准，更正已记录", "rejected": "已驳回",
           "own": "你提交的更正须由另一位社区工作者审批", "lot_no": "{product}-第{n}批",
           "pick": "请选择居民", "no_resident": "居民：请先选择给谁记入",
           "counts": "合格 {passed} 件、不合格 {rejected} 件", "pay_change": "计件工资 {amount}（单价 {rate}）"},
    "en": {"title": "Pay adjustments and approvals", "debts": "Debts being carried", "no_debts": "No debts carried",
           "resident": "Resident", "owed": "Owed", "from": "Carried from", "since": "Since", "recovered": "Recovered",
           "into": "Recovered from", "adjust": "Bonus or recovery", "kind": "Kind", "bonus": "Bonus",
           "recovery": "Recovery", "amount": "Amount (yuan)", "reason": "Reason (required)", "post": "Post",
           "posted": "Posted; it shows on the pay slip",
           "already": "This adjustment was already posted; it was not posted again",
           "bad_amount": "amount: more than 0, at most two decimals (5 or 12.50)",
           "pending": "Corrections waiting for approval", "no_pending": "Nothing waits for approval",
           "asked_by": "Asked by", "why": "Reason", "closed_period": "pay already closed", "automatic": "auto-accepted",
           "note": "Note", "approve": "Approve", "reject": "Reject", "approved": "Approved; the correction is recorded",
           "rejected": "Rejected", "own": "Another coordinator must decide a correction you asked for",
           "lot_no": "{product} lot {n}", "pick": "Choose a resident",
           "no_resident": "Resident: choose whom it is for", "counts": "{passed} passed, {rejected} rejected",
           "pay_change": "piece pay {amount} (at {rate})"},
}


def w(key: str, **values: object) -> str:
    """This section's words in the page's language."""
    return WORDS["en" if ui.lang() == "en" else "zh"][key].format(**values)


def section(actor: Actor, board: CoordinatorBoard) -> None:
    """Debts, the adjustment form and the approvals, in that order."""
    st.subheader(w("title"))
    people = names.people_names(board.residents)  # '高珍英', or '高珍英（尾号1234）' when two share the name
    debts(actor, people)
    adjustment_form(people)
    approvals(actor, people)


def debts(actor: Actor, people: dict[str, str]) -> None:
    """Who owes how much, carried from which period, recovered so far (domain.pay.carry); `people` names each
    resident (names.people_names), never by her id."""
    lang = ui.lang()
    lines = data.read(debt_lines, actor)
    st.markdown(f"**{w('debts')}**")
    if not lines:
        st.caption(w("no_debts"))
        return
    st.table(pd.DataFrame([{  # a table, not a grid: a few rows a coordinator reads, prints and checks
        w("resident"): people.get(d.resident_id, d.resident_name), w("owed"): money(d.debt_fen, lang),
        w("from"): names.period_label(d.from_period_id) if d.from_period_id else "—",  # periods as people name them
        w("since"): names.period_label(d.since_period_id), w("recovered"): money(d.recovered_fen, lang),
        w("into"): names.period_label(d.period_id)} for d in lines]).set_index(w("resident")))


def adjustment_form(people: dict[str, str]) -> None:
    """A one-off bonus or recovery for a resident picked by name (`people`, names.people_names), with the reason the
    slip will show.

    Each entry carries a reference (usecases.adjustments' idempotency key, ui.entry_reference) minted when its form
    is drawn and kept until it posts. The form, its amount and reason and its button are keyed by the reference
    and the button passes it as an argument, so a double click or a resubmission of the same entry posts once: a
    click on the drawn form either reaches the use case with the same reference (which answers the first
    adjustment) or, once the next entry's form replaced it, matches no widget and runs nothing.
    """
    reference = ui.entry_reference("adjust")
    with st.form(f"adjust_form_{reference}"):
        st.markdown(f"**{w('adjust')}**")
        # Nobody until chosen: a bonus or a recovery must never go to whoever happens to be first in the list.
        st.selectbox(w("resident"), list(people), format_func=people.get, key="adjust_resident", index=None,
                     placeholder=w("pick"))
        st.radio(w("kind"), ["bonus", "recovery"], format_func=w, horizontal=True, key="adjust_kind")
        st.text_input(w("amount"), key=f"adjust_amount_{reference}")
        st.text_input(w("reason"), key=f"adjust_reason_{reference}")
        st.form_submit_button(w("post"), type="primary", disabled=not people, on_click=_adjust, args=(reference,))


def yuan_to_fen(text: str) -> int | None:
    """"12.5" → 1250; None for anything that is not a positive amount of at most two decimals (no float)."""
    try:
        value = Decimal(text.strip().replace("¥", "").replace(",", ""))
    except InvalidOperation:
        return None
    fen = value * 100
    return int(fen) if value > 0 and fen == fen.to_integral_value() else None


def _adjust(reference: str) -> None:
    s = st.session_state
    if not s.get("adjust_resident"):
        s[ui.FLASH] = ("error", w("no_resident"))
        return
    fen = yuan_to_fen(str(s.get(f"adjust_amount_{reference}") or ""))
    if fen is None:
        s[ui.FLASH] = ("error", w("bad_amount"))
        return
    try:
        cmd = c.PostAdjustment(resident_id=str(s.get("adjust_resident") or ""),
                               kind=s.get("adjust_kind") or "bonus", amount_fen=fen,
                               reason=str(s.get(f"adjust_reason_{reference}") or "")[:500], reference=reference)
    except ValueError as problem:
        s[ui.FLASH] = ("error", str(problem))
        return
    if ui.perform(adjustments.post_adjustment, cmd,
                  done=lambda result: w("posted" if result[0].created else "already")):
        ui.spend_reference("adjust")  # posted: the next entry is another adjustment, with a fresh form and reference
        s["adjust_resident"] = None  # … for whomever the coordinator chooses next


def approvals(actor: Actor, people: dict[str, str] | None = None) -> None:
    """Each pending correction with what it changes and why; the asker sees it waiting, another coordinator decides.
    `people` (names.people_names) tells two residents of one name apart."""
    pending = data.read(correction_requests, actor, status="pending")
    st.markdown(f"**{w('pending')}**")
    if not pending:
        st.caption(w("no_pending"))
    for r in pending[:20]:
        _request(actor, r, people or {})


def request_lines(r: CorrectionRequestView, people: dict[str, str]) -> tuple[str, str]:
    """A pending correction as people read it, never an id: who, which lot, which pay period
    ('**高珍英** · 手链-1201-01（串珠手链）· 2026年12月上半月'), then what it changes and what that moves
    ('合格 10 件、不合格 0 件 → 合格 **8** 件、不合格 **2** 件 · 计件工资 -¥2.50（单价 ¥1.25/件）· 自动验收')."""
    lang = ui.lang()
    lot = (f"{r.lot_short_code}（{r.product_name}）" if r.lot_short_code
           else w("lot_no", product=r.product_name, n=r.lot_no))
    name = people.get(r.resident_id, r.resident_name)
    head = f"**{md(name)}** · {md(lot)} · {names.period_label(r.period_id)}"
    change = money(r.pay_change_fen, lang)
    change = f"+{change}" if r.pay_change_fen > 0 else change
    body = (w("counts", passed=r.old_passed, rejected=r.old_rejected) + " → "
            + w("counts", passed=f"**{r.passed}**", rejected=f"**{r.rejected}**")
            + f" · {w('pay_change', amount=change, rate=rate(r.piece_rate_centifen, lang=lang))} · {w(r.why_approval)}")
    return head, body


def _request(actor: Actor, r: CorrectionRequestView, people: dict[str, str]) -> None:
    with st.form(f"decide_{r.id}"):
        head, body = request_lines(r, people)
        st.markdown(f"{head}  \n{body}")
        st.caption(f"{w('why')}：{md(r.reason)} · {w('asked_by')}：{md(r.requested_by_name)} · "
                   f"{when(r.requested_at, ui.lang())}")
        own = r.requested_by == actor.username
        if own:
            st.info(w("own"))
        st.text_input(w("note"), key=f"decide_note_{r.id}")
        left, right = st.columns(2)
        with left:
            st.form_submit_button(w("approve"), type="primary", disabled=own, on_click=_decide, args=(r.id, "approve"))
        with right:
            st.form_submit_button(w("reject"), disabled=own, on_click=_decide, args=(r.id, "reject"))


def _decide(request_id: str, decision: str) -> None:
    note = str(st.session_state.get(f"decide_note_{request_id}") or "")[:500]
    cmd = c.DecideCorrection(decision=decision, note=note)  # type: ignore[arg-type]
    ui.perform(corrections.decide_correction, request_id, cmd, done=w("approved" if decision == "approve"
                                                                       else "rejected"))
