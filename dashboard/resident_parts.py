"""The pieces of a resident's page, shared by the resident's own phone page and a coordinator acting for them (代办)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui
from dashboard.format import money, number, when
from domain.lifecycle.lot import HOLDING
from domain.pay.slips import slip_to_csv, slip_to_pdf
from schemas import commands as c
from usecases import offers, work
from usecases.actors import Actor
from usecases.queries import pay
from usecases.queries.dashboard_views import ResidentHome
from usecases.queries.views import LotView, OfferView

MAX_PERIODS = 6


def earnings(home: ResidentHome) -> None:
    lang, e = ui.lang(), home.earnings
    st.metric(ui.t("res.today"), money(e.today_fen, lang))
    st.metric(ui.t("res.week"), money(e.week_fen, lang))
    st.metric(ui.t("res.month"), money(e.month_fen, lang))


def offer_cards(home: ResidentHome) -> None:
    st.subheader(ui.t("res.offers"))
    if not home.offers:
        st.info(ui.t("res.no_offers"))
    for offer in home.offers:
        _offer_card(offer, home.resident_id)


def _offer_card(offer: OfferView, resident_id: str) -> None:
    lang = ui.lang()
    with st.container(border=True):
        st.markdown(f"**{offer.product_name}** · {number(offer.pieces, lang)} {ui.t('res.pieces')} × "
                    f"{money(offer.piece_rate_fen, lang)} = **{money(offer.amount_fen, lang)}**")
        st.write(ui.t("res.due", when=when(offer.due_at, lang)))
        st.write(ui.t("res.expires", when=when(offer.expires_at, lang)))
        st.info(offer.explanation_zh if lang == "zh" else offer.explanation_en)
        if offer.defect_codes:
            st.caption(ui.t("res.quality_rules", codes=", ".join(offer.defect_codes)))
        st.text_input(ui.t("res.decline_reason"), key=f"reason-{offer.id}")
        st.button(ui.t("res.accept"), key=f"accept-{offer.id}", type="primary", width="stretch",
                  on_click=ui.perform, args=(offers.answer_offer, offer.id, c.AnswerOffer(decision="accept")),
                  kwargs={"done": ui.t("res.accepted")})
        st.button(ui.t("res.decline"), key=f"decline-{offer.id}", width="stretch",
                  on_click=_decline, args=(offer.id, f"reason-{offer.id}"))


def _decline(offer_id: str, reason_key: str) -> None:
    reason = str(st.session_state.get(reason_key, ""))[:200]
    ui.perform(offers.answer_offer, offer_id, c.AnswerOffer(decision="decline", reason=reason),
               done=ui.t("res.declined"))


def lot_list(home: ResidentHome) -> None:
    st.subheader(ui.t("res.lots"))
    if not home.lots:
        st.info(ui.t("res.no_lots"))
    for lot in home.lots:
        _lot_card(lot, home.resident_id)


def _lot_card(lot: LotView, resident_id: str) -> None:
    lang = ui.lang()
    with st.container(border=True):
        st.markdown(f"**{lot.id}** · {ui.t(f'status.{lot.status}')}")
        st.write(ui.t("res.due", when=when(lot.due_at, lang)))
        st.progress(min(lot.pieces_passed / lot.pieces, 1.0) if lot.pieces else 0.0,
                    text=ui.t("res.lot_progress", passed=lot.pieces_passed, pieces=lot.pieces,
                              pending=lot.pieces_pending))
        open_pieces = lot.pieces_issued - lot.pieces_passed - lot.pieces_rejected - lot.pieces_pending
        if lot.status in HOLDING and open_pieces > 0:
            st.number_input(ui.t("res.hand_in"), min_value=1, max_value=open_pieces, value=open_pieces,
                            key=f"handin-{lot.id}")
            st.button(ui.t("res.submit"), key=f"submit-{lot.id}", width="stretch",
                      on_click=_submit, args=(resident_id, lot.id))


def _submit(resident_id: str, lot_id: str) -> None:
    pieces = int(st.session_state.get(f"handin-{lot_id}", 0))
    ui.perform(work.submit_output, resident_id, c.SubmitOutput(lot_id=lot_id, pieces=pieces),
               done=ui.t("res.submitted"))


def pay_periods(home: ResidentHome, actor: Actor) -> None:
    """Pay per period; each opens to its pay slip, with CSV and PDF to download."""
    lang = ui.lang()
    st.subheader(ui.t("res.slips"))
    if not home.periods:
        st.info(ui.t("res.no_pay"))
    for period in home.periods[:MAX_PERIODS]:
        with st.expander(f"{period.period_id} · {money(period.amount_fen, lang)}"):
            slip, final = data.read(pay.pay_slip, actor, home.resident_id, period.period_id)
            st.caption(ui.t("res.final") if final else ui.t("res.open_period"))
            for line in slip.all_lines:
                st.write(f"{line.label} · {number(line.pieces, lang)} × {money(line.rate_fen, lang)} = "
                         f"{money(line.amount_fen, lang)}")
            st.markdown(f"**{ui.t('res.total')}: {money(slip.total_fen, lang)}**")
            slip_lang = "en" if lang == "en" else "zh"
            st.download_button("CSV", data=("\ufeff" + slip_to_csv(slip, slip_lang)).encode(),
                               file_name=f"slip-{period.period_id}.csv", mime="text/csv",
                               key=f"csv-{period.period_id}")
            st.download_button("PDF", data=lambda slip=slip, lang=slip_lang: slip_to_pdf(slip, lang=lang),
                               file_name=f"slip-{period.period_id}.pdf", mime="application/pdf",
                               key=f"pdf-{period.period_id}")
