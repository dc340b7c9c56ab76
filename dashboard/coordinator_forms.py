"""The coordinator's dispatch forms (派单、撤回、改派); each submits through a callback that runs the use case.

Lots are named by short code and product, people by name; the outcome shows under the form that caused it.
"""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session, select

from dashboard import data, names, ui
from dashboard.actions import reassign_lot
from dashboard.coordinator_text import t
from dashboard.format import md
from domain.lifecycle.lot import MATCHABLE, LotStatus
from domain.matching.rules import HARD_RULES
from schemas import commands as c
from store.tables import Product
from usecases import hard_rules, offers
from usecases.actors import Actor
from usecases.queries.dashboard_views import CoordinatorBoard
from usecases.queries.views import LotView
from usecases.workload import plates


def _value(key: str) -> str:
    return str(st.session_state.get(key) or "")


def _lots(lots: list[LotView]) -> dict[str, LotView]:
    return {lot.id: lot for lot in sorted(lots, key=lambda x: x.due_at)}


def _in_community(people: dict[str, str], board: CoordinatorBoard, lot: LotView | None) -> list[str]:
    """Residents of the lot's community, by name (a lot goes only to its own community's residents)."""
    ids = [r.id for r in board.residents if lot is None or r.community_id == lot.community_id]
    return sorted(ids, key=lambda r: people.get(r, r))


def dispatch(actor: Actor, board: CoordinatorBoard, people: dict[str, str]) -> None:
    """派单 by hand; the rules the chosen resident would break are named before the button (override with a reason).

    Nobody is preselected (a placeholder): the picker lists first who meets every rule for the chosen lot
    (usecases.hard_rules.preview, the check the dispatch itself makes), then the others, each with the rules she
    would break ('何建花 · 空闲 · 不符合：技能'), and each with her load (names.load_label).
    """
    lots = _lots([lot for lot in board.lots if lot.status in MATCHABLE or lot.status == LotStatus.OFFERED])
    lot_id = st.selectbox(ui.t("col.lot"), list(lots), key="dispatch_lot",
                          format_func=lambda i: names.lot_label(lots[i], people))
    lot = lots.get(lot_id) if lot_id else None
    unfit = _unfit(actor, lot, _in_community(people, board, lot))
    residents = sorted(unfit, key=lambda r: (bool(unfit[r]), people.get(r, r)))
    loads = data.read(plates, actor)

    def label(r: str) -> str:
        rules = "、".join(ui.t(f"rule.{x}") for x in unfit.get(r, []))
        return " · ".join([people.get(r, ""), names.load_label(loads.get(r))]
                          + ([t("disp.unfit", rules=rules)] if rules else []))

    if st.session_state.get("dispatch_resident") not in (None, *residents):
        st.session_state["dispatch_resident"] = None  # one of another community (the lot changed): choose again
    who = st.selectbox(ui.t("col.resident"), residents, format_func=label, key="dispatch_resident", index=None,
                       placeholder=t("disp.pick"))
    if any(unfit.values()):
        st.caption(t("disp.unfit_note"))
    # Just dispatched, the pair stays chosen: say it is done rather than warn about rules already overridden.
    offered = lot is not None and any(p.offer.lot_id == lot.id and p.offer.resident_id == who
                                      for p in board.pending_offers)
    broken = [] if offered or not who else unfit.get(who, [])
    if offered:
        st.info(t("disp.offered", name=md(people.get(str(who), ""))))
    elif broken:
        st.warning(t("disp.check_bad", rules="、".join(ui.t(f"rule.{r}") for r in broken)))
    elif lot is not None and who:
        st.caption(t("disp.check_ok"))
    st.text_input(ui.t("co.note"), key="dispatch_note")
    st.multiselect(ui.t("co.override_rules"), list(HARD_RULES), format_func=lambda r: ui.t(f"rule.{r}"),
                   key="dispatch_override_rules", placeholder=ui.t("co.override_rules"), select_all=False)
    st.text_input(ui.t("co.override_reason"), key="dispatch_override_reason")
    st.button(ui.t("co.dispatch"), type="primary", disabled=lot is None or not who or offered, key="dispatch_go",
              on_click=_dispatch, args=({i: names.lot_code(x) for i, x in lots.items()}, people))
    ui.show_flash("dispatch")


def _unfit(actor: Actor, lot: LotView | None, residents: list[str]) -> dict[str, list[str]]:
    """Resident id → the hard rules giving her `lot` would break now ([] for one who meets them all; every one []
    without a lot), read in one go (usecases.hard_rules.rules_broken_by_each: what the dispatch's preview says)."""
    if lot is None:
        return dict.fromkeys(residents, [])
    found = data.read(hard_rules.rules_broken_by_each, actor, lot.id, now=data.now())
    return {r: found.get(r, []) for r in residents}


def _dispatch(codes: dict[str, str], people: dict[str, str]) -> None:
    """Dispatch the chosen pair. The form then moves on, so the confirmation says what was done: which lot to whom,
    and any rule overridden with its reason ('已派单：包装-1130-41 → 何建花（已越过：技能，理由：…）')."""
    cmd = c.DispatchLot(resident_id=_value("dispatch_resident"), note=_value("dispatch_note")[:200],
                        override_rules=list(st.session_state.get("dispatch_override_rules") or []),
                        override_reason=_value("dispatch_override_reason")[:200] or None)
    lot_id = _value("dispatch_lot")
    overridden = ui.t("co.overridden", rules="、".join(ui.t(f"rule.{r}") for r in cmd.override_rules),
                      reason=cmd.override_reason) if cmd.override_rules else ""
    done = ui.t("co.dispatched_to", lot=codes.get(lot_id, lot_id), name=people.get(cmd.resident_id, ""),
                overridden=overridden)
    if ui.perform(offers.dispatch_lot, lot_id, cmd, where="dispatch", done=done):
        st.session_state["dispatch_override_rules"] = []
        st.session_state["dispatch_override_reason"] = ""


def withdraw(board: CoordinatorBoard, people: dict[str, str]) -> None:
    lots = _lots(board.withdrawable)
    with st.form("withdraw_form"):
        st.selectbox(ui.t("col.lot"), list(lots), key="withdraw_lot",
                     format_func=lambda i: names.lot_label(lots[i], people))
        st.text_input(ui.t("co.reason"), key="withdraw_reason")
        st.form_submit_button(ui.t("co.withdraw"), disabled=not lots, on_click=_withdraw)
    ui.show_flash("withdraw")


def _withdraw() -> None:
    try:
        cmd = c.WithdrawOffer(reason=_value("withdraw_reason"))
    except ValueError:
        ui.say("withdraw", "error", ui.t("co.reason_needed"))
        return
    ui.perform(offers.withdraw_lot, _value("withdraw_lot"), cmd, where="withdraw", done=ui.t("co.withdrawn"))


def reassign(board: CoordinatorBoard, people: dict[str, str]) -> None:
    lots = _lots(board.withdrawable)
    residents = _in_community(people, board, None)
    with st.form("reassign_form"):
        st.selectbox(ui.t("col.lot"), list(lots), key="reassign_lot",
                     format_func=lambda i: names.lot_label(lots[i], people))
        st.selectbox(ui.t("col.resident"), residents, format_func=lambda r: people.get(r, ""),
                     key="reassign_resident", index=None, placeholder=t("disp.pick"))  # nobody until chosen
        st.text_input(ui.t("co.reason"), key="reassign_reason")
        st.multiselect(ui.t("co.override_rules"), list(HARD_RULES), format_func=lambda r: ui.t(f"rule.{r}"),
                       key="reassign_override_rules", placeholder=ui.t("co.override_rules"),
                       select_all=False)  # the reason above is the override's reason too
        st.form_submit_button(ui.t("co.reassign"), disabled=not lots, on_click=_reassign)
    ui.show_flash("reassign")


def _reassign() -> None:
    reason = _value("reassign_reason").strip()
    if not _value("reassign_resident"):
        ui.say("reassign", "error", t("disp.pick_needed"))
        return
    if len(reason) < 2:
        ui.say("reassign", "error", ui.t("co.reason_needed"))
        return
    ui.perform(reassign_lot, _value("reassign_lot"), _value("reassign_resident"), reason[:200],
               override_rules=list(st.session_state.get("reassign_override_rules") or []),
               where="reassign", done=ui.t("co.reassigned"))


def products(session: Session) -> list[Product]:
    """Every product (public facts: names and defect codes)."""
    return list(session.exec(select(Product)))
