"""Spreadsheet downloads: pay slips, settlements, payout batches and the city's report as .xlsx; import templates.

Registered before the pay routes, so '/pay-slips/2026-03-A.xlsx' is this file and not a period named '….xlsx'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Response

from domain.pay.periods import period_name
from domain.sheets import write_xlsx
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.downloads import csv_download, xlsx_download
from store.db import reading
from usecases.queries import exports

router = APIRouter(prefix="/api/v1", tags=["exports"])


@router.get("/residents/{resident_id}/pay-slips/{period_id}.xlsx", response_class=Response)
def pay_slip_xlsx(resident_id: str, period_id: str, actor: ActorDep, engine: EngineDep,
                  lang: Literal["zh", "en"] = "zh") -> Response:
    """The pay slip (工资条) as an Excel workbook: the lines as in the CSV, numbers as numbers, and a summary."""
    with reading(engine) as session:
        data = exports.pay_slip_xlsx(session, actor, resident_id, period_id, lang=lang)
    return xlsx_download(data, f"payslip-{resident_id}-{period_id}.xlsx", f"工资条-{period_name(period_id)}.xlsx")


@router.get("/enterprises/{enterprise_id}/settlements/{period_id}.xlsx", response_class=Response)
def settlement_xlsx(enterprise_id: str, period_id: str, actor: ActorDep, engine: EngineDep,
                    settings: SettingsDep) -> Response:
    """The enterprise settlement statement (结算单) as an Excel workbook."""
    with reading(engine) as session:
        data = exports.settlement_xlsx(session, actor, enterprise_id, period_id,
                                       service_fee_bps=settings.service_fee_bps)
    return xlsx_download(data, f"settlement-{enterprise_id}-{period_id}.xlsx",
                         f"结算单-{period_name(period_id)}.xlsx")


@router.get("/communities/{community_id}/payout-batches/{period_id}")
def payout_batch(community_id: str, period_id: str, actor: ActorDep, engine: EngineDep,
                 format: Literal["json", "csv", "xlsx"] = "json") -> Any:
    """A closed period's payout batch (发放清单): name, masked ID number, amount, reference per resident.

    Its total is the period's payable total; pay each line with POST /payouts and its reference, so paying
    twice is refused. ?format=xlsx or ?format=csv for the bank or the office (amounts in yuan).
    """
    with reading(engine) as session:
        batch = exports.payout_batch(session, actor, community_id, period_id)
    name = f"payouts-{community_id}-{batch.period_id}"
    shown = f"发放清单-{batch.community_name}-{period_name(batch.period_id)}"  # '发放清单-第1社区-2026年11月上半月'
    if format == "xlsx":
        return xlsx_download(write_xlsx([exports.payout_batch_sheet(batch)]), f"{name}.xlsx", f"{shown}.xlsx")
    if format == "csv":
        return csv_download(exports.sheet_to_csv(exports.payout_batch_sheet(batch)), f"{name}.csv", f"{shown}.csv")
    return {**asdict(batch), "lines": [{**asdict(x), "unpaid_fen": x.unpaid_fen} for x in batch.lines]}


@router.get("/reports/city.xlsx", response_class=Response)
def city_report_xlsx(actor: ActorDep, engine: EngineDep, community_id: str | None = None,
                     month: str | None = None) -> Response:
    """The HR bureau's month by community, with the total and pieces per day (no personal data).

    ?month=YYYY-MM chooses the Asia/Shanghai month (a finished one, to file it; the current one has no annualised
    figure); without it, the current month. A malformed or future month is 422 naming `month`."""
    now = datetime.now(UTC)
    with reading(engine) as session:
        chosen = exports.report_month(month, now=now).key
        data = exports.city_report_xlsx(session, actor, now=now, community_id=community_id, month=chosen)
    return xlsx_download(data, f"city-report-{chosen}.xlsx", f"社区月报-{period_name(chosen)}.xlsx")


def _template(kind: str, ext: str) -> Callable[..., Response]:
    def template(lang: Literal["zh", "en"] = "zh") -> Response:
        sheet = exports.import_template(kind, lang)
        if ext == "xlsx":
            return xlsx_download(write_xlsx([sheet]), f"{kind}-template.xlsx")
        return csv_download(exports.sheet_to_csv(sheet), f"{kind}-template.csv")
    template.__doc__ = (f"The {kind} import template as {ext}: the columns (Chinese headers, or English with "
                        "?lang=en; both are read back) and an example. Columns: docs/spreadsheets.md. No sign-in: "
                        "a template holds no one's data.")
    return template


# One fixed path per template (no path parameters): /api/v1/templates/residents.xlsx, …/orders.csv, ….
for _kind in exports.TEMPLATES:
    for _ext in ("csv", "xlsx"):
        router.add_api_route(f"/templates/{_kind}.{_ext}", _template(_kind, _ext), methods=["GET"],
                             response_class=Response, name=f"{_kind}_template_{_ext}")
