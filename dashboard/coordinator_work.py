"""The coordinator's work on lots: materials out and back (发料/退料), hand-ins for a resident (代办), inspection."""

from __future__ import annotations

from datetime import UTC

import streamlit as st

from dashboard import data, names, ui
from dashboard.coordinator_text import t
from dashboard.counts import checked
from dashboard.format import TZ, md
from dashboard.lot_picker import pick_lot
from domain.lifecycle.lot import HOLDING, LotCounts
from domain.orders.defects import product_defects
from domain.orders.labels import lot_check_code, lot_label_svg
from schemas import commands as c
from usecases import work
from usecases.actors import Actor
from usecases.queries.dashboard_views import CoordinatorBoard
from usecases.queries.views import LotView, SubmissionView


def counts(lot: LotView) -> LotCounts:
    """A lot view's pieces as the lifecycle counts them (the same rule the use cases apply)."""
    return LotCounts(pieces=lot.pieces, issued=lot.pieces_issued, submitted=lot.pieces_submitted,
                     resubmitted=lot.pieces_resubmitted, pending=lot.pieces_pending, passed=lot.pieces_passed,
                     rejected=lot.pieces_rejected)


def held(board: CoordinatorBoard) -> list[LotView]:
    """Lots a resident holds (accepted or in work), soonest due first."""
    return sorted((lot for lot in board.lots if lot.status in HOLDING and lot.resident_id), key=lambda x: x.due_at)


def materials(actor: Actor, board: CoordinatorBoard, people: dict[str, str]) -> None:
    """发料 and 退料/报废 for one lot, chosen from the list, by its label's QR code or by its short code."""
    picked = pick_lot(actor, held(board), people, key="mat")
    if picked is not None:
        lot, n = picked.lot, counts(picked.lot)
        name = people.get(lot.resident_id or "", "")
        st.caption(t("mat.state", pieces=lot.pieces, issued=n.issued, handed=n.submitted, out=n.can_hand_in))
        label = lot_label_svg(lot_id=lot.id, code=lot_check_code(lot.id, data.settings().secret_key),
                              short_code=lot.short_code, product_name=lot.product_name, pieces=lot.pieces,
                              due_at=lot.due_at)
        st.download_button(t("mat.label"), data=label.encode(), file_name=f"批次标签-{names.lot_code(lot)}.svg",
                           mime="image/svg+xml", key="mat_label")
        left = lot.pieces - lot.pieces_issued
        with st.container(border=True):
            if left > 0:
                # No bounds: a bound that changes with the lot chosen leaves the browser holding the old one, and a
                # bound clamps what was typed; dashboard.counts says what is wrong instead.
                st.number_input(t("mat.issue_left", left=left), value=None, step=1,
                                placeholder=t("hand.placeholder"), key="mat_issue_n")
                st.button(t("mat.issue_go"), type="primary", key=ui.entry_key("mat_issue", "mat_issue_go"),
                          on_click=_issue, args=(lot.id, lot.resident_id, picked.qr, names.lot_code(lot), name, left,
                                                 ui.entry_reference("mat_issue")))
            else:
                st.info(t("mat.nothing_left"))
        with st.container(border=True):
            cols = st.columns(2)
            cols[0].number_input(t("mat.unused"), min_value=0, step=1, key="mat_unused")
            cols[1].number_input(t("mat.scrap"), min_value=0, step=1, key="mat_scrap")
            st.button(t("mat.return_go"), key=ui.entry_key("mat_return", "mat_return_go"), on_click=_return,
                      args=(lot.id, lot.resident_id, names.lot_code(lot), name, ui.entry_reference("mat_return")))
    ui.show_flash("materials")


def _issue(lot_id: str, resident_id: str, qr: str | None, code: str, name: str, left: int, reference: str) -> None:
    if st.session_state.get("mat_issue_n") is None and ui.repeat_of_last(
            "materials", work.issue_materials, lot_id, resident_id):  # a double tap on the emptied form
        return
    pieces = checked(st.session_state.get("mat_issue_n"), most=left, field=t("mat.issue"))
    if isinstance(pieces, str):
        ui.say("materials", "error", pieces)
        return
    cmd = c.IssueMaterials(lot_id=lot_id, qr=qr, resident_id=resident_id, pieces=pieces, reference=reference)
    if ui.perform(work.issue_materials, cmd, where="materials", done=t("mat.issued", name=name, n=pieces, lot=code)):
        st.session_state["mat_issue_n"] = None
        ui.spend_reference("mat_issue")


def _return(lot_id: str, resident_id: str, code: str, name: str, reference: str) -> None:
    unused, scrap = int(st.session_state.get("mat_unused") or 0), int(st.session_state.get("mat_scrap") or 0)
    if unused + scrap == 0 and ui.repeat_of_last("materials", work.return_materials, lot_id, resident_id):
        return  # a double tap on the emptied form
    cmd = c.ReturnMaterials(lot_id=lot_id, resident_id=resident_id, unused_pieces=unused, scrap_pieces=scrap,
                            reference=reference)
    if ui.perform(work.return_materials, cmd, where="materials",
                  done=t("mat.returned", name=name, unused=unused, scrap=scrap, lot=code)):
        st.session_state["mat_unused"] = st.session_state["mat_scrap"] = 0
        ui.spend_reference("mat_return")


def hand_in(board: CoordinatorBoard, people: dict[str, str]) -> None:
    """代办交货: hand in pieces for any resident; the number is asked for, never assumed; recorded as on behalf."""
    # Those with pieces out to hand in first, then other holders, then everyone; nobody chosen until the coordinator
    # picks whose work arrived (the first name had nothing to hand in: '何建花 手上没有可以交货的批次').
    out = {lot.resident_id for lot in held(board) if lot.resident_id and counts(lot).can_hand_in > 0}
    holders = {lot.resident_id for lot in held(board) if lot.resident_id}
    choices = sorted(people, key=lambda r: (r not in out, r not in holders, people[r]))
    who = st.selectbox(t("hand.who"), choices, format_func=lambda r: people.get(r, ""), key="hand_resident",
                       index=None, placeholder=t("disp.pick"))
    if who is not None:
        name = people.get(who, "")
        st.warning(t("hand.banner", name=md(name)), icon=":material/front_hand:")
        lots = {lot.id: lot for lot in held(board) if lot.resident_id == who and counts(lot).can_hand_in > 0}
        if not lots:
            st.info(t("hand.none", name=md(name)))
        else:
            lot_id = st.selectbox(t("pick.lot"), list(lots), key="hand_lot",
                                  format_func=lambda i: names.lot_label(lots[i], people))
            lot = lots.get(lot_id) if lot_id else None
            if lot is not None:
                out = counts(lot).can_hand_in
                st.number_input(t("hand.pieces", open=out), value=None, step=1,
                                placeholder=t("hand.placeholder"), key="hand_pieces")
                st.button(t("hand.go"), type="primary", key=ui.entry_key("handin", "hand_go"), on_click=_hand_in,
                          args=(who, lot.id, names.lot_code(lot), name, out, ui.entry_reference("handin")))
    ui.show_flash("handin")


def _hand_in(resident_id: str, lot_id: str, code: str, name: str, out: int, reference: str) -> None:
    if st.session_state.get("hand_pieces") is None and ui.repeat_of_last(
            "handin", work.submit_output, resident_id, lot_id):  # a double tap on the emptied form
        return
    pieces = checked(st.session_state.get("hand_pieces"), most=out, field=t("hand.field"))
    if isinstance(pieces, str):
        ui.say("handin", "error", pieces)
        return
    cmd = c.SubmitOutput(lot_id=lot_id, pieces=pieces, reference=reference)
    if ui.perform(work.submit_output, resident_id, cmd, where="handin",
                  done=t("hand.done", name=name, n=pieces, lot=code)):
        st.session_state["hand_pieces"] = None
        ui.spend_reference("handin")


def inspect(board: CoordinatorBoard, people: dict[str, str], defects_of: dict[str, list[str]]) -> None:
    """验收: one hand-in; passed + rejected is checked against what was handed in as she types, and only the product's
    own defect codes, named in Chinese, can be chosen. The button is never greyed out: on a phone a number counts only
    once its field loses focus, so a button enabled by it took a second tap (new-user trial); a record that does not
    add up is refused by the use case with its reason, shown under the button, and changes nothing."""
    lots = {lot.id: lot for lot in board.lots}
    queue = {s.id: s for s in board.inspection_queue if s.lot_id in lots}
    if not queue:
        st.info(t("ins.none"))
        ui.show_flash("inspect")
        return
    sub_id = st.selectbox(t("ins.pick"), list(queue), key="inspect_submission",
                          format_func=lambda i: _item(queue[i], lots[queue[i].lot_id], people))
    sub = queue.get(sub_id) if sub_id else None
    if sub is not None:
        lot = lots[sub.lot_id]
        # The whole hand-in, wrapped, whatever the picker's width cut off: who, when, how many, which lot of what.
        detail = t("ins.detail", which=_which(sub, people), lot=names.lot_code(lot), product=lot.product_name)
        st.markdown(f"**{md(detail)}**")
        cols = st.columns(2)
        passed = int(cols[0].number_input(t("co.passed"), min_value=0, step=1, key="inspect_passed") or 0)
        rejected = int(cols[1].number_input(t("co.rejected"), min_value=0, step=1, key="inspect_rejected") or 0)
        total_ok = passed + rejected == sub.pieces
        if passed + rejected == 0:
            st.info(t("ins.sum_todo", n=sub.pieces))
        elif total_ok:
            st.success(t("ins.sum_ok", passed=passed, rejected=rejected, n=sub.pieces), icon=":material/check:")
        else:
            st.error(t("ins.sum_bad", passed=passed, rejected=rejected, sum=passed + rejected, n=sub.pieces))
        defects = {d.code: d.label for d in product_defects(defects_of.get(lot.product_code, []))}
        chosen = st.multiselect(t("ins.defects"), list(defects), format_func=lambda d: defects.get(d, d),
                                key="inspect_defects", placeholder=t("ins.defects"), select_all=False)
        if rejected and not chosen:
            st.warning(t("ins.need_defect"))
        st.checkbox(ui.t("co.rework"), key="inspect_rework")
        st.button(ui.t("co.record"), type="primary", key=ui.entry_key("inspect", "inspect_go"), on_click=_inspect,
                  args=(sub.id, names.lot_code(lot), _which(sub, people), ui.entry_reference("inspect")))
    ui.show_flash("inspect")


def handed_in_at(sub: SubmissionView) -> str:
    """When a hand-in came, to the minute in Asia/Shanghai ('11-30 14:05'): what tells two of one lot apart."""
    at = sub.submitted_at if sub.submitted_at.tzinfo else sub.submitted_at.replace(tzinfo=UTC)  # stored as UTC
    return at.astimezone(TZ).strftime("%m-%d %H:%M")


def _item(sub: SubmissionView, lot: LotView, people: dict[str, str]) -> str:
    """One hand-in in the picker, short enough for a 390 px phone: who handed it in first, then the lot's short code
    (which names the product), the count and the time (several hand-ins of a lot differ there): '高珍英 · 手链-1130-01
    · 10 件 · 11-30 23:24'. The product's full name is shown under the picker (ins.detail)."""
    return t("ins.item", lot=names.lot_code(lot), name=people.get(sub.resident_id, ""), n=sub.pieces,
             at=handed_in_at(sub))


def _which(sub: SubmissionView, people: dict[str, str]) -> str:
    """The hand-in named in the confirmation: who, when, how many ('马明桂 11-30 14:05 交的 92 件')."""
    return t("ins.which", name=people.get(sub.resident_id, ""), at=handed_in_at(sub), n=sub.pieces)


def _inspect(submission_id: str, code: str, which: str, reference: str) -> None:
    s = st.session_state
    passed, rejected = int(s.get("inspect_passed") or 0), int(s.get("inspect_rejected") or 0)
    if passed + rejected == 0 and ui.repeat_of_last("inspect", work.record_inspection, submission_id):
        return  # a double tap on the emptied form
    cmd = c.RecordInspection(submission_id=submission_id, passed=passed, rejected=rejected,
                             defect_codes=list(s.get("inspect_defects") or []), rework=bool(s.get("inspect_rework")),
                             reference=reference)
    if ui.perform(work.record_inspection, cmd, where="inspect",
                  done=t("ins.done", lot=code, which=which, passed=passed, rejected=rejected)):
        s["inspect_passed"] = s["inspect_rejected"] = 0
        s["inspect_defects"] = []
        s["inspect_rework"] = False
        ui.spend_reference("inspect")
