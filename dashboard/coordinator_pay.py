"""工资发放: the late-pay alarm, closing an ended period, and payouts one by one or as a batch."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import streamlit as st

from dashboard import data, names, ui
from dashboard.actions import record_payouts
from dashboard.coordinator_text import t
from dashboard.format import md, money
from dashboard.payout_list import payout_batches
from domain.pay.slips import PAY_METHODS, method_name
from schemas import commands as c
from usecases import pay
from usecases.actors import Actor
from usecases.queries.pay_views import OverdueView
from usecases.queries.payouts_due import ClosablePeriod, Payee, closable_periods, payees

METHODS = tuple(PAY_METHODS)  # domain.pay.slips names each, as the slip says how she was paid


def late_pay(overdue: list[OverdueView], communities: dict[str, str]) -> None:
    """The alarm first: residents' pay past its legal due date (part-time pay within 15 days)."""
    for o in overdue:
        st.error(md(overdue_sentence(o, communities.get(o.community_id, ""), names.period_label(o.period_id))),
                 icon=":material/alarm:")


def overdue_sentence(o: OverdueView, community: str, period: str) -> str:
    """The alarm's sentence: '第1社区 2026年11月上半月 的工资已逾期 15 天，尚欠 ¥3,858.74：请立即发放。'; in its first
    day late, '… 的工资已到期，尚欠 …：请今天发放。' (never '已逾期 0 天')."""
    key = "co.pay_overdue" if o.days_late > 0 else "co.pay_due_now"
    return ui.t(key, community=community, period=period, days=o.days_late, amount=money(o.unpaid_fen, ui.lang()))


def section(actor: Actor, overdue: list[OverdueView], communities: dict[str, str]) -> None:
    if not overdue:  # the alarm itself stands at the top of the page
        st.success(t("pay.alarm_none"), icon=":material/check_circle:")
    st.subheader(t("pay.close_title"))
    closable = data.read(closable_periods, actor, now=data.now())
    close_form(closable)
    ui.show_flash("close")
    st.subheader(t("pay.payouts_title"))
    to_close = waiting_to_close(overdue, closable, communities)
    due = [p for p in data.read(payees, actor) if p.unpaid_fen > 0]
    if due:
        one_by_one(due, communities)
        ui.show_flash("payout")
        batch(due, communities)
    elif not to_close:  # "nothing to pay" only when no ended period waits to be closed either
        st.info(t("pay.none_closed"))
    ui.show_flash("batch")
    # The list the bank or the office makes the transfers from, where she pays (new-user trial: it was only on
    # 批量导入, a page about importing).
    st.subheader(t("pay.list_title"))
    payout_batches(actor, key="pay_list")


def waiting_to_close(overdue: list[OverdueView], closable: list[ClosablePeriod],
                     communities: dict[str, str]) -> int:
    """Say, where payouts are recorded, which ended periods cannot be paid yet because they are not closed.

    An overdue one is named in the alarm's own words (overdue_sentence) so the two never disagree; each points to
    结算本期 above. Returns how many periods wait to be closed (0: nothing said).
    """
    late = {(o.community_id, o.period_id): o for o in overdue if not o.closed}
    keys = list(dict.fromkeys([*late, *((p.community_id, p.period_id) for p in closable)]))
    for key in keys:
        period = names.period_label(key[1])
        community = communities.get(key[0], "")
        o = late.get(key)
        said = overdue_sentence(o, community, period) if o else t("pay.ended", community=community, period=period)
        st.warning(f"{md(said)}{t('pay.close_first')}", icon=":material/alarm:" if o else None)
    return len(keys)


def close_form(closable: list[ClosablePeriod]) -> None:
    if not closable:
        st.info(t("pay.nothing_to_close"))
        return
    by_key = {f"{p.community_id}|{p.period_id}": p for p in closable}
    key = st.selectbox(t("pay.period"), list(by_key), key="close_period", format_func=lambda k: (
        f"{by_key[k].community_name} · {names.period_label(by_key[k].period_id)} · {money(by_key[k].total_fen)}"))
    if key in by_key:
        st.button(t("pay.close_go"), type="primary", key="close_go", on_click=_close, args=(by_key[key],))


def _close(p: ClosablePeriod) -> None:
    def done(result: object) -> str:
        closed = result[0]  # type: ignore[index]
        return t("pay.closed", community=p.community_name, period=names.period_label(p.period_id),
                 n=closed.residents, total=money(closed.row.total_fen))
    ui.perform(pay.close_period, c.ClosePayPeriod(community_id=p.community_id, period_id=p.period_id),
               where="close", done=done)


def _who(p: Payee, communities: dict[str, str]) -> str:
    return (f"{p.resident_name} · {communities.get(p.community_id, '')} {names.period_label(p.period_id)} · "
            f"{t('pay.unpaid')} {money(p.unpaid_fen)}")


def one_by_one(due: list[Payee], communities: dict[str, str]) -> None:
    by_key = {f"{p.resident_id}|{p.period_id}": p for p in due}
    with st.container(border=True):
        key = st.selectbox(t("pay.who"), list(by_key), key="payout_who", format_func=lambda k: _who(by_key[k],
                                                                                                    communities))
        cols = st.columns(2)
        cols[0].text_input(t("pay.amount"), key="payout_amount",
                           placeholder=f"{Decimal(by_key[key].unpaid_fen) / 100:.2f}" if key in by_key else "")
        cols[1].selectbox(t("pay.method"), METHODS, format_func=_method, key="payout_method")
        st.text_input(t("pay.reference"), key="payout_reference")
        if key in by_key:
            st.button(t("pay.one_go"), type="primary", key="payout_go", on_click=_one, args=(by_key[key],))


def _fen(text: str, default: int) -> int | None:
    """Yuan as typed ('12.5', '¥12.50', '') → fen; None when it is not an amount."""
    cleaned = text.strip().replace("¥", "").replace(",", "").replace("元", "")
    if not cleaned:
        return default
    try:
        fen = Decimal(cleaned) * 100
    except InvalidOperation:
        return None
    return int(fen) if fen == fen.to_integral_value() and fen > 0 else None


def _one(p: Payee) -> None:
    s = st.session_state
    fen = _fen(str(s.get("payout_amount") or ""), p.unpaid_fen)
    reference = str(s.get("payout_reference") or "").strip()
    if fen is None:
        ui.say("payout", "error", ui.t("err.rejected", field=t("pay.amount"), reason="0.01–" + money(p.unpaid_fen)))
        return
    if not reference:
        ui.say("payout", "error", t("pay.ref_needed"))
        return
    cmd = c.RecordPayout(resident_id=p.resident_id, period_id=p.period_id, amount_fen=fen,
                         method=s.get("payout_method") or "bank", reference=reference[:100])

    def done(result: tuple[pay.PayoutOutcome, object]) -> str:  # the number is the idempotency key (issue 16)
        return (t("pay.one_done", name=p.resident_name, amount=money(fen)) if result[0].created
                else t("pay.one_again"))
    if ui.perform(pay.record_payout, cmd, where="payout", done=done):
        s["payout_amount"] = s["payout_reference"] = ""


def batch(due: list[Payee], communities: dict[str, str]) -> None:
    """Tick people; each gets one payout of their unpaid amount, all recorded in one go (or none)."""
    with st.container(border=True):  # not an expander: a rerun while typing would fold it shut
        st.markdown(f"**{t('pay.batch_title')}**")
        # Nobody starts ticked (issue: a click meaning "pay her" must not untick her and pay everyone else); 全选
        # ticks everyone on purpose (a new user paid seven people with seven ticks), 全不选 clears them.
        left, right = st.columns(2)
        left.button(t("pay.tick_all"), key="batch_all", on_click=_tick, args=(due, True), width="stretch")
        right.button(t("pay.tick_none"), key="batch_none", on_click=_tick, args=(due, False), width="stretch")
        ticked = [p for p in due if st.checkbox(md(_who(p, communities)), key=f"batch_{p.resident_id}_{p.period_id}",
                                                value=False)]
        cols = st.columns(2)
        cols[0].selectbox(t("pay.method"), METHODS, format_func=_method, key="batch_method")
        cols[1].text_input(t("pay.batch_ref"), key="batch_reference")
        # What the button will record, said right above it, so the coordinator sees it before she clicks.
        st.markdown(t("pay.batch_will", n=len(ticked), amount=money(sum(p.unpaid_fen for p in ticked))))
        st.button(t("pay.batch_go"), key="batch_go", on_click=_batch, args=(due,), disabled=not ticked)


def _tick(due: list[Payee], on: bool) -> None:
    for p in due:
        st.session_state[f"batch_{p.resident_id}_{p.period_id}"] = on


def _batch(due: list[Payee]) -> None:
    s = st.session_state
    ticked = [p for p in due if s.get(f"batch_{p.resident_id}_{p.period_id}")]
    reference = str(s.get("batch_reference") or "").strip()
    if not ticked:
        ui.say("batch", "error", t("pay.batch_empty"))
        return
    if not reference:
        ui.say("batch", "error", t("pay.ref_needed"))
        return
    cmds = [c.RecordPayout(resident_id=p.resident_id, period_id=p.period_id, amount_fen=p.unpaid_fen,
                           method=s.get("batch_method") or "bank", reference=f"{reference[:90]}-{n:03d}")
            for n, p in enumerate(ticked, start=1)]
    if ui.perform(record_payouts, cmds, where="batch",
                  done=t("pay.batch_done", n=len(cmds), amount=money(sum(p.unpaid_fen for p in ticked)))):
        s["batch_reference"] = ""


def _method(method: str) -> str:
    return method_name(method, "en" if ui.lang() == "en" else "zh")
