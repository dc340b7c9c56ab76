"""Spreadsheet exports (.xlsx, and CSV where a bank or an office wants it): pay slips, enterprise settlements,
a period's payout batch and the city's report. Each reads through the scoped query the JSON route uses, so an
export never shows more than the page does; money is yuan with two decimals, rates as posted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.orders import csv_import
from domain.orders.csv_columns import Column
from domain.orders.masking import mask_id_number
from domain.pay import slip_to_csv
from domain.pay.periods import period_name
from domain.report_month import BadMonth, ReportMonth, month_of, parse_month
from domain.sheets import Cell, Sheet, csv_safe, write_xlsx
from store.tables import Community, LedgerPeriod, Payout, PayPeriod, Resident
from usecases.actors import Actor
from usecases.errors import NotFound, Rejected
from usecases.queries import dashboard as board
from usecases.queries import pay as reads
from usecases.queries.dashboard_city import city_income
from usecases.queries.pay import community_period

CHINA = ZoneInfo("Asia/Shanghai")
TEMPLATES: dict[str, tuple[tuple[Column, ...], str]] = {
    "residents": (csv_import.RESIDENT_COLUMNS, csv_import.EXAMPLE_RESIDENTS_CSV),
    "sites": (csv_import.SITE_COLUMNS, csv_import.EXAMPLE_SITES_CSV),
    "orders": (csv_import.ORDER_COLUMNS, csv_import.EXAMPLE_ORDERS_CSV),
}
SLIP_NUMBERS = {3: int, 4: Decimal, 5: Decimal}  # pieces, rate (as posted), amount: numbers in a slip's CSV
BATCH_HEADER = ("序号", "姓名", "身份证号（脱敏）", "居民编号", "应发金额（元）", "已发放（元）", "待发放（元）",
                "付款参考号", "已记录的付款参考号")


def local(moment: datetime) -> datetime:
    """Beijing wall-clock time without a zone: a spreadsheet cell holds no offset."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA).replace(tzinfo=None)


def yuan(fen: int) -> Decimal:
    """Integer fen as exact yuan (1166 → Decimal('11.66'))."""
    return Decimal(fen).scaleb(-2)


def rate_yuan(centifen: int) -> str:
    """A piece rate as posted, in yuan with 2 to 4 decimals (350 → '0.035'; 3500 → '0.35')."""
    exact = Decimal(centifen).scaleb(-4)
    return f"{exact:.2f}" if exact == exact.quantize(Decimal("0.01")) else f"{exact.normalize():f}"


def pay_slip_xlsx(session: Session, actor: Actor, resident_id: str, period_id: str, *, lang: str = "zh") -> bytes:
    """The slip as the CSV export's lines (numbers as numbers), and a summary sheet: who, when, payable, paid."""
    slip, _ = reads.pay_slip(session, actor, resident_id, period_id)
    view = reads.pay_slip_view(session, actor, resident_id, period_id)
    header, *lines = list(csv.reader(io.StringIO(slip_to_csv(slip, "en" if lang == "en" else "zh"))))
    rows: list[list[Cell]] = [[_typed(i, cell) for i, cell in enumerate(line)] for line in lines]
    zh = lang != "en"
    summary: list[list[Cell]] = [
        # By the names people use (new-user trial): the resident told apart only where two share a name, never by
        # her resident number alone; the community by its name.
        ["姓名" if zh else "Name", slip.printed_name],
        ["社区" if zh else "Community", ("、" if zh else ", ").join(slip.printed_communities)],
        ["结算周期" if zh else "Period", period_name(view.period_id, "zh" if zh else "en")],  # '2026年11月下半月'
        ["开始" if zh else "Starts", local(view.starts_at)],
        ["结束（不含）" if zh else "Ends (exclusive)", local(view.ends_at)],
        ["状态" if zh else "State", _state(view.final, zh)],
        ["合计" if zh else "Total", yuan(view.total_fen)], ["应发" if zh else "Payable", yuan(view.payable_fen)],
        ["已发放" if zh else "Paid", yuan(view.paid_fen)],
    ]
    return write_xlsx([Sheet("工资条" if zh else "Pay slip", header, rows, exact_columns=frozenset({4})),
                       Sheet("概要" if zh else "Summary", ["项目" if zh else "Item", "内容" if zh else "Value"],
                             summary)])


def _state(final: bool, zh: bool) -> str:
    if final:
        return "已结算" if zh else "final"
    return "未结算（预览）" if zh else "preview"


def _typed(index: int, cell: str) -> Cell:
    """A number column's cell as a number; a cell that is not one (a rate written per 100 pieces) stays text."""
    kind = SLIP_NUMBERS.get(index)
    if kind is None or not cell:
        return cell
    try:
        return kind(cell)
    except (ValueError, ArithmeticError):
        return cell


def settlement_xlsx(session: Session, actor: Actor, enterprise_id: str, period_id: str, *,
                    service_fee_bps: int) -> bytes:
    """An enterprise's settlement statement: per order pieces passed, rates, residents' pay, fee and total."""
    bill = reads.settlement(session, actor, enterprise_id, period_id, service_fee_bps=service_fee_bps)
    header = ["订单号", "合格件数", "计件单价（元）", "居民工资（元）", "服务费（元）", "合计（元）"]
    rows: list[list[Cell]] = [
        [x.order_id, x.pieces_passed, "; ".join(rate_yuan(r) for r in x.rates_centifen), yuan(x.residents_pay_fen),
         yuan(x.service_fee_fen), yuan(x.total_fen)] for x in bill.lines]
    rows.append(["合计", sum(x.pieces_passed for x in bill.lines), "", yuan(bill.residents_pay_fen),
                 yuan(bill.service_fee_fen), yuan(bill.total_fen)])
    about = [["企业编号", bill.enterprise_id], ["结算周期", period_name(bill.period_id)],
             ["服务费率", f"{Decimal(bill.service_fee_bps).scaleb(-2)}%"]]
    return write_xlsx([Sheet("结算单", header, rows), Sheet("概要", ["项目", "内容"], about)])


@dataclass(frozen=True)
class BatchLine:
    """One resident's payout in a batch (fen); the reference is what the bank transfer and POST /payouts carry."""

    resident_id: str
    name: str
    id_number_masked: str
    amount_fen: int
    paid_fen: int
    reference: str
    # The references the payouts recorded so far carry (a bank's transfer number when the dashboard's batch paid
    # them, 'BANK-20261201-006'): what the bank's statement and her slip show, beside the suggested one above.
    recorded: tuple[str, ...] = ()

    @property
    def unpaid_fen(self) -> int:
        return self.amount_fen - self.paid_fen


@dataclass(frozen=True)
class PayoutBatch:
    """Everything payable for one closed period of one community; total_fen equals the period's payable total."""

    community_id: str
    period_id: str
    lines: tuple[BatchLine, ...]
    total_fen: int
    paid_fen: int
    community_name: str = ""  # the community as people name it, for the file's name


def payout_batch(session: Session, actor: Actor, community_id: str, period_id: str) -> PayoutBatch:
    """A closed period's payouts, one line per resident with pay: the ledger's sum, as record_payout checks it.

    Coordinators of the community only; a 422 naming period_id while the period is open (its slips can change).
    """
    actor.require("coordinator")
    community = session.get(Community, community_id)
    if community is None or not actor.may_see_community(community_id):
        raise NotFound("community_id", f"no such community: {community_id}")
    period = community_period(session, community_id, period_id)
    closed = session.exec(select(PayPeriod).where(PayPeriod.community_id == community_id,
                                                  PayPeriod.period_id == period.period_id)).first()
    if closed is None:
        raise Rejected("period_id", f"周期 {period.period_id} 尚未结账，请先结账再导出发放清单 "
                                    f"(close period {period.period_id} first)")
    owed = session.exec(select(LedgerPeriod.resident_id, LedgerPeriod.amount_fen).where(
        LedgerPeriod.community_id == community_id, LedgerPeriod.period_id == period.period_id)).all()
    ids = sorted(r for r, amount in owed if int(amount or 0) != 0)
    people = {r.id: r for r in session.exec(select(Resident).where(col(Resident.id).in_(ids)))}
    paid = dict(session.exec(select(Payout.resident_id, func.sum(Payout.amount_fen)).where(
        Payout.period_id == period.period_id, col(Payout.resident_id).in_(ids)).group_by(Payout.resident_id)).all())
    amounts = {r: int(a or 0) for r, a in owed}
    recorded: dict[str, list[str]] = {}
    for rid, ref in session.exec(select(Payout.resident_id, Payout.reference).where(
            Payout.period_id == period.period_id, col(Payout.resident_id).in_(ids)).order_by(col(Payout.at))):
        recorded.setdefault(rid, []).append(ref)
    lines = tuple(BatchLine(
        resident_id=rid, name=people[rid].name if rid in people else "",
        id_number_masked=mask_id_number(people[rid].id_number or "") if rid in people else "",
        amount_fen=amounts[rid], paid_fen=int(paid.get(rid) or 0),
        reference=f"{community_id}-{period.period_id}-{rid}", recorded=tuple(recorded.get(rid, ()))) for rid in ids)
    return PayoutBatch(community_id, period.period_id, lines, sum(x.amount_fen for x in lines),
                       sum(x.paid_fen for x in lines), community.name)


def payout_batch_sheet(batch: PayoutBatch) -> Sheet:
    """The batch as a table with a total row (yuan)."""
    rows: list[list[Cell]] = [
        [n, x.name, x.id_number_masked, x.resident_id, yuan(x.amount_fen), yuan(x.paid_fen), yuan(x.unpaid_fen),
         x.reference, "、".join(x.recorded)] for n, x in enumerate(batch.lines, start=1)]
    rows.append(["合计", f"{len(batch.lines)} 人", "", "", yuan(batch.total_fen), yuan(batch.paid_fen),
                 yuan(batch.total_fen - batch.paid_fen), "", ""])
    # People read the period's name; the period id stays only inside 付款参考号, the key POST /payouts matches.
    return Sheet(f"发放清单 {period_name(batch.period_id)}", BATCH_HEADER, rows)


def city_report_month(now: datetime) -> str:
    """'YYYY-MM' of the Asia/Shanghai month of `now` (aware): the report's month when none is chosen, never the
    UTC month, which at 00:00-08:00 on a 1st is still the month before."""
    return f"{local(now):%Y-%m}"


def report_month(month: str | None, *, now: datetime) -> ReportMonth:
    """The month a city report covers: `month` ('YYYY-MM', one that has begun in Asia/Shanghai by `now`), or the
    month of `now` when None. Raises Rejected('month', …) for a malformed or future month."""
    today = local(now).date()
    if month is None:
        return month_of(today)
    try:
        return parse_month(month, today=today)
    except BadMonth as bad:
        raise Rejected("month", str(bad)) from None


# The priority groups' keys (usecases.queries.dashboard_city) as the dashboard's city page names them.
GROUP_NAMES = {"priority": "重点群体", "other": "其他居民"}


def city_report_xlsx(session: Session, actor: Actor, *, now: datetime, community_id: str | None = None,
                     month: str | None = None) -> bytes:
    """The HR bureau's report of a month ('YYYY-MM', by default the month of `now`) as a workbook: the month per
    community with the total, pieces per Asia/Shanghai day of the month (from 00:00 on its 1st, as the month's
    figures and the page's 本月自 …), and the year's income as paid to the month's end (to today in the current
    month), by month and by street, community and priority group (no names or ids of people)."""
    chosen = report_month(month, now=now)
    start = datetime.combine(chosen.first_day, time(0), tzinfo=CHINA)
    o = board.city_overview(session, actor, now=now, community_id=community_id, trend_since=start, month=chosen)
    annualised = ("年化人均（元，整月人均×365÷当月天数）" if o.month_finished
                  else "年化人均（本月未结束，不折算）")
    header = ["社区编号", "社区", "街道", "区", "站点数", "在册居民", "在岗居民", "本月合格件数", "累计合格件数",
              "累计不合格件数", "合格率", "本月收入（元）", "本月人均（元）", annualised, "基尼系数"]
    rows: list[list[Cell]] = [
        [c.community_id, c.name or "合计", c.street, c.district, c.sites, c.residents_active, c.residents_in_work,
         c.pieces_passed_month, c.pieces_passed_total, c.pieces_rejected_total,
         "" if c.pass_rate is None else Decimal(f"{c.pass_rate:.4f}"), yuan(c.income_month_fen),
         yuan(c.income_per_person_month_fen),
         "" if c.income_per_person_annualised_fen is None else yuan(c.income_per_person_annualised_fen),
         Decimal(f"{c.gini:.4f}")]
        for c in (*o.communities, o.total)]
    trend: list[list[Cell]] = [[p.day, p.community_id, p.pieces] for p in o.trend]
    month_end = datetime.combine(chosen.end_day, time(0), tzinfo=CHINA) - timedelta(microseconds=1)
    year = city_income(session, actor, now=min(now, month_end), community_id=community_id)
    months: list[list[Cell]] = [[m.month, yuan(m.income_fen), m.people, yuan(m.ytd_income_fen), m.ytd_people,
                                 yuan(m.ytd_per_person_fen)] for m in year.months]
    groups: list[list[Cell]] = [[kind, GROUP_NAMES.get(g.name, g.name) if kind == "群体" else g.name, g.people,
                                 yuan(g.income_fen), yuan(g.per_person_fen)]
                                for kind, rows_of in (("街道", year.by_street), ("社区", year.by_community),
                                                      ("群体", year.by_priority)) for g in rows_of]
    return write_xlsx([
        Sheet(f"社区月报 {o.month}", header, rows, exact_columns=frozenset({10, 14})),
        Sheet("每日合格件数", ["日期", "社区编号", "合格件数"], trend),
        Sheet(f"{year.year}年收入（按月）", ["月份", "当月收入（元）", "当月有收入人数", "年初至今收入（元）",
                                        "年初至今有收入人数", "年初至今人均（元）"], months),
        Sheet(f"{year.year}年收入（分组）", ["分组", "名称", "人数", "收入（元）", "人均（元）"], groups)])


def sheet_to_csv(sheet: Sheet) -> str:
    """A sheet as CSV text (prefix a BOM for Excel); numbers as plain digits, dates ISO."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow(["" if v is None else f"{v:.2f}" if isinstance(v, Decimal) and i not in sheet.exact_columns
                         else csv_safe(str(v)) for i, v in enumerate(row)])
    return out.getvalue()


def import_template(kind: str, lang: str = "zh") -> Sheet:
    """The import template of `kind` (residents, sites, orders): headers in `lang` ('zh' or 'en', both are read
    back), the example rows, and every column formatted as text so an ID number typed in later stays whole."""
    columns, example = TEMPLATES[kind]
    _, *rows = list(csv.reader(io.StringIO(example)))
    header = [c.zh[0] if lang == "zh" else c.name for c in columns]
    return Sheet(kind, header, [list(r) for r in rows], text_columns=frozenset(range(len(columns))))


def closed_periods(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(community id, period id) of every closed period in the coordinator's communities, newest first."""
    actor.require("coordinator")
    rows = session.exec(select(PayPeriod.community_id, PayPeriod.period_id)).all()
    return sorted(((c, p) for c, p in rows if actor.may_see_community(c)), key=lambda r: (r[1], r[0]), reverse=True)


def payout_batch_xlsx(session: Session, actor: Actor, community_id: str, period_id: str) -> bytes:
    """The payout batch of a closed period as a workbook (see payout_batch)."""
    return write_xlsx([payout_batch_sheet(payout_batch(session, actor, community_id, period_id))])
