"""The enterprise (合作企业): its orders' progress, quality, forecast and cost; statements; posting orders."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from sqlmodel import Session, select

from dashboard import charts, csv_ui, data, enterprise_parts, inbox_parts, names, paging, phone_tables, ui
from dashboard.format import TZ, due, money, number, percent, rate, rate_basis, when
from domain.lifecycle.order import takes_work
from domain.orders import csv_import
from domain.sheets import XLSX_MEDIA_TYPE
from schemas import commands as c
from schemas.rates import BASE_FIELD, QUOTE_BASES
from store.tables import Community, Product, Site
from usecases import imports
from usecases.actors import Actor
from usecases.queries import exports
from usecases.queries.dashboard_enterprise import enterprise_view
from usecases.queries.dashboard_views import EnterpriseView, OrderProgress
from usecases.reasons import validation_reason

DUE_TIME = time(18, 0)  # the due time the order form starts from (Asia/Shanghai): the end of a work day
ORDERS_PAGE = 10  # orders shown in each list before "show more"
SECTIONS = ("post", "manage", "upload")  # a new section is one entry here and one branch in show_section()
SECTION = "en_section"


@st.fragment(run_every=ui.REFRESH_S)
def live(actor: Actor) -> None:
    with ui.guarded(), st.spinner(ui.t("loading")):
        show(data.read(enterprise_view, actor, now=data.now(), service_fee_bps=data.settings().service_fee_bps), actor)


def show(v: EnterpriseView, actor: Actor) -> None:
    lang = ui.lang()
    passed = sum(o.order.pieces_passed for o in v.orders)
    judged = passed + sum(o.order.pieces_rejected for o in v.orders)
    a, b, c_, d = st.columns(4)
    a.metric(ui.t("en.orders_open"), number(sum(takes_work(o.order.status) for o in v.orders), lang))
    b.metric(ui.t("en.pieces_passed"), number(passed, lang))
    c_.metric(ui.t("en.pass_rate"), percent(passed / judged if judged else None, lang))
    d.metric(ui.t("en.cost"), money(v.cost_to_date_fen, lang))
    # In work first; ended orders (delivered, cancelled, expired) folded away, each list paged: all 153 orders as
    # lines made the phone page 24,450 px tall, the posting form under them (new-user trial).
    in_work = [p for p in v.orders if takes_work(p.order.status)]
    ended = [p for p in v.orders if not takes_work(p.order.status)]
    st.subheader(ui.t("en.orders"))
    if in_work or not ended:
        order_table(in_work[:paging.shown("en-in-work", ORDERS_PAGE)], "orders", lang)
        paging.more_button("en-in-work", len(in_work), ORDERS_PAGE)
    else:
        st.caption(ui.t("en.none_in_work"))
    if ended:
        with st.expander(ui.t("en.ended", n=len(ended))):
            order_table(ended[:paging.shown("en-ended", ORDERS_PAGE)], "orders-ended", lang)
            paging.more_button("en-ended", len(ended), ORDERS_PAGE)
    defects = [{"code": d.name or d.code, "n": d.inspections} for p in v.orders for d in p.defects]  # issue 15
    if defects:
        st.subheader(ui.t("en.defects"))
        st.altair_chart(charts.bars(defects, x="code", y="n", x_title=ui.t("col.defect"),
                                    y_title=ui.t("col.inspections")), width="stretch")
    st.subheader(ui.t("en.statements"))
    rates = {p.order.id: rate(p.order.piece_rate_centifen, p.order.rate_per, lang) for p in v.orders}
    labels = {p.order.id: p.label or p.order.id for p in v.orders}
    for s in v.statements:
        with st.expander(enterprise_parts.statement_label(s)):
            enterprise_parts.statement_pdf(v, s)
            phone_tables.table(pd.DataFrame([{
                ui.t("col.order"): labels.get(line.order_id, line.order_id),
                ui.t("en.rate"): rates.get(line.order_id, ""),
                ui.t("col.passed"): line.pieces_passed,
                ui.t("en.residents_pay"): money(line.residents_pay_fen, lang),
                ui.t("en.fee"): money(line.service_fee_fen, lang), ui.t("en.total"): money(line.total_fen, lang),
            } for line in s.lines]), f"statement-{s.period_id}", bare=1)
            st.markdown(ui.t("en.statement_total", pay=money(s.residents_pay_fen, lang),
                             fee=money(s.service_fee_fen, lang), total=money(s.total_fen, lang)))
            st.download_button(ui.t("xlsx.download"), data=statement_xlsx(actor, s.period_id),  # issue 16
                               file_name=f"结算单-{names.period_label(s.period_id)}.xlsx", mime=XLSX_MEDIA_TYPE,
                               key=f"statement-xlsx-{s.period_id}")


def order_table(orders: list[OrderProgress], key: str, lang: str) -> None:
    """Orders as a table on a desktop and as lines on a phone (phone_tables); '暂无' when there are none."""
    # On a phone each order reads as lines (phone_tables): fourteen columns scrolled sideways at 390 px (issue 15).
    phone_tables.table(pd.DataFrame([{
        ui.t("col.order"): p.label or p.order.id, ui.t("col.product"): p.product_name or p.order.product_code,
        ui.t("en.rate"): rate(p.order.piece_rate_centifen, p.order.rate_per, lang), ui.t("col.status"):
        ui.t(f"status.{p.order.status}"), ui.t("col.quantity"): p.order.quantity,
        ui.t("col.issued"): p.order.pieces_issued, ui.t("col.submitted"): p.order.pieces_submitted,
        ui.t("col.passed"): p.order.pieces_passed, ui.t("col.rejected"): p.order.pieces_rejected,
        ui.t("en.pass_rate"): percent(p.pass_rate, lang), ui.t("col.due"): due(p.order.due_at, lang),
        **delivery_cells(p, lang),
        ui.t("en.cost"): money(p.order.cost_to_date_fen, lang),
    } for p in orders]), key)


def delivery_cells(p: OrderProgress, lang: str) -> dict[str, str]:
    """预计完成/能否按期 for an order still in work (a forecast); 交付时间/按期交付 once it has ended (the fact, or
    '—' for one cancelled or expired undelivered)."""
    yes_no = "—" if p.on_time is None else ui.t("yes" if p.on_time else "no")
    if takes_work(p.order.status):
        return {ui.t("en.projected"): when(p.projected_done_at, lang), ui.t("en.on_time"): yes_no}
    return {ui.t("en.delivered"): when(p.delivered_at, lang), ui.t("en.delivered_on_time"): yes_no}


def statement_xlsx(actor: Actor, period_id: str) -> partial[bytes]:
    """The enterprise's settlement statement for the period as the API's .xlsx gives it, made when the button is
    pressed. Streamlit runs a download button's callable outside the script run, where st.session_state is not
    the signed-in session's (the sign-in is not there: AssertionError, "Callable execution failed"), so the actor
    and the period are bound here, as the button is drawn, and nothing in the callable reads the session."""
    return partial(data.read, exports.settlement_xlsx, actor, actor.enterprise_id or "", period_id,
                   service_fee_bps=data.settings().service_fee_bps)


def _catalogue(session: Session) -> tuple[list[Product], list[Community], list[Site]]:
    return (list(session.exec(select(Product))), list(session.exec(select(Community))),
            list(session.exec(select(Site))))


def _picker_names(products: list[Product], communities: list[Community],
                  sites: list[Site]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """{code or id: name} for the posting form's pickers: names only, never the internal ids (new-user trial); a
    shared name told apart by what the enterprise knows — a community by its street, a site by its community, a
    product by its standard time."""
    en = ui.lang() == "en"
    minutes = "{:g} min/piece" if en else "每件{:g}分钟"
    community = {x.id: x for x in communities}
    return (names.distinct_names(((p.code, p.name, minutes.format(p.standard_minutes_per_piece)) for p in products),
                                 en=en),
            names.distinct_names(((x.id, x.name, x.street) for x in communities), en=en),
            names.distinct_names(((x.id, x.name, community[x.community_id].name if x.community_id in community
                                   else "") for x in sites), en=en))


def post_form(actor: Actor) -> None:
    """The order, field by field. Not an st.form: a form sends nothing until it is submitted, and the rate is judged
    against the local minimum wage while it is typed (issue 15), so every choice reruns the page; the section and
    the values live in st.session_state under these keys, so a rerun leaves the enterprise where it was."""
    products, communities, sites = data.read_public(_catalogue)
    product_names, community_names, site_names = _picker_names(products, communities, sites)
    st.selectbox(ui.t("col.product"), [p.code for p in products], key="po_product", format_func=product_names.get)
    st.number_input(ui.t("col.quantity"), min_value=1, value=100, step=10, key="po_quantity")
    # As enterprises quote hand-work: ¥0.035 a piece, or ¥35 per 1,000 pieces (exact to 0.0001 yuan a piece).
    # No rate filled in for her: a default (it was ¥1.25) is a figure nobody chose, below the local minimum wage for
    # slow products; the wage preview judges what she types, and posting an empty rate names the field.
    st.text_input(ui.t("en.rate_yuan"), value="", key="po_rate", placeholder=ui.t("en.rate_placeholder"))
    st.selectbox(ui.t("en.rate_per"), QUOTE_BASES, key="po_rate_per", format_func=lambda n: rate_basis(n, ui.lang()))
    # The day and the hour: the goods are due at a time of day (the CSV import takes both; this form sent 18:00 of
    # the chosen day whatever the enterprise meant, new-user trial). 18:00 stays the default, the end of a work day.
    day, hour = st.columns(2)
    day.date_input(ui.t("col.due"), value=(data.now().astimezone(TZ) + timedelta(days=14)).date(), key="po_due")
    hour.time_input(ui.t("en.due_time"), value=DUE_TIME, step=timedelta(minutes=30), key="po_due_time")
    st.multiselect(ui.t("en.communities"), [x.id for x in communities], key="po_communities",
                   format_func=community_names.get,
                   placeholder=ui.t("en.pick_communities"), select_all=False)  # no English "Select all"
    st.selectbox(ui.t("en.pickup"), [s.id for s in sites], key="po_pickup",
                 format_func=site_names.get)
    st.checkbox(ui.t("en.take_home"), value=True, key="po_take_home")
    st.text_input(ui.t("en.po"), key="po_ref", max_chars=64, placeholder="PO-2026-0118")
    enterprise_parts.wage_preview(actor.enterprise_id or "")  # before the button: the enterprise can still change it
    ui.show_flash("post")  # the outcome of pressing 发布, beside the button
    st.button(ui.t("en.post"), key=ui.entry_key("post", "po_go"), type="primary", on_click=_post,
              args=(actor.enterprise_id or "", ui.entry_reference("post")))


def _post(enterprise_id: str, reference: str) -> None:
    s = st.session_state
    due_at = datetime.combine(s["po_due"], s.get("po_due_time") or DUE_TIME, tzinfo=TZ)
    # The rate goes to the command as written (per piece, 100 or 1,000): the command checks it and names the field.
    quoted = {BASE_FIELD[int(s.get("po_rate_per") or 1)]: str(s.get("po_rate", "")).strip()}
    try:
        cmd = c.PostOrder(enterprise_id=enterprise_id, product_code=s["po_product"], quantity=int(s["po_quantity"]),
                          **quoted, due_at=due_at, eligible_community_ids=list(s["po_communities"]),
                          pickup_site_id=s["po_pickup"], take_home_allowed=bool(s["po_take_home"]),
                          reference=reference)
    except ValidationError as problem:
        first = problem.errors()[0]  # the field as the form labels it, the reason in the reader's words (issue 15)
        field = ui.field_name(str(first["loc"][0])) if first["loc"] else ""
        reason = validation_reason(first, "en" if ui.lang() == "en" else "zh")
        ui.say("post", "error", ui.t("err.rejected", field=field, reason=reason))
        return
    enterprise_parts.post(cmd)


def show_section(section: str, actor: Actor) -> None:
    if section == "manage":
        view = data.read(enterprise_view, actor, now=data.now(), service_fee_bps=data.settings().service_fee_bps)
        enterprise_parts.cancel_form(view)
        enterprise_parts.rate_form(view)
    elif section == "upload":  # the enterprise's own template is the only one offered (issue 15)
        csv_ui.importer("orders", csv_import.import_orders, imports.import_orders, template=enterprise_parts.template)
    else:
        post_form(actor)


actor = ui.require_role("enterprise")
phone_tables.install_css()
st.title(ui.t("page.enterprise"))
ui.show_flash()
with ui.guarded():
    # What an enterprise does here first (post, manage, upload), on the first screen; its orders' progress below.
    # One section at a time, kept in st.session_state (as on the coordinator's page): st.tabs forgot the open tab on
    # every rerun, so a choice in a later tab sent the enterprise back to the first (issue 15).
    inbox_parts.messages(actor)  # orders ended, minimum-wage flags: the notifier's messages to the enterprise
    st.session_state.setdefault(SECTION, "post")
    chosen = st.segmented_control(ui.t("en.section"), SECTIONS, format_func=lambda s: ui.t(f"en.tab_{s}"),
                                  key=SECTION, label_visibility="collapsed")
    show_section(chosen or "post", actor)
st.divider()
live(actor)
