"""The coordinator's actions as forms; each submits through a callback that runs the handler's use case."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session, select

from dashboard import data, ui
from dashboard.actions import reassign_lot
from domain.matching.rules import HARD_RULES
from schemas import commands as c
from store.tables import Product
from usecases import offers, work
from usecases.queries.dashboard_views import CoordinatorBoard


def _residents(board: CoordinatorBoard) -> dict[str, str]:
    return {r.id: f"{r.name} ({r.id})" for r in board.residents}


def _value(key: str) -> str:
    return str(st.session_state.get(key) or "")


def dispatch(board: CoordinatorBoard) -> None:
    lots = sorted({lot.id for lot in board.open_lots} | {p.offer.lot_id for p in board.pending_offers})
    people = _residents(board)
    with st.form("dispatch_form"):
        st.selectbox(ui.t("col.lot"), lots, key="dispatch_lot")
        st.selectbox(ui.t("col.resident"), list(people), format_func=people.get, key="dispatch_resident")
        st.text_input(ui.t("co.note"), key="dispatch_note")
        # A dispatch that breaks a hard rule is refused naming it; the coordinator may then override it with a reason.
        st.multiselect(ui.t("co.override_rules"), list(HARD_RULES), format_func=lambda r: ui.t(f"rule.{r}"),
                       key="dispatch_override_rules")
        st.text_input(ui.t("co.override_reason"), key="dispatch_override_reason")
        st.form_submit_button(ui.t("co.dispatch"), type="primary", disabled=not lots, on_click=_dispatch)


def _dispatch() -> None:
    cmd = c.DispatchLot(resident_id=_value("dispatch_resident"), note=_value("dispatch_note")[:200],
                        override_rules=list(st.session_state.get("dispatch_override_rules") or []),
                        override_reason=_value("dispatch_override_reason")[:200] or None)
    ui.perform(offers.dispatch_lot, _value("dispatch_lot"), cmd, done=ui.t("co.dispatched"))


def withdraw(board: CoordinatorBoard) -> None:
    lots = [lot.id for lot in board.withdrawable]
    with st.form("withdraw_form"):
        st.selectbox(ui.t("col.lot"), lots, key="withdraw_lot")
        st.text_input(ui.t("co.reason"), key="withdraw_reason")
        st.form_submit_button(ui.t("co.withdraw"), disabled=not lots, on_click=_withdraw)


def _withdraw() -> None:
    try:
        cmd = c.WithdrawOffer(reason=_value("withdraw_reason"))
    except ValueError:
        st.session_state[ui.FLASH] = ("error", ui.t("co.reason_needed"))
        return
    ui.perform(offers.withdraw_lot, _value("withdraw_lot"), cmd, done=ui.t("co.withdrawn"))


def reassign(board: CoordinatorBoard) -> None:
    lots = [lot.id for lot in board.withdrawable]
    people = _residents(board)
    with st.form("reassign_form"):
        st.selectbox(ui.t("col.lot"), lots, key="reassign_lot")
        st.selectbox(ui.t("col.resident"), list(people), format_func=people.get, key="reassign_resident")
        st.text_input(ui.t("co.reason"), key="reassign_reason")
        st.multiselect(ui.t("co.override_rules"), list(HARD_RULES), format_func=lambda r: ui.t(f"rule.{r}"),
                       key="reassign_override_rules")  # the reason above is the override's reason too
        st.form_submit_button(ui.t("co.reassign"), disabled=not lots, on_click=_reassign)


def _reassign() -> None:
    reason = _value("reassign_reason").strip()
    if len(reason) < 2:
        st.session_state[ui.FLASH] = ("error", ui.t("co.reason_needed"))
        return
    ui.perform(reassign_lot, _value("reassign_lot"), _value("reassign_resident"), reason[:200],
               override_rules=list(st.session_state.get("reassign_override_rules") or []),
               done=ui.t("co.reassigned"))


def inspect(board: CoordinatorBoard) -> None:
    subs = {s.id: f"{s.id} · {s.lot_id} · {s.resident_id} · {s.pieces}" for s in board.inspection_queue}
    codes = sorted({code for p in data.read_public(_products) for code in p.defect_codes})
    with st.form("inspect_form"):
        st.selectbox(ui.t("col.submission"), list(subs), format_func=subs.get, key="inspect_submission")
        st.number_input(ui.t("co.passed"), min_value=0, step=1, key="inspect_passed")
        st.number_input(ui.t("co.rejected"), min_value=0, step=1, key="inspect_rejected")
        st.multiselect(ui.t("co.defects"), codes, key="inspect_defects")
        st.checkbox(ui.t("co.rework"), key="inspect_rework")
        st.form_submit_button(ui.t("co.record"), type="primary", disabled=not subs, on_click=_inspect)


def _products(session: Session) -> list[Product]:
    return list(session.exec(select(Product)))


def _inspect() -> None:
    cmd = c.RecordInspection(submission_id=_value("inspect_submission"),
                             passed=int(st.session_state.get("inspect_passed") or 0),
                             rejected=int(st.session_state.get("inspect_rejected") or 0),
                             defect_codes=list(st.session_state.get("inspect_defects") or []),
                             rework=bool(st.session_state.get("inspect_rework")))
    ui.perform(work.record_inspection, cmd, done=ui.t("co.recorded"))
