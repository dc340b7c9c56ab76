"""Choosing a lot three ways: from a list (short code · product · resident), by scanning its label, or by its code."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import data, names, scan
from dashboard.coordinator_text import t
from dashboard.format import md
from domain.orders import lot_codes
from domain.orders.labels import QR_PREFIX
from usecases.actors import Actor
from usecases.errors import NotFound, Rejected
from usecases.queries import reads
from usecases.queries.lot_scan import scan_lot
from usecases.queries.views import LotView

HOW = ("list", "scan", "type")


@dataclass(frozen=True)
class Picked:
    """The lot chosen, and the label's QR text when it was scanned (the use case checks the label again)."""

    lot: LotView
    qr: str | None = None


def pick_lot(actor: Actor, lots: list[LotView], people: dict[str, str], *, key: str) -> Picked | None:
    """A lot among `lots`, found the way the coordinator chose; None (with a sentence shown) when none is found.

    Widget keys start with `key`, so the choice survives the rerun after an action.
    """
    if not lots:
        st.info(t("pick.none"))
        return None
    how = st.radio(t("pick.how"), HOW, format_func=lambda h: t(f"pick.{h}"), horizontal=True, key=f"{key}_how")
    by_id = {lot.id: lot for lot in lots}
    if how == "scan":
        return _scanned(actor, by_id, people, key)
    if how == "type":
        return _typed(actor, by_id, people, key)
    chosen = st.selectbox(t("pick.lot"), list(by_id), format_func=lambda i: names.lot_label(by_id[i], people),
                          key=f"{key}_lot")
    return Picked(by_id[chosen]) if chosen in by_id else None


def _scanned(actor: Actor, by_id: dict[str, LotView], people: dict[str, str], key: str) -> Picked | None:
    photo = st.camera_input(t("pick.camera"), key=f"{key}_camera")
    if photo is None:
        return None
    texts = [x for x in scan.qr_texts(photo.getvalue()) if x.startswith(f"{QR_PREFIX}:")]
    if not texts:
        st.warning(t("pick.no_qr"))
        return None
    try:
        lot = data.read(scan_lot, actor, texts[0], secret=data.settings().secret_key)
    except (Rejected, NotFound):
        st.error(t("pick.not_ours"))
        return None
    return _found(by_id, people, lot, texts[0])


def _typed(actor: Actor, by_id: dict[str, LotView], people: dict[str, str], key: str) -> Picked | None:
    code = st.text_input(t("pick.typed"), key=f"{key}_code").strip()
    if not code:
        return None
    found = data.read(reads.lots, actor, lot_id=code, limit=5)
    if found:
        return _found(by_id, people, found[-1], None)  # the newest lot of that code (a code repeats a year later)
    # Only the day and sequence off the label ('1201-08'): among her own lots, if it names one.
    mine = {names.lot_code(lot): lot for lot in by_id.values()}
    named = lot_codes.codes_named(code, mine)
    if len(named) == 1:
        return _found(by_id, people, mine[named[0]], None)
    if named:
        st.error(t("pick.ambiguous", code=md(code), codes=md("、".join(sorted(named))), example=md(sorted(named)[0])))
    else:
        st.error(t("pick.not_found", code=md(code)))
    return None


def _found(by_id: dict[str, LotView], people: dict[str, str], lot: LotView, qr: str | None) -> Picked | None:
    mine = by_id.get(lot.id)
    if mine is None:
        st.error(t("pick.not_found", code=md(names.lot_code(lot))))
        return None
    # Who holds it, as the list names it: she checks the materials go to the right person before she hands them out.
    st.success(t("pick.found", label=md(names.lot_label(mine, people))))
    return Picked(mine, qr)
