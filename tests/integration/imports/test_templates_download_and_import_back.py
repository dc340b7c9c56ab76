"""Import templates from the API (CSV and .xlsx, Chinese or English headers) are what the import reads back:
filled in and uploaded unchanged otherwise, they import; their columns are the documented ones."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lots_world import LotsWorld, sign_in
from openpyxl import load_workbook
from sqlmodel import select

from domain.orders.csv_import import ORDER_COLUMNS, RESIDENT_COLUMNS, SITE_COLUMNS
from domain.sheets import XLSX_MEDIA_TYPE
from services.api.app import create_app
from store.db import reading
from store.tables import Resident

DOCS = Path(__file__).resolve().parents[3] / "docs" / "spreadsheets.md"


@pytest.fixture
def client(world: LotsWorld) -> TestClient:
    world.community("im")
    return TestClient(create_app(world.settings))


def test_the_chinese_xlsx_template_filled_in_imports(world: LotsWorld, client: TestClient) -> None:
    reply = client.get("/api/v1/templates/residents.xlsx")  # a template holds no one's data: no sign-in
    assert reply.status_code == 200 and reply.headers["content-type"] == XLSX_MEDIA_TYPE
    book = load_workbook(io.BytesIO(reply.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == [c.zh[0] for c in RESIDENT_COLUMNS]
    assert sheet.column_dimensions["C"].number_format == "@"  # the ID column is text before anyone types in it
    sheet.delete_rows(2, sheet.max_row)  # the example rows name a community this city does not have
    sheet.append(["刘芳", "13912345678", "11010519491231002X", "im", "居家", "beading:1", None, None, "否"])
    out = io.BytesIO()
    book.save(out)
    reply = client.post("/api/v1/residents/import", headers=sign_in(client, "coord-im"),
                        files={"file": ("居民.xlsx", out.getvalue(), XLSX_MEDIA_TYPE)})
    assert reply.json() == {"imported": 1}
    with reading(world.engine) as session:
        [person] = session.exec(select(Resident).where(Resident.community_id == "im")).all()
    assert (person.name, person.phone, person.work_mode) == ("刘芳", "13912345678", "home")


@pytest.mark.parametrize(("kind", "columns"), [("residents", RESIDENT_COLUMNS), ("sites", SITE_COLUMNS),
                                               ("orders", ORDER_COLUMNS)])
def test_csv_templates_carry_the_documented_columns_in_either_language(
        client: TestClient, kind: str, columns: tuple) -> None:  # type: ignore[type-arg]
    english = client.get(f"/api/v1/templates/{kind}.csv", params={"lang": "en"})
    chinese = client.get(f"/api/v1/templates/{kind}.csv")
    assert english.headers["content-type"].startswith("text/csv")
    assert english.text.startswith("\ufeff" + ",".join(c.name for c in columns) + "\n")
    assert chinese.text.startswith("\ufeff" + ",".join(c.zh[0] for c in columns) + "\n")
    assert len(english.text.splitlines()) >= 2  # and an example row
    documented = DOCS.read_text(encoding="utf-8")
    for column in columns:
        assert f"`{column.name}`" in documented and column.zh[0] in documented, column.name
    assert client.get(f"/api/v1/templates/{kind}.pdf").status_code == 404
