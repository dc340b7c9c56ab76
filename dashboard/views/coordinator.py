"""The coordinator's board (社区工作台): what waits, then one section at a time — dispatch, materials, hand-ins for
residents, inspection, pay, appeals and residents' sign-ins.

No timer reruns this page: a refresh every few seconds closed any open dropdown. The figures are read on each run
(every action reruns the page) and on 刷新. The section and every choice live in st.session_state under widget keys,
so after an action the coordinator is where they were, with the outcome under the button they pressed; the section
is also kept in the address (?section=inspect), so a reload reopens it rather than 概况.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import coordinator_forms as forms
from dashboard import (
    coordinator_pay,
    coordinator_people,
    coordinator_work,
    data,
    inbox_parts,
    names,
    pay_forms,
    points_parts,
    rating_parts,
    resident_parts,
    ui,
    volunteer_parts,
)
from dashboard.coordinator_text import t
from dashboard.format import due, md, money, number, when
from dashboard.phone_tables import table
from domain.lifecycle.lot import UNFINISHED, LotStatus
from usecases.actors import Actor
from usecases.notify import escalation_reason
from usecases.queries.dashboard import coordinator_board, visible_communities
from usecases.queries.dashboard_resident import resident_home
from usecases.queries.dashboard_views import CoordinatorBoard
from usecases.queries.pay_board import hourly_this_period, overdue_periods
from usecases.queries.pay_views import HourlyView
from usecases.queries.views import LotView
from usecases.sign_ins import residents_signed_in
from usecases.workload import plates

# Sections in the order of a day's work; a new section is one entry here and one branch in show_section().
SECTIONS = ("board", "dispatch", "materials", "handin", "proxy", "inspect", "pay", "appeals", "points", "signin")
SECTION = "co_section"
# The section also rides in the address (?section=inspect), so a reload, which starts a new session and forgets
# st.session_state, opens the section the coordinator was on; only the section's name goes there, never the token.
SECTION_PARAM = "section"
# Streamlit's own English: the "Press Enter to apply" hint under inputs, and the camera's "Take Photo"/"Clear photo".
CSS = """<style>
[data-testid='InputInstructions'] {display: none;}
[data-testid='stCameraInputButton'] {font-size: 0 !important;}
[data-testid='stCameraInputButton']::after {content: '拍照 / 重拍'; font-size: 1rem;}
@media (max-width: 640px) {[class*='st-key-wide-'] {display: none;}}
@media (min-width: 641px) {[class*='st-key-narrow-'] {display: none;}}
</style>"""


def metrics(b: CoordinatorBoard) -> None:
    lang = ui.lang()
    counts = {"open": len(b.open_lots), "pending": len(b.pending_offers), "overdue": len(b.overdue_lots),
              "escalated": len(b.escalations), "queue": len(b.inspection_queue)}
    # A row that wraps (not columns, which stack one under another on a phone and push the work off the screen).
    with st.container(horizontal=True, gap="large"):
        for key, n in counts.items():
            st.metric(ui.t(f"co.{key}"), number(n, lang), width="content")


def overview(actor: Actor, b: CoordinatorBoard, people: dict[str, str]) -> None:
    """The lists behind the figures, lots by short code and product, people by name."""
    lang = ui.lang()
    lots = {lot.id: lot for lot in b.lots}
    low = sorted(names.lot_code(lot) for lot in b.lots if lot.below_minimum_wage and lot.status in UNFINISHED)
    if low:  # accepted and flagged for her (REFUSE_BELOW_MINIMUM_WAGE=false): before she dispatches or issues them
        st.warning(ui.t("co.low_rate", n=number(len(low), lang), lots="、".join(low[:10]) + ("…" if len(low) > 10
                                                                                           else "")))
    inbox_parts.messages(actor)  # escalations, appeals filed, orders ending: the notifier's messages to her
    st.subheader(ui.t("co.pending"))
    cols = [ui.t("col.lot"), ui.t("col.product"), ui.t("col.resident"), ui.t("col.pieces"), ui.t("col.expires")]
    table(pd.DataFrame([[
        _code(lots, p.offer.lot_id, p.offer.lot_short_code), p.offer.product_name + _low(lots.get(p.offer.lot_id)),
        people.get(p.offer.resident_id, ""),
        p.offer.pieces, when(p.offer.expires_at, lang)] for p in b.pending_offers], columns=cols), "pending", bare=3)
    for key, group in (("open", b.open_lots), ("overdue", b.overdue_lots), ("escalated", b.escalations)):
        st.subheader(ui.t(f"co.{key}"))
        table(_lot_table(group, people), key, bare=3)
    st.subheader(ui.t("co.queue"))
    cols = [ui.t("col.lot"), ui.t("col.product"), ui.t("col.resident"), ui.t("col.pieces"), ui.t("col.submitted")]
    table(pd.DataFrame([[
        _code(lots, s.lot_id), lots[s.lot_id].product_name if s.lot_id in lots else "", people.get(s.resident_id, ""),
        s.pieces, when(s.submitted_at, lang)] for s in b.inspection_queue], columns=cols), "queue", bare=3)
    hourly(data.read(hourly_this_period, actor, now=data.now()), people)


def _low(lot: LotView | None) -> str:
    """The mark of a lot whose order pays below the minimum wage ('（单价低于最低工资）'), else nothing."""
    return ui.t("co.low_rate_mark") if lot is not None and lot.below_minimum_wage else ""


def _code(lots: dict[str, LotView], lot_id: str, short: str | None = None) -> str:
    return short or (names.lot_code(lots[lot_id]) if lot_id in lots else "")


def _lot_table(lots: list[LotView], people: dict[str, str]) -> pd.DataFrame:
    lang = ui.lang()
    columns = [ui.t("col.lot"), ui.t("col.product"), ui.t("col.status"), ui.t("col.resident"), ui.t("col.pieces"),
               ui.t("col.due")]
    return pd.DataFrame([[names.lot_code(lot), lot.product_name + _low(lot), _status(lot, lang),
                          people.get(lot.resident_id or "", ""), lot.pieces, due(lot.due_at, lang)]
                         for lot in lots], columns=columns)


def _status(lot: LotView, lang: str) -> str:
    """A lot's status; an escalated one says why the matcher could not place it (usecases.notify's wording), so
    the coordinator knows whether to dispatch by hand, add a skill or wait (the column repeated '需人工处理')."""
    status = ui.t(f"status.{lot.status}")
    why = escalation_reason(lot.escalation, lang) if lot.status == LotStatus.ESCALATED else None
    return f"{status}：{why}" if why and lang != "en" else f"{status}: {why}" if why else status


def hourly(views: list[HourlyView], people: dict[str, str]) -> None:
    """Who earns less per hour than the minimum wage this period, counting pick-up and delivery."""
    lang = ui.lang()
    st.subheader(ui.t("co.hourly"))
    if not views:
        st.info(ui.t("co.hourly_none"))
        return
    below = [v for v in views if v.shortfall_fen > 0]
    if below:
        st.warning(ui.t("co.below_minimum", n=number(len(below), lang),
                        minimum=money(below[0].min_hourly_wage_fen, lang)))
    columns = [ui.t("col.resident"), ui.t("col.earned"), ui.t("col.hours"), ui.t("col.per_hour"),
               ui.t("col.minimum"), ui.t("col.shortfall"), ui.t("col.topped_up")]
    table(pd.DataFrame([[
        people.get(v.resident_id, v.resident_name), money(v.earned_fen, lang),
        number(round(v.minutes_total / 60, 1), lang),
        money(v.effective_hourly_fen, lang) if v.effective_hourly_fen is not None else "—",
        money(v.min_hourly_wage_fen, lang), money(v.shortfall_fen, lang) if v.shortfall_fen else "",
        money(v.topped_up_fen, lang) if v.topped_up_fen else "",
    ] for v in views], columns=columns), "hourly", bare=1)


def on_behalf(actor: Actor, board: CoordinatorBoard, people: dict[str, str]) -> None:
    """代办: a coordinator answers offers for a resident without a phone; every act is recorded as such."""
    # Each with her load as the matching rules count it (held lots and unanswered offers), so the coordinator sees
    # who already has work: '王秀英 · 在手 1 批 60 件（含待答复 1 批）', '李桂兰 · 空闲'. Those with an offer to answer
    # come first, so the picker opens on someone the coordinator has something to do for, not the first name.
    loads = data.read(plates, actor)
    waiting = {p.offer.resident_id for p in board.pending_offers}
    phoneless = sorted((r.id for r in board.residents if r.phone is None),
                       key=lambda r: (r not in waiting, people[r]))
    if not phoneless:
        st.info(ui.t("proxy.none"))
        return
    resident_id = st.selectbox(ui.t("proxy.pick"), phoneless, key="proxy_resident",
                               format_func=lambda r: f"{people[r]} · {names.load_label(loads.get(r))}")
    if resident_id is None:
        return
    st.warning(ui.t("proxy.banner", name=md(people[resident_id])), icon=":material/front_hand:")
    home = data.read(resident_home, actor, resident_id, now=data.now())
    resident_parts.offer_cards(home)
    ui.show_flash()  # the resident's own cards report without a place
    resident_parts.lot_list(home)
    rating_parts.rate_services(actor, resident_id)  # issue 17: the resident's rating, recorded


def section_asked() -> str:
    """The section the address names (?section=…, kept there by keep_section), else 概况: what a reload reopens."""
    asked = st.query_params.get(SECTION_PARAM)
    return asked if asked in SECTIONS else "board"


def keep_section(section: str) -> None:
    """Write the section shown into the address, so a reload of this page comes back to it (概况 needs none)."""
    if section == "board":
        st.query_params.pop(SECTION_PARAM, None)
    elif st.query_params.get(SECTION_PARAM) != section:
        st.query_params[SECTION_PARAM] = section


def show_section(section: str, actor: Actor, board: CoordinatorBoard, people: dict[str, str],
                 communities: dict[str, str]) -> None:
    if section == "dispatch":
        forms.dispatch(actor, board, people)
        st.subheader(ui.t("co.tab_withdraw"))
        forms.withdraw(board, people)
        st.subheader(ui.t("co.tab_reassign"))
        forms.reassign(board, people)
    elif section == "materials":
        coordinator_work.materials(actor, board, people)
    elif section == "handin":
        coordinator_work.hand_in(board, people)
    elif section == "proxy":
        on_behalf(actor, board, people)
    elif section == "inspect":
        defects = {p.code: list(p.defect_codes) for p in data.read_public(forms.products)}
        coordinator_work.inspect(board, people, defects)
    elif section == "pay":
        coordinator_pay.section(actor, data.read(overdue_periods, actor, now=data.now()), communities)
        pay_forms.section(actor, board)  # issue 16: debts, bonus or recovery, corrections for a second coordinator
    elif section == "appeals":
        coordinator_people.appeals_section(actor, people)
    elif section == "points":
        volunteer_parts.section(actor, people, communities)  # 志愿服务: record one, withdraw one recorded in error
        points_parts.coordinator_section(actor, communities)  # issue 17: the monthly 公示 to read, print and post
    elif section == "signin":
        coordinator_people.sign_ins(board, people, data.read(residents_signed_in, actor))
    else:
        overview(actor, board, people)


actor = ui.require_role("coordinator")
st.markdown(CSS, unsafe_allow_html=True)
head, refresh = st.columns([5, 1], vertical_alignment="bottom")
head.title(ui.t("page.coordinator"))
refresh.button(t("refresh"), key="co_refresh")  # a click reruns the page: fresh figures, choices kept
ui.show_flash()
with ui.guarded():
    now = data.now()
    board = data.read(coordinator_board, actor, now=now)
    people = names.people_names(board.residents)
    communities = {c.id: c.name for c in data.read(visible_communities, actor)}
    coordinator_pay.late_pay(data.read(overdue_periods, actor, now=now), communities)
    metrics(board)
    st.session_state.setdefault(SECTION, section_asked())
    chosen = st.segmented_control(t("sec.label"), SECTIONS, format_func=lambda s: t(f"sec.{s}"), key=SECTION,
                                  label_visibility="collapsed")
    keep_section(chosen or "board")
    show_section(chosen or "board", actor, board, people, communities)
