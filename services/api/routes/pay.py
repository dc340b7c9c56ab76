"""Pay periods, pay slips (JSON, HTML, CSV, PDF), settlements, payouts, appeals, custody, hourly pay."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from html import escape
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from domain.pay import PaySlip, format_fen, slip_to_csv, slip_to_pdf
from domain.pay.periods import period_name
from domain.pay.slips import NO_PIECES, paid_text, slip_header
from schemas import commands as c
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.downloads import csv_download, disposition
from services.api.paging import PageDep, paged, window
from store.db import reading
from usecases import appeals as appeal_uc
from usecases import pay as uc
from usecases.execute import execute, execute_keyed
from usecases.queries import pay as reads
from usecases.queries import pay_board as board
from usecases.queries.pay_views import (
    AppealView,
    CustodyView,
    DebtView,
    HourlyView,
    OverdueView,
    PaySlipView,
    SettlementView,
)

router = APIRouter(prefix="/api/v1", tags=["pay"])


@router.post("/pay-periods/close", status_code=201)
def close_period(body: c.ClosePayPeriod, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """Freeze an ended period: later inspections go to the next one; slips become final; debts are carried."""
    closed, _ = execute(engine, settings, uc.close_period, body, actor=actor)
    return {"community_id": closed.row.community_id, "period_id": closed.row.period_id,
            "total_fen": closed.row.total_fen, "residents": closed.residents, "top_ups_fen": closed.top_ups_fen,
            # Debts recovered at this close and what was carried on (and into which period), per resident.
            "debts": [asdict(d) for d in closed.debts]}


@router.get("/pay-periods/overdue", response_model=list[OverdueView])
def overdue(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
            response: Response) -> list[OverdueView]:
    """Unpaid periods past due in your communities (the board's alarm), a page at a time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = board.overdue_periods(session, actor, now=datetime.now(UTC))
    return paged(window(rows, page), page, request, response)


@router.get("/pay-periods/debts", response_model=list[DebtView])
def debts(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response) -> list[DebtView]:
    """Debts carried into periods not yet closed in your communities: what the next closes will recover; a page
    at a time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = board.carried_debts(session, actor)
    return paged(window(rows, page), page, request, response)


@router.get("/residents/{resident_id}/pay-slips/{period_id}.pdf", response_class=Response)
def pay_slip_pdf(resident_id: str, period_id: str, actor: ActorDep, engine: EngineDep) -> Response:
    """The slip as a PDF in Chinese (embedded Noto Sans CJK)."""
    with reading(engine) as session:
        slip, _ = reads.pay_slip(session, actor, resident_id, period_id)
    return Response(slip_to_pdf(slip), media_type="application/pdf", headers={"Content-Disposition": disposition(
        f"payslip-{resident_id}-{slip.period.period_id}.pdf", f"{_slip_name(slip)}.pdf", inline=True)})


def _slip_name(slip: PaySlip) -> str:
    """'工资条-高珍英-2026年11月下半月': the file name people read, her name as the slip prints it ('高珍英（尾号6417）'
    where another of her community has her name: domain.pay.slips.slip_name); the ASCII one keeps the ids."""
    return f"工资条-{slip.printed_name}-{period_name(slip.period.period_id)}"


@router.get("/residents/{resident_id}/pay-slips/{period_id}", response_model=PaySlipView)
def pay_slip(resident_id: str, period_id: str, actor: ActorDep, engine: EngineDep,
             format: Literal["json", "csv", "html"] = "json") -> Any:
    """A resident's pay slip (工资条): JSON, ?format=csv (Excel-ready) or ?format=html."""
    with reading(engine) as session:
        if format == "csv":
            slip, _ = reads.pay_slip(session, actor, resident_id, period_id)
            return csv_download(slip_to_csv(slip), f"payslip-{resident_id}-{slip.period.period_id}.csv",
                                f"{_slip_name(slip)}.csv")
        view = reads.pay_slip_view(session, actor, resident_id, period_id)
        if format == "html":  # who and where as the PDF prints them (slip_header), not '高珍英（comm-001-r001）'
            printed, _ = reads.pay_slip(session, actor, resident_id, period_id)
            return HTMLResponse(_slip_html(view, slip_header(printed), paid_text(printed.payments)))
    return view


@router.get("/enterprises/{enterprise_id}/settlements/{period_id}", response_model=SettlementView)
def enterprise_settlement(enterprise_id: str, period_id: str, actor: ActorDep, engine: EngineDep,
                          settings: SettingsDep) -> SettlementView:
    """Pieces passed × rate per order, residents' pay and the service fee side by side."""
    with reading(engine) as session:
        return reads.settlement(session, actor, enterprise_id, period_id, service_fee_bps=settings.service_fee_bps)


@router.get("/communities/{community_id}/hourly-earnings/{period_id}", response_model=list[HourlyView])
def hourly(community_id: str, period_id: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
           response: Response) -> list[HourlyView]:
    """Effective hourly earnings per resident against the minimum wage, shortfalls included; a page at a time
    (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = board.hourly_earnings(session, actor, community_id, period_id)
    return paged(window(rows, page), page, request, response)


@router.get("/custody", response_model=list[CustodyView])
def custody(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
            resident_id: str | None = None, lot_id: str | None = None,
            community_id: str | None = None) -> list[CustodyView]:
    """Material custody per resident and lot; shortages are shown, never deducted from pay. A page at a time
    (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = board.custody(session, actor, resident_id=resident_id, lot_id=lot_id, community_id=community_id)
    return paged(window(rows, page), page, request, response)


@router.post("/payouts", status_code=201)
def record_payout(body: c.RecordPayout, actor: ActorDep, engine: EngineDep, settings: SettingsDep,
                  response: Response) -> dict[str, Any]:
    """Record a payout; the same reference again answers 200 with the first record and changes nothing."""
    outcome, _ = execute_keyed(engine, settings, uc.record_payout, body, actor=actor)
    if not outcome.created:
        response.status_code = 200
    p = outcome.payout
    return {"payout_id": p.id, "reference": p.reference, "resident_id": p.resident_id, "period_id": p.period_id,
            "amount_fen": p.amount_fen, "method": p.method, "created": outcome.created}


@router.post("/inspections/{inspection_id}/appeals", status_code=201)
def file_appeal(inspection_id: str, body: c.FileAppeal, actor: ActorDep, engine: EngineDep,
                settings: SettingsDep) -> dict[str, str]:
    """Appeal a rejection within the window, as the resident or a coordinator on their behalf."""
    appeal, _ = execute(engine, settings, appeal_uc.file_appeal, inspection_id, body, actor=actor)
    return {"appeal_id": appeal.id, "status": appeal.status}


@router.post("/appeals/{appeal_id}/decision")
def decide_appeal(appeal_id: str, body: c.DecideAppeal, actor: ActorDep, engine: EngineDep,
                  settings: SettingsDep) -> dict[str, str | None]:
    """Uphold (a correcting inspection is recorded) or reject with a reason."""
    appeal, _ = execute(engine, settings, appeal_uc.decide_appeal, appeal_id, body, actor=actor)
    return {"appeal_id": appeal.id, "status": appeal.status,
            "correction_inspection_id": appeal.correction_inspection_id}


@router.get("/appeals", response_model=list[AppealView])
def list_appeals(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
                 status: str | None = None) -> list[AppealView]:
    """Appeals a page at a time (`limit`, `cursor`; X-Has-More and X-Next-Cursor say if there is more)."""
    with reading(engine) as session:
        rows = board.appeals(session, actor, status=status, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


def _slip_html(slip: PaySlipView, header: list[tuple[str, str]], paid: str | None = None) -> str:
    """A printable Chinese page of the slip, headed by `header`'s name and community (domain.pay.slips.slip_header),
    ending with what was paid (`paid`: domain.pay.slips.paid_text, as the PDF and the phone say it); every value is
    escaped."""
    rows = "".join(
        f"<tr><td>{escape(x.lot_code)}</td><td>{escape(x.label)} {escape(x.note)}</td><td>{escape(x.kind_zh)}</td>"
        f"<td class=n>{'' if x.kind in NO_PIECES else x.pieces}</td>"
        f"<td class=n>{'' if x.kind in NO_PIECES else escape(x.rate_text)}</td>"
        f"<td class=n>{format_fen(x.amount_fen)}</td></tr>"
        for x in (*slip.lines, *slip.corrections, *slip.top_ups, *slip.carries))
    debt = (f"<p>欠款：{format_fen(slip.debt_fen)} · 本期扣回：{format_fen(slip.recovered_fen)} · "
            f"结转下期：{format_fen(slip.carried_on_fen)}</p>") if slip.debt_fen else ""
    state = "已结算" if slip.final else "未结算（预览）"
    return (
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>工资条</title>"
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif}td.n{text-align:right}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style>"
        "<h1>工资条</h1>" + "".join(f"<p>{escape(label)}：{escape(value)}</p>" for label, value in header[:2]) +
        f"<p>结算周期：{escape(period_name(slip.period_id))} · {state}</p>"  # '2026年11月下半月', not its id
        "<table><tr><th>批次</th><th>产品</th><th>类型</th><th>合格件数</th><th>单价</th><th>金额</th></tr>"
        f"{rows}<tr><th colspan=5>合计</th><td class=n>{format_fen(slip.total_fen)}</td></tr></table>"
        f"{debt}<p>应发：{format_fen(slip.payable_fen)} · {escape(paid or '未发放')}</p></html>")
