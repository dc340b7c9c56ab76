"""A pay slip's 批次 column names the lot as people do — its short code ('手链-1011-01'), an older lot without one by
its product and number ('串珠手链-第1批') — with the product beside it, in every form a resident or coordinator gets
it from the API: the printable HTML, the CSV, the Excel workbook and the PDF. It printed the lot's internal id
('lot-3f9c…'), and the code only inside the product column."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.sheets import read_xlsx_rows
from services.api.app import create_app
from store.db import transaction
from store.tables import Lot
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login, _paid_work
from tests.unit.pay.pdf_text import pdf_lines


@pytest.mark.parametrize(("short_code", "shown"), [("手链-1011-01", "手链-1011-01"), (None, "串珠手链-第1批")])
def test_every_form_of_the_slip_names_the_lot_by_its_code_never_its_id(
        pay_world: Any, residents: list[str], short_code: str | None, shown: str) -> None:
    owner = residents[0]
    period = _paid_work(pay_world, owner)
    with transaction(pay_world.engine) as s:
        [lot] = s.exec(select(Lot).where(Lot.resident_id == owner)).all()
        lot.short_code = short_code
        s.add(lot)
        lot_id = lot.id
    client = TestClient(create_app(pay_world.settings))
    me = _login(client, owner)
    url = f"/api/v1/residents/{owner}/pay-slips/{period}"

    html = client.get(url, params={"format": "html"}, headers=me).text
    assert f"<tr><td>{shown}</td><td>串珠手链 </td><td>计件工资</td>" in html, html
    rows = list(csv.reader(io.StringIO(client.get(url, params={"format": "csv"}, headers=me).text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["批次", "产品"] and rows[1][:3] == [shown, "串珠手链", "计件工资"], rows
    sheet = read_xlsx_rows(client.get(f"{url}.xlsx", headers=me).content)
    assert sheet[0][:2] == ["批次", "产品"] and sheet[1][:3] == [shown, "串珠手链", "计件工资"], sheet
    printed = pdf_lines(client.get(f"{url}.pdf", headers=me).content)
    assert shown in printed and "串珠手链" in printed, printed
    for form, text in (("html", html), ("csv", str(rows)), ("xlsx", str(sheet)), ("pdf", "\n".join(printed))):
        assert lot_id not in text, form
    [line] = client.get(url, headers=me).json()["lines"]
    assert (line["lot_code"], line["label"]) == (shown, "串珠手链")
