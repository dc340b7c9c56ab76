"""The pieces of a resident's page, shared by the resident's own phone page and a coordinator acting for them (代办).

What needs doing comes first (offers to answer, lots to collect or hand in, each with its next step), then
earnings, then pay slips; finished lots are folded away and every list pages instead of growing without end.
Lots are named by product and number, never by their internal id.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import data, names, ui
from dashboard.counts import checked
from dashboard.format import due, md, money, number, rate, when
from dashboard.i18n import translate
from dashboard.paging import more as _more
from domain.orders.defects import product_defects
from domain.pay.slips import KIND_LABELS, NO_PIECES, Lang, SlipLine, paid_text, slip_to_csv, slip_to_pdf
from domain.sheets import XLSX_MEDIA_TYPE
from schemas import commands as c
from usecases import offers, work
from usecases.actors import Actor
from usecases.queries import exports, pay
from usecases.queries.dashboard_views import ResidentHome, ResidentLot
from usecases.queries.views import OfferView

WEEKDAYS = "一二三四五六日"


def hours(lot: ResidentLot) -> str:
    """Opening hours as 周一至周六 08:00–17:00 (days with the same hours grouped)."""
    if not lot.open_hours:
        return ""
    spans: dict[tuple[int, int], list[int]] = {}
    for day_, start, end in lot.open_hours:
        spans.setdefault((start, end), []).append(day_)
    parts = []
    for (start, end), days in spans.items():
        days = sorted(days)
        names = (f"周{WEEKDAYS[days[0]]}至周{WEEKDAYS[days[-1]]}" if days == list(range(days[0], days[-1] + 1))
                 and len(days) > 1 else "、".join(f"周{WEEKDAYS[d]}" for d in days))
        parts.append(f"{names} {start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}")
    return "；".join(parts)


def where(lot: ResidentLot) -> str:
    if not lot.site_name:
        return ui.t("res.where_unknown")
    return ui.t("res.where", site=md(lot.site_name), hours=hours(lot) or "—")


def todo(home: ResidentHome) -> None:
    """Offers to answer and lots in hand, with the next step of each."""
    st.subheader(ui.t("res.todo"))
    active = [w for w in home.work if w.next_step != "done"]
    if not home.offers and not active:
        st.info(ui.t("res.nothing_to_do"))
    offer_cards(home)
    for lot in active:
        _lot_card(lot, home.resident_id)


def earnings(home: ResidentHome) -> None:
    lang, e = ui.lang(), home.earnings
    st.subheader(ui.t("res.earnings"))
    a, b, c_ = st.columns(3)
    a.metric(ui.t("res.today"), money(e.today_fen, lang))
    b.metric(ui.t("res.week"), money(e.week_fen, lang))
    c_.metric(ui.t("res.month"), money(e.month_fen, lang))


def offer_cards(home: ResidentHome) -> None:
    sites = {w.lot.id: w for w in home.offered}
    for offer in home.offers:
        _offer_card(offer, sites.get(offer.lot_id))


def _offer_card(offer: OfferView, lot: ResidentLot | None) -> None:
    lang = ui.lang()
    with st.container(border=True):
        st.markdown(f"**{ui.t('res.new_offer')}：{md(lot.label if lot else offer.product_name)}**")
        st.markdown(f"{number(offer.pieces, lang)} {ui.t('res.pieces')} × {offer.piece_rate_text} = "
                    f"**{money(offer.amount_fen, lang)}**")
        st.write(ui.t("res.due", when=due(offer.due_at, lang)))
        if lot is not None:
            st.write(where(lot))
        st.info(ui.t("res.why", text=md(offer.explanation_zh if lang == "zh" else offer.explanation_en)))
        if offer.defect_codes:
            # The names alone ('缺件、封口不良'): a resident never needs the code (issue 15).
            codes = "、".join(md(d.name) for d in product_defects(offer.defect_codes))
            st.caption(ui.t("res.quality_rules", codes=codes))
        st.warning(ui.t("res.expires", when=when(offer.expires_at, lang)))
        st.button(ui.t("res.accept"), key=f"accept-{offer.id}", type="primary", width="stretch",
                  on_click=_act, args=(offers.answer_offer, offer.id, c.AnswerOffer(decision="accept")),
                  kwargs={"done": ui.t("res.accepted", what=lot.label if lot else offer.product_name)})
        with st.expander(ui.t("res.decline")):
            st.text_input(ui.t("res.decline_reason"), key=f"reason-{offer.id}")
            st.button(ui.t("res.decline_confirm"), key=f"decline-{offer.id}", width="stretch",
                      on_click=_decline, args=(offer.id, f"reason-{offer.id}"))


def _act(use_case: object, *args: object, done: str) -> None:
    """Run the action; a success is confirmed where the person is looking (a toast) and at the top of the page."""
    if ui.perform(use_case, *args, done=done):  # type: ignore[arg-type]
        st.toast(md(done), icon=":material/check_circle:")


def _decline(offer_id: str, reason_key: str) -> None:
    reason = str(st.session_state.get(reason_key, ""))[:200]
    _act(offers.answer_offer, offer_id, c.AnswerOffer(decision="decline", reason=reason),
         done=ui.t("res.declined"))


def _lot_card(lot: ResidentLot, resident_id: str) -> None:
    lang, v = ui.lang(), lot.lot
    with st.container(border=True):
        st.markdown(f"**{md(lot.label)}** · {ui.t(f'status.{v.status}')}")
        st.markdown(f":material/arrow_forward: **{ui.t(f'res.step.{lot.next_step}', n=lot.can_hand_in)}**")
        if lot.next_step == "collect":
            st.write(where(lot))
        st.write(ui.t("res.due", when=due(v.due_at, lang)))
        st.progress(min(v.pieces_passed / v.pieces, 1.0) if v.pieces else 0.0,
                    text=ui.t("res.lot_progress", passed=v.pieces_passed, pieces=v.pieces, issued=v.pieces_issued,
                              pending=v.pieces_pending))
        if lot.can_hand_in > 0:
            # No min_value/max_value: the browser clamped or emptied what she typed, saying nothing (300 against
            # '最多 80 件'); dashboard.counts says what is wrong, here under the button.
            st.number_input(ui.t("res.hand_in", n=lot.can_hand_in), value=None, step=1,
                            placeholder=ui.t("res.hand_in_placeholder"), key=f"handin-{v.id}")
            form = f"handin-{v.id}"  # a double tap on 交货 hands in once (ui.entry_reference)
            st.button(ui.t("res.submit"), key=ui.entry_key(form, f"submit-{v.id}"), type="primary", width="stretch",
                      on_click=_submit, args=(resident_id, v.id, lot.label, lot.can_hand_in, ui.entry_reference(form)))
        ui.show_flash(f"handin-{v.id}")


def _submit(resident_id: str, lot_id: str, label: str, most: int, reference: str) -> None:
    """Hand in what she typed; a count that cannot be handed in, or a refusal, is said at the lot's card."""
    where = f"handin-{lot_id}"
    if st.session_state.get(where) is None and ui.repeat_of_last(where, work.submit_output, resident_id, lot_id):
        return  # a double tap: her count was emptied by the first
    pieces = checked(st.session_state.get(where), most=most, field=ui.t("res.hand_in_field"))
    if isinstance(pieces, str):
        ui.say(where, "error", pieces)
        return
    done = ui.t("res.submitted", n=pieces, what=label)
    cmd = c.SubmitOutput(lot_id=lot_id, pieces=pieces, reference=reference)
    if ui.perform(work.submit_output, resident_id, cmd, where=where, done=done):
        st.toast(md(done), icon=":material/check_circle:")
        st.session_state[where] = None  # emptied, in her browser too (a pop left her 10 there for a second tap)
        ui.spend_reference(where)


def lot_list(home: ResidentHome) -> None:
    """Lots in hand (with their next step), then the finished ones folded away."""
    active = [w for w in home.work if w.next_step != "done"]
    for lot in active:
        _lot_card(lot, home.resident_id)
    finished(home)


def finished(home: ResidentHome) -> None:
    """Finished lots, one line each, folded and paged."""
    done = [w for w in home.work if w.next_step == "done"]
    if not done:
        return
    lang = ui.lang()
    with st.expander(ui.t("res.finished", n=len(done))):
        for lot in done[:_more("res-finished", len(done))]:
            v = lot.lot
            st.write(f"{md(lot.label)} · {ui.t(f'status.{v.status}')} · "
                     f"{ui.t('res.passed_of', passed=number(v.pieces_passed, lang), pieces=number(v.pieces, lang))}")


def slip_line_text(line: SlipLine, lang: str = "zh") -> str:
    """One slip line for a phone, as the Excel slip names it (issue 15).

    A lot's pay: '网兜 · 30 × ¥0.035/件 = ¥1.05'. A line made by hand has no pieces: an adjustment reads
    '奖励：本月质量奖 ¥20.00' or '扣回：<reason> −¥5.00'; a top-up or a carried debt reads its kind and amount.
    """
    if line.kind == "adjustment":
        why = line.note or line.label or translate("res.slip_no_reason", lang)
        if line.amount_fen < 0:
            return f"{translate('res.slip_recovery', lang, why=why)} −{money(-line.amount_fen, lang)}"
        return f"{translate('res.slip_bonus', lang, why=why)} {money(line.amount_fen, lang)}"
    if line.kind in NO_PIECES or (line.pieces == 0 and line.rate_centifen == 0):
        kind = KIND_LABELS[line.kind][0 if lang == "zh" else 1]
        what = "：".join(x for x in (kind, line.note) if x) if lang == "zh" else ": ".join(
            x for x in (kind, line.note) if x)
        return f"{what} {money(line.amount_fen, lang)}"
    named = " ".join(x for x in (line.lot_code, line.label) if x)  # '网兜-1129-03 编织网兜'
    label = f"{named}（{line.note}）" if line.note else named
    return (f"{label} · {number(line.pieces, lang)} × {rate(line.rate_centifen, line.rate_per, lang)} = "
            f"{money(line.amount_fen, lang)}")


def pay_periods(home: ResidentHome, actor: Actor) -> None:
    """Pay per period; each opens to its pay slip, with CSV and PDF to download."""
    lang = ui.lang()
    st.subheader(ui.t("res.slips"))
    if not home.periods:
        st.info(ui.t("res.no_pay"))
    for period in home.periods[:_more("res-periods", len(home.periods))]:
        label = ui.t("res.period", period=names.period_label(period.period_id))  # '2026年11月下半月', never 2026-11-B
        with st.expander(f"{label} · {money(period.amount_fen, lang)}"):
            slip, final = data.read(pay.pay_slip, actor, home.resident_id, period.period_id)
            st.caption(ui.t("res.final") if final else ui.t("res.open_period"))
            paid = paid_text(slip.payments, "en" if lang == "en" else "zh")
            if paid:  # '已发放 ¥12.30（2026-12-01，银行转账，YH20261201-0001）': whether and how she was paid
                st.success(paid)
            for line in slip.all_lines:
                st.write(md(slip_line_text(line, lang)))
            st.markdown(f"**{ui.t('res.total')}: {money(slip.total_fen, lang)}**")
            slip_lang: Lang = "en" if lang == "en" else "zh"
            left, right = st.columns(2)
            file = f"工资条-{names.period_label(period.period_id)}"  # '工资条-2026年11月下半月', never the period id
            left.download_button(ui.t("res.slip_pdf"), data=partial(slip_to_pdf, slip, lang=slip_lang),
                                 file_name=f"{file}.pdf", mime="application/pdf",
                                 key=f"pdf-{period.period_id}")
            right.download_button(ui.t("res.slip_csv"), data=("\ufeff" + slip_to_csv(slip, slip_lang)).encode(),
                                  file_name=f"{file}.csv", mime="text/csv",
                                  key=f"csv-{period.period_id}")
            st.download_button(ui.t("xlsx.download"), mime=XLSX_MEDIA_TYPE, key=f"xlsx-{period.period_id}",
                               file_name=f"{file}.xlsx",  # issue 16: as GET …/pay-slips/….xlsx
                               data=partial(data.read, exports.pay_slip_xlsx, actor, home.resident_id,
                                            period.period_id, lang=slip_lang))
