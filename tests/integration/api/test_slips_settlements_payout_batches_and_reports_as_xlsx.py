"""Excel exports over HTTP, read back with openpyxl: a pay slip, a settlement, a period's payout batch (its total is
the period's payable total) and the city's report; each to whom may see it, ID numbers masked. People read a pay
period by its name ('2026年11月下半月') in the workbooks and the file names (RFC 6266 filename*); its id stays only in
the ASCII filename and the payment reference, where machines key on it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from domain.pay import period_for
from domain.pay.periods import period_name
from domain.sheets import XLSX_MEDIA_TYPE
from schemas import commands as c
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from store.db import reading, transaction
from store.tables import Lot, Order, Resident
from usecases import work


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _passed(world: Any, resident: str, *, pieces: int, passed: int, rate_centifen: int = 3700) -> None:
    """`passed` of `pieces` passed at the rate (0.0001 yuan a piece; 3700 is ¥0.37), at the world's time."""
    lot = world.lot(resident, pieces=pieces, rate_fen=37)
    if rate_centifen != 3700:  # a rate below a fen, as the enterprise posted it
        with transaction(world.engine) as session:
            row = session.get(Lot, lot)
            order = session.get(Order, row.order_id)
            row.piece_rate_centifen = order.piece_rate_centifen = rate_centifen
            session.add_all([row, order])
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=pieces))
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=pieces, minutes_spent=300))
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=passed,
                                                         rejected=pieces - passed, defect_codes=["LOOSE"]))
    world.earn()


def _sheets(reply: Any) -> dict[str, list[tuple[Any, ...]]]:
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == XLSX_MEDIA_TYPE
    book = load_workbook(io.BytesIO(reply.content))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _saved_as(reply: Any) -> str:
    """The name a browser saves the download as: RFC 6266's filename*=UTF-8'' when sent."""
    disposition = reply.headers["content-disposition"]
    assert "filename*=UTF-8''" in disposition, disposition
    return disposition.split("filename*=UTF-8''", 1)[1]


def _cells(rows: list[tuple[Any, ...]]) -> str:
    return "\n".join(str(v) for row in rows for v in row if v is not None)


def test_a_closed_periods_payout_batch_adds_up_to_what_the_period_owes(pay_world: Any, residents: list[str]) -> None:
    a, b = residents[0], residents[1]
    pay_world.now = datetime.now(UTC) - timedelta(days=40)
    period = period_for(pay_world.now).period_id
    _passed(pay_world, a, pieces=60, passed=57)  # 57 × 37 fen = 2,109 fen
    _passed(pay_world, b, pieces=40, passed=40)  # 40 × 37 fen = 1,480 fen
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    batch_url = f"/api/v1/communities/comm-001/payout-batches/{period}"

    still_open = client.get(batch_url, headers=coordinator)
    assert still_open.status_code == 422 and still_open.json()["detail"][0]["field"] == "period_id"
    closed = client.post("/api/v1/pay-periods/close", headers=coordinator,
                         json={"community_id": "comm-001", "period_id": period})
    assert closed.status_code == 201 and closed.json()["total_fen"] == 2109 + 1480 == 3589

    batch = client.get(batch_url, headers=coordinator).json()
    assert batch["total_fen"] == 3589 and batch["paid_fen"] == 0
    assert {x["resident_id"]: x["amount_fen"] for x in batch["lines"]} == {a: 2109, b: 1480}
    slips = [client.get(f"/api/v1/residents/{r}/pay-slips/{period}", headers=coordinator).json() for r in (a, b)]
    assert sum(s["payable_fen"] for s in slips) == batch["total_fen"]

    as_xlsx = client.get(batch_url, params={"format": "xlsx"}, headers=coordinator)
    assert _saved_as(as_xlsx) == quote(f"发放清单-第1社区-{period_name(period)}.xlsx")
    assert f'filename="payouts-comm-001-{period}.xlsx"' in as_xlsx.headers["content-disposition"]  # ASCII fallback
    rows = _sheets(as_xlsx)[f"发放清单 {period_name(period)}"]
    header, *lines, total = rows
    assert header[:2] == ("序号", "姓名") and header[4] == "应发金额（元）" and header[7] == "付款参考号"
    assert total[0] == "合计" and Decimal(str(total[4])) == Decimal("35.89")
    assert sum(Decimal(str(x[4])) for x in lines) == Decimal("35.89")
    with reading(pay_world.engine) as session:
        people = {r.id: r for r in session.exec(select(Resident).where(Resident.id.in_([a, b])))}  # type: ignore[attr-defined]
    for line in lines:
        person = people[line[3]]
        assert line[1] == person.name
        if person.id_number:  # masked: the first four and last four only
            assert line[2] != person.id_number and line[2].startswith(person.id_number[:4]) and "*" in line[2]
    csv = client.get(batch_url, params={"format": "csv"}, headers=coordinator)
    assert csv.text.startswith("\ufeff序号,姓名") and "35.89" in csv.text
    assert _saved_as(csv) == quote(f"发放清单-第1社区-{period_name(period)}.csv")

    reference = next(x["reference"] for x in batch["lines"] if x["resident_id"] == a)
    paid = client.post("/api/v1/payouts", headers=coordinator, json={
        "resident_id": a, "period_id": period, "amount_fen": 2109, "method": "bank", "reference": reference})
    assert paid.status_code == 201, paid.text
    after = client.get(batch_url, headers=coordinator).json()
    assert (after["total_fen"], after["paid_fen"]) == (3589, 2109)
    # The payouts' own references, as the bank and her slip show them, beside the suggested one (second new-user
    # trial: a batch paid with the dashboard's transfer number 'BANK-…' showed only the suggested reference).
    assert {x["resident_id"]: x["recorded"] for x in after["lines"]} == {a: [reference], b: []}
    by_bank = client.post("/api/v1/payouts", headers=coordinator, json={
        "resident_id": b, "period_id": period, "amount_fen": 1480, "method": "bank", "reference": "BANK-20261201-002"})
    assert by_bank.status_code == 201, by_bank.text
    sheet = _sheets(client.get(batch_url, params={"format": "xlsx"}, headers=coordinator))
    rows = sheet[f"发放清单 {period_name(period)}"]
    assert rows[0][8] == "已记录的付款参考号"
    assert {line[3]: line[8] for line in rows[1:-1]} == {a: reference, b: "BANK-20261201-002"}
    assert client.get(batch_url, headers=_login(client, "coord2")).status_code == 404
    assert client.get(batch_url, headers=_login(client, a)).status_code == 403


def test_a_slip_and_a_settlement_read_back_as_the_json_says(pay_world: Any, residents: list[str]) -> None:
    owner = residents[0]
    pay_world.now = datetime.now(UTC) - timedelta(days=40)
    period = period_for(pay_world.now).period_id
    _passed(pay_world, owner, pieces=60, passed=57)
    client = TestClient(create_app(pay_world.settings))
    me = _login(client, owner)
    url = f"/api/v1/residents/{owner}/pay-slips/{period}"

    as_xlsx = client.get(f"{url}.xlsx", headers=me)
    assert _saved_as(as_xlsx) == quote(f"工资条-{period_name(period)}.xlsx")
    book = _sheets(as_xlsx)
    header, line, total = book["工资条"]
    assert header == ("批次", "产品", "类型", "合格件数", "单价", "金额")
    assert line[2:] == ("计件工资", 57, 0.37, 21.09)  # 57 × ¥0.37 = ¥21.09
    assert (total[0], total[5]) == ("合计", 21.09)
    summary = dict(book["概要"][1:])
    assert summary["应发"] == 21.09 and summary["状态"] == "未结算（预览）"
    assert summary["结算周期"] == period_name(period) and period_name(period) != period  # '2026年10月下半月'
    assert period not in _cells(book["概要"])
    english = _sheets(client.get(f"{url}.xlsx", params={"lang": "en"}, headers=me))
    assert english["Pay slip"][0][0] == "Lot"
    assert dict(english["Summary"][1:])["Period"] == period_name(period, "en")
    for suffix, params in ((".pdf", {}), ("", {"format": "csv"})):
        name = client.get(f"{url}{suffix}", params=params, headers=me)
        resident = dict(book["概要"][1:])["姓名"]
        assert _saved_as(name) == quote(f"工资条-{resident}-{period_name(period)}{suffix or '.csv'}")
    assert client.get(f"{url}.xlsx", headers=_login(client, residents[1])).status_code == 404

    ent1 = _login(client, "ent1")
    bill = client.get(f"/api/v1/enterprises/ent-01/settlements/{period}", headers=ent1).json()
    statement = client.get(f"/api/v1/enterprises/ent-01/settlements/{period}.xlsx", headers=ent1)
    assert _saved_as(statement) == quote(f"结算单-{period_name(period)}.xlsx")
    sheets = _sheets(statement)
    assert dict(sheets["概要"][1:])["结算周期"] == period_name(period) and period not in _cells(sheets["概要"])
    header, order, total = sheets["结算单"]
    assert header[:2] == ("订单号", "合格件数") and order[1] == 57 and order[2] == "0.37"
    assert total[0] == "合计" and Decimal(str(total[3])) == Decimal("21.09")
    assert [round(Decimal(str(v)) * 100) for v in total[3:]] == [
        bill["residents_pay_fen"], bill["service_fee_fen"], bill["total_fen"]]
    assert client.get(f"/api/v1/enterprises/ent-01/settlements/{period}.xlsx",
                      headers=_login(client, "ent2")).status_code == 404


def test_the_city_report_has_a_row_per_community_and_their_total(pay_world: Any, residents: list[str]) -> None:
    # Inside the month the report covers (Asia/Shanghai, by the real clock): five minutes ago, but never before the
    # month began. "Five minutes ago" alone fell in last month during the first five minutes of a month in
    # Shanghai, and the month's sheet had none of it (CI runs at any hour; 16:00 UTC is midnight there).
    shanghai = datetime.now(ZoneInfo("Asia/Shanghai"))
    month_start = shanghai.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    pay_world.now = max(shanghai - timedelta(minutes=5), month_start).astimezone(UTC)
    _passed(pay_world, residents[0], pieces=60, passed=57)
    client = TestClient(create_app(pay_world.settings))
    book = _sheets(client.get("/api/v1/reports/city.xlsx", headers=_login(client, "city")))
    [month] = [name for name in book if name.startswith("社区月报")]
    header, *communities, total = book[month]
    assert header[:2] == ("社区编号", "社区") and [r[0] for r in communities] == ["comm-001", "comm-002"]
    assert total[1] == "合计" and total[7] == sum(r[7] for r in communities) >= 57
    assert book["每日合格件数"][0] == ("日期", "社区编号", "合格件数")
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year  # the bureau's year is Beijing's
    by_month = book[f"{year}年收入（按月）"]
    assert by_month[0][:2] == ("月份", "当月收入（元）") and by_month[-1][3] >= 21.09  # 57 × ¥0.37 paid this year
    assert {r[0] for r in book[f"{year}年收入（分组）"][1:]} <= {"街道", "社区", "群体"}
    # The groups named as the dashboard names them, never by their keys ('priority', 'other').
    groups = {r[1] for r in book[f"{year}年收入（分组）"][1:] if r[0] == "群体"}
    assert groups and groups <= {"重点群体", "其他居民"}, groups
    mine = _sheets(client.get("/api/v1/reports/city.xlsx", headers=_login(client, "coord1")))
    assert [r[0] for r in mine[month][1:-1]] == ["comm-001"]  # a coordinator sees their own communities
    assert client.get("/api/v1/reports/city.xlsx", headers=_login(client, "ent1")).status_code == 403


def test_a_rate_below_a_fen_is_exported_as_posted_and_rounded_once_per_line(pay_world: Any,
                                                                            residents: list[str]) -> None:
    owner = residents[0]
    pay_world.now = datetime.now(UTC) - timedelta(days=40)
    period = period_for(pay_world.now).period_id
    _passed(pay_world, owner, pieces=333, passed=333, rate_centifen=350)  # 333 × ¥0.035 = ¥11.655 → ¥11.66
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    assert client.post("/api/v1/pay-periods/close", headers=coordinator,
                       json={"community_id": "comm-001", "period_id": period}).json()["total_fen"] == 1166
    _, line, total = _sheets(client.get(f"/api/v1/residents/{owner}/pay-slips/{period}.xlsx",
                                        headers=coordinator))["工资条"]
    assert line[3:] == (333, 0.035, 11.66) and total[5] == 11.66
    batch = _sheets(client.get(f"/api/v1/communities/comm-001/payout-batches/{period}",
                               params={"format": "xlsx"}, headers=coordinator))[f"发放清单 {period_name(period)}"]
    assert batch[-1][0] == "合计" and batch[-1][4] == 11.66
    bill = _sheets(client.get(f"/api/v1/enterprises/ent-01/settlements/{period}.xlsx",
                              headers=_login(client, "ent1")))["结算单"]
    assert bill[1][1:4] == (333, "0.035", 11.66)
