""".xlsx uploads go through the CSV path: same row-level report, all rows or none; cells read as a Chinese-locale
spreadsheet writes them (dates as strings, real date cells and serial numbers; full-width digits; Chinese headers);
a number a spreadsheet damaged, or a name an encoding destroyed, is refused by row with its reason."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lots_world import ENTERPRISE, ENTERPRISE_ID, PRODUCT, USCC, LotsWorld, sign_in
from openpyxl import Workbook
from sqlmodel import select

from domain.orders.id_number import make_id_number
from services.api.app import create_app
from store.db import reading
from store.tables import Order, Resident

ID_ASCII = "11010519491231002X"  # GB 11643's own example of a valid number
ZH_RESIDENTS = ["姓名", "手机号", "身份证号", "社区编号", "工作方式", "技能", "可工作时间", "可到站点", "优先群体"]
ZH_ORDERS = ["订单号", "企业编号", "统一社会信用代码", "产品编号", "数量", "计件单价（元）", "交货时间", "可接单社区",
             "可接单站点", "可带回家做", "最低技能等级", "需培训", "取料站点", "质量奖励（元）"]
FULL_WIDTH = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)} | {"/": "／", ":": "：", " ": "　"})


def xlsx(header: list[str], *rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def client(world: LotsWorld) -> TestClient:
    world.community("im")
    return TestClient(create_app(world.settings))


def upload(client: TestClient, path: str, data: bytes, *, user: str = "coord-im",
           name: str = "upload.xlsx") -> tuple[int, Any]:
    reply = client.post(path, headers=sign_in(client, user), files={"file": (name, data, "application/octet-stream")})
    return reply.status_code, reply.json()


def residents(world: LotsWorld) -> dict[str, Resident]:
    with reading(world.engine) as session:
        return {r.name: r for r in session.exec(select(Resident).where(Resident.community_id == "im"))}


def test_a_workbook_with_chinese_headers_full_width_digits_and_a_number_cell_phone_is_imported(
        world: LotsWorld, client: TestClient) -> None:
    data = xlsx(ZH_RESIDENTS,
                ["买买提・艾力", 13812345678, "１１０１０５１９４９１２３１００２ｘ", "im", "均可", "beading：2",
                 None, None, "是"],
                ["阿依古丽•买买提", "139 1234 5678", None, "im", "居家", None, None, None, False])
    assert upload(client, "/api/v1/residents/import", data) == (200, {"imported": 2})
    people = residents(world)
    assert set(people) == {"买买提·艾力", "阿依古丽·买买提"}  # U+30FB and U+2022 both stored as U+00B7
    first = people["买买提·艾力"]
    assert (first.phone, first.id_number, first.work_mode, first.priority_group) == (
        "13812345678", ID_ASCII, "either", True)
    assert people["阿依古丽·买买提"].phone == "13912345678" and not people["阿依古丽·买买提"].priority_group


def test_damaged_ids_and_destroyed_names_are_refused_by_row_and_nothing_is_imported(
        world: LotsWorld, client: TestClient) -> None:
    data = xlsx(ZH_RESIDENTS,
                ["王秀英", None, ID_ASCII, "im", "either"],                   # row 1: fine
                ["李建国", None, 110105194912310000, "im", "either"],        # row 2: Excel made the ID a number
                ["张伟", None, "110105194912310000", "im", "either"],        # row 3: last digits replaced by zeros
                ["王?英", None, None, "im", "either"],                       # row 4: GBK export lost 𠮷
                ["赵\ufffd", None, None, "im", "either"])                    # row 5: decoder gave up on a character
    status, body = upload(client, "/api/v1/residents/import", data)
    assert status == 422
    problems = {(p["row"], p["field"]): p["reason"] for p in body["rows"]}
    assert set(problems) == {(2, "id_number"), (3, "id_number"), (4, "name"), (5, "name")}
    assert "科学计数法" in problems[(2, "id_number")] and "1.10105E+17" in problems[(2, "id_number")]
    assert "000" in problems[(3, "id_number")]
    assert "生僻字" in problems[(4, "name")] and "生僻字" in problems[(5, "name")]
    assert residents(world) == {}, "row 1 was valid but must not be imported alone"


def _sites(client: TestClient) -> None:
    sites = "site_id,name,community_id,kind,seats\nim-s1,幸福里社区微工厂,im,workshop,12\n"
    assert upload(client, "/api/v1/sites/import", sites.encode("gbk"), name="s.csv")[0] == 200


def test_order_due_times_as_strings_serial_numbers_and_date_cells_are_one_beijing_time(
        world: LotsWorld, client: TestClient) -> None:
    _sites(client)
    due = (datetime.now(UTC) + timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    local = due + timedelta(hours=8)  # 10:00 UTC is 18:00 in Beijing
    serial = (local.replace(tzinfo=None) - datetime(1899, 12, 30)) / timedelta(days=1)  # x.75: 18:00
    line = [ENTERPRISE_ID, USCC, PRODUCT, "２０", "０.３５", None, "im", None, "是", 1, "否", "im-s1", 0]
    written = {
        "PO-slash": f"{local:%Y}/{local.month}/{local.day} 18:00".translate(FULL_WIDTH),
        "PO-zh": f"{local:%Y}年{local.month}月{local.day}日 18时",
        "PO-serial": serial,                                     # a date cell saved as a General number
        "PO-cell": local.replace(tzinfo=None),                   # a real date-time cell
    }
    rows = [[ref, *line[:5], when, *line[6:]] for ref, when in written.items()]
    status, body = upload(client, "/api/v1/orders/import", xlsx(ZH_ORDERS, *rows), user=ENTERPRISE.username)
    assert (status, body) == (200, {"imported": 4})
    with reading(world.engine) as session:
        orders = {o.id: o for o in session.exec(select(Order))}
    for ref in written:
        got = orders[ref].due_at if orders[ref].due_at.tzinfo else orders[ref].due_at.replace(tzinfo=UTC)
        assert got == due, ref
        assert (orders[ref].quantity, orders[ref].piece_rate_centifen) == (20, 3500)  # ２０ pieces at ０.３５ yuan


def test_a_due_date_without_a_time_is_refused_by_row(world: LotsWorld, client: TestClient) -> None:
    _sites(client)
    day = datetime.now(UTC).date() + timedelta(days=10)
    row = ["PO-1", ENTERPRISE_ID, USCC, PRODUCT, 20, Decimal("0.35"), f"{day.year}/{day.month}/{day.day}", "im"]
    status, body = upload(client, "/api/v1/orders/import", xlsx(ZH_ORDERS[:8], row), user=ENTERPRISE.username)
    assert status == 422 and [(p["row"], p["field"]) for p in body["rows"]] == [(1, "due_at")]
    assert "还要写上时间" in body["rows"][0]["reason"]  # zh-CN by default (issue 15)


def test_a_name_a_gbk_export_destroyed_is_refused_by_row(world: LotsWorld, client: TestClient) -> None:
    # 𠮷 is not in GBK: Excel's "CSV (GBK)" writes '?' in its place, and the file is otherwise fine.
    text = ",".join(ZH_RESIDENTS) + "\n王秀英,,,im,居家\n" + "𠮷田,,,im,居家\n".encode("gbk", "replace").decode("gbk")
    status, body = upload(client, "/api/v1/residents/import", text.encode("gbk"), name="r.csv")
    assert status == 422 and [(p["row"], p["field"]) for p in body["rows"]] == [(2, "name")]
    assert "生僻字" in body["rows"][0]["reason"] and residents(world) == {}
    gb18030 = (",".join(ZH_RESIDENTS) + "\n𠮷田,,,im,居家\n").encode("gb18030")  # GB18030 holds it
    assert upload(client, "/api/v1/residents/import", gb18030, name="r.csv") == (200, {"imported": 1})
    assert set(residents(world)) == {"𠮷田"}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_with_chinese_headers_in_any_excel_encoding_is_the_same_import(
        world: LotsWorld, client: TestClient, encoding: str) -> None:
    text = ",".join(ZH_RESIDENTS) + "\n买买提．艾力,13812345678,11010519491231002x,im,居家,,,,否\n"
    assert upload(client, "/api/v1/residents/import", text.encode(encoding), name="r.csv") == (200, {"imported": 1})
    [person] = residents(world).values()
    assert (person.name, person.id_number) == ("买买提·艾力", ID_ASCII)  # U+FF0E → U+00B7, x → X


FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, "X": "ｘ"})
bodies = st.from_regex(r"\A(11|31|37)0[1-9]0[1-9](19[5-9][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z")


def spelled(number: str, how: int) -> str:
    """One of the ways people type a number: as is, full-width, lower-case x, grouped with spaces or dashes."""
    return [number, number.translate(FULL), number.lower(), f"{number[:6]} {number[6:14]} {number[14:]}",
            f"{number[:6]}-{number[6:14]}-{number[14:]}".translate(FULL)][how]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, api_way=st.integers(0, 4), sheet_way=st.integers(0, 4), api_again=st.booleans())
def test_any_spelling_of_one_id_on_the_api_and_in_a_workbook_is_one_resident(
        world: LotsWorld, client: TestClient, body: str, api_way: int, sheet_way: int, api_again: bool) -> None:
    number = make_id_number(body)
    api = client.post("/api/v1/residents", headers=sign_in(client, "coord-im"), json={
        "resident_id": f"r-{body}-{api_way}", "community_id": "im", "name": "王秀英",
        "id_number": spelled(number, api_way)})
    sheet = upload(client, "/api/v1/residents/import",
                   xlsx(ZH_RESIDENTS, ["王秀英", None, spelled(number, sheet_way), "im", "either"]))
    if api_again:  # a third spelling on the API, after the workbook
        api = client.post("/api/v1/residents", headers=sign_in(client, "coord-im"), json={
            "resident_id": f"r2-{body}", "community_id": "im", "name": "王秀英", "id_number": spelled(number, 1)})
        assert api.status_code == 409, api.text
    assert api.status_code in (201, 409) and sheet[0] in (200, 422)
    with reading(world.engine) as session:
        holders = session.exec(select(Resident.id).where(Resident.id_number == number)).all()
    assert len(holders) == 1
