"""The enterprise page's documents and order management: statements as PDF (draft or final, every past period),
an order template filled with the enterprise's own data, and cancelling an order with a reason."""

from __future__ import annotations

from functools import partial

import streamlit as st
from pydantic import ValidationError
from sqlmodel import Session, col, select

from dashboard import csv_ui, data, names, ui
from dashboard.format import TZ, due, md, money, number
from domain.lifecycle.order import takes_work
from domain.pay.money import format_rate
from domain.pay.statement_pdf import StatementRow, statement_to_pdf
from domain.sheets import XLSX_MEDIA_TYPE, write_xlsx
from schemas import commands as c
from schemas.rates import BASE_FIELD, RateError, parse_rate
from store.tables import Enterprise, Order, Product
from usecases import orders
from usecases.errors import Rejected
from usecases.queries.dashboard_enterprise import draft_wage, enterprise_order_template
from usecases.queries.dashboard_views import EnterpriseView, OrderProgress, Statement
from usecases.reasons import validation_reason


def _enterprise(enterprise_id: str) -> Enterprise | None:
    def query(session: Session) -> Enterprise | None:
        return session.get(Enterprise, enterprise_id)
    return data.read_public(query)


def statement_label(s: Statement) -> str:
    """'工资期 2026年11月下半月 · 草稿 · ¥1,234.00': the period as people name it (names.period_label), whether its
    figures are final, the total."""
    mark = ui.t("en.final") if s.final else ui.t("en.draft")
    return f"{ui.t('res.period', period=names.period_label(s.period_id))} · {mark} · {money(s.total_fen, ui.lang())}"


def statement_pdf(v: EnterpriseView, s: Statement) -> None:
    """Whether the statement is final, and its PDF (marked 草稿 or 正式 in the document and the file name)."""
    st.caption(ui.t("en.final_note") if s.final else ui.t("en.draft_note"))
    enterprise = _enterprise(v.enterprise_id)
    st.download_button(ui.t("en.statement_pdf"), key=f"st-pdf-{s.period_id}", mime="application/pdf",
                       file_name=f"结算单-{names.period_label(s.period_id)}-{'正式' if s.final else '草稿'}.pdf",
                       data=partial(_pdf, s, enterprise.name if enterprise else v.enterprise_id,
                                    enterprise.uscc if enterprise else "",
                                    {p.order.id: p.label for p in v.orders if p.label}))


def _pdf(s: Statement, name: str, uscc: str, labels: dict[str, str]) -> bytes:
    rows = [StatementRow(order=labels.get(line.order_id, line.order_id), pieces_passed=line.pieces_passed,
                         residents_pay_fen=line.residents_pay_fen, service_fee_fen=line.service_fee_fen,
                         total_fen=line.total_fen) for line in s.lines]
    return statement_to_pdf(enterprise_name=name, uscc=uscc, period_id=s.period_id, final=s.final, rows=rows,
                            issued_at=data.now().astimezone(TZ))


def template() -> None:
    """The enterprise's one order template (issue 15), CSV and Excel from the same sheet and writers as every
    other template: its id, credit code, communities, site and due time filled in under the Chinese headers the
    import reads; the note names the product codes a copied row may take."""
    actor = ui.current_actor()
    assert actor is not None and actor.enterprise_id is not None  # the page is for a signed-in enterprise
    sheet = data.read(enterprise_order_template, actor, now=data.now())
    products = data.read_public(lambda session: list(session.exec(select(Product).order_by(col(Product.code)))))
    st.markdown(f"**{ui.t('en.template_title')}**")
    listed = [md(f"{p.code} ({p.name})" if ui.lang() == "en" else f"{p.code}（{p.name}）") for p in products]
    st.caption(ui.t("en.template_note", products=(", " if ui.lang() == "en" else "、").join(listed)))
    left, right = st.columns(2)
    left.download_button(ui.t("en.template_xlsx"), data=partial(write_xlsx, [sheet]), mime=XLSX_MEDIA_TYPE,
                         file_name=f"订单模板-{actor.enterprise_id}.xlsx", key="tpl-xlsx")
    right.download_button(ui.t("en.template_csv"), data=csv_ui.csv_bytes(sheet), mime="text/csv",
                          file_name=f"订单模板-{actor.enterprise_id}.csv", key="tpl-csv")


def order_name(p: OrderProgress) -> str:
    """For pickers (issue 15): '编织网兜-1129-01 · 编织网兜 · 500 件', or the enterprise's own PO number first;
    never the internal id."""
    label = p.label or p.order.id
    product = p.product_name or p.order.product_code
    parts = [label] if label.startswith(product) else [label, product]
    return " · ".join([*parts, f"{number(p.order.quantity, ui.lang())} {ui.t('res.pieces')}"])


def cancel_form(v: EnterpriseView) -> None:
    """Cancel one of the enterprise's live orders, with the reason the residents and coordinators are told."""
    ui.show_flash("cancel")  # before anything else: the order just cancelled is no longer listed
    live = [p for p in v.orders if takes_work(p.order.status)]
    if not live:
        st.info(ui.t("en.nothing_to_cancel"))
        return
    lang = ui.lang()
    names = {p.order.id: f"{order_name(p)} · {ui.t('col.due')} {due(p.order.due_at, lang)}" for p in live}
    st.selectbox(ui.t("col.order"), list(names), format_func=lambda i: names.get(i, i), key="cx_order",
                 placeholder=ui.t("en.pick_order"), index=None)
    st.text_input(ui.t("co.reason"), key="cx_reason")
    st.button(ui.t("en.cancel"), key="cx_go", on_click=_cancel)


def rate_form(v: EnterpriseView) -> None:
    """Change a live order's piece rate, with the reason (kept with every rate the order has had); lots already
    accepted keep the rate they were accepted at."""
    live = [p for p in v.orders if takes_work(p.order.status)]
    if not live:
        return
    names = {p.order.id: order_name(p) for p in live}
    st.subheader(ui.t("en.change_rate"))
    ui.show_flash("rate")
    st.selectbox(ui.t("col.order"), list(names), format_func=lambda i: names.get(i, i), key="rt_order",
                 placeholder=ui.t("en.pick_order"), index=None)
    st.text_input(ui.t("en.new_rate"), key="rt_rate", placeholder="1.30")
    st.text_input(ui.t("co.reason"), key="rt_reason")
    st.button(ui.t("en.change_rate"), key="rt_go", on_click=_change_rate)


def _change_rate() -> None:
    s = st.session_state
    order_id, reason = s.get("rt_order"), str(s.get("rt_reason") or "").strip()
    if not order_id:
        ui.say("rate", "error", ui.t("en.pick_order"))
        return
    if len(reason) < 2:
        ui.say("rate", "error", ui.t("co.reason_needed"))
        return
    try:  # the command reads the rate as written (up to 0.0001 yuan) and names what is wrong with it
        cmd = c.ChangeRate(piece_rate_yuan=str(s.get("rt_rate") or "").strip(), reason=reason)
    except ValidationError as problem:
        reason_in_words = validation_reason(problem.errors()[0], "en" if ui.lang() == "en" else "zh")
        ui.say("rate", "error", ui.t("err.rejected", field=ui.t("en.new_rate"), reason=reason_in_words))
        return
    if ui.perform(orders.change_rate, order_id, cmd, done=ui.t("en.rate_changed"), where="rate"):
        s["rt_reason"] = ""


def _cancel() -> None:
    s = st.session_state
    order_id, reason = s.get("cx_order"), str(s.get("cx_reason") or "").strip()
    if not order_id:
        ui.say("cancel", "error", ui.t("en.pick_order"))
        return
    if len(reason) < 2:
        ui.say("cancel", "error", ui.t("co.reason_needed"))
        return
    if ui.perform(orders.cancel_order, order_id, c.CancelOrder(reason=reason), done=ui.t("en.cancelled"),
                  where="cancel"):
        s["cx_reason"] = ""


def post(cmd: c.PostOrder) -> None:
    """Post the order (a rate below the local minimum wage was already shown by wage_preview while it was typed;
    the order is posted and flagged: refusing it is a deployment's choice, REFUSE_BELOW_MINIMUM_WAGE).

    The enterprise's own purchase-order number, if given (key po_ref), becomes the order's id.
    """
    po = str(st.session_state.get("po_ref") or "").strip()
    if po:
        cmd = cmd.model_copy(update={"order_id": po})

    def done(result: tuple[Order, object]) -> str:
        order = result[0]
        # Its PO number when it gave one, else the product and quantity: never the internal id (issue 15).
        return ui.t("en.posted_as", id=po or f"{_product_name(order.product_code)} {number(order.quantity)} 件")

    if ui.perform(orders.post_order, cmd, done=done, where="post"):
        ui.spend_reference("post")  # posted: the next order is another, with a fresh reference


def _product_name(code: str) -> str:
    def query(session: Session) -> str:
        product = session.get(Product, code)
        return product.name if product else code
    return data.read_public(query)


def wage_preview(enterprise_id: str) -> None:
    """While the order is typed (issue 15): what the rate pays an hour at standard speed against the local minimum
    of the chosen communities, and the rate that meets it — usecases.queries.dashboard_enterprise.draft_wage, the
    rule post_order applies. Reads the form's keys (po_product, po_rate, po_rate_per, po_communities); says nothing
    about a rate that cannot be read (posting names what is wrong with it)."""
    s = st.session_state
    per = int(s.get("po_rate_per") or 1)
    try:
        rate = parse_rate(str(s.get("po_rate") or "").strip(), per=per, field=BASE_FIELD[per])
    except RateError:
        return
    actor = ui.current_actor()
    if actor is None or not enterprise_id:
        return
    communities = list(s.get("po_communities") or [])
    try:
        wage = data.read(draft_wage, actor, product_code=str(s.get("po_product") or ""), community_ids=communities,
                         piece_rate_centifen=rate.centifen, now=data.now())
    except Rejected:  # a community without a known minimum: post_order names it
        return
    lang = ui.lang()
    if wage is None:
        st.caption(ui.t("en.wage_needs_communities"))
    elif wage.below:
        st.warning(ui.t("en.below_minimum", hourly=money(wage.hourly_fen_at_standard_speed, lang),
                        minimum=money(wage.min_hourly_wage_fen, lang),
                        rate=format_rate(wage.min_piece_rate_centifen, 1, lang)),  # exact: 0.0001 yuan (issue 16)
                   icon=":material/warning:")
    else:
        st.caption(ui.t("en.wage_ok", hourly=money(wage.hourly_fen_at_standard_speed, lang),
                        minimum=money(wage.min_hourly_wage_fen, lang)))
