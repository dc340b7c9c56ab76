"""Attacks on the imports (SQLite and PostgreSQL): an .xlsx whose parts unpack to far more than any register (a zip
bomb: 400 KB that unpacked to 400 MB took 22 s and 2.3 GB of memory, and its 400 MB header came back whole in the
422) is refused before it is read, with the reason; an upload over 5 MB is a 413 in the caller's language (it was
English only). Nothing is imported."""

from __future__ import annotations

import io
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.sheets import MAX_ROWS, MAX_UNPACKED_BYTES, Sheet, write_xlsx
from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import Resident


def _bomb() -> bytes:
    """A real workbook whose shared-strings part is padded to just past what an import may unpack."""
    source = zipfile.ZipFile(io.BytesIO(write_xlsx([Sheet("居民", ["姓名"], [["王秀英"]])])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part.filename, source.read(part.filename))
        target.writestr("xl/padding.xml", b"A" * (MAX_UNPACKED_BYTES + 1))
    return out.getvalue()


def test_a_zip_bomb_and_an_oversized_file_are_refused_with_the_reason(city_api: FastAPI) -> None:
    client = TestClient(city_api)
    token = client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD}).json()
    coordinator = {"Authorization": f"Bearer {token['access_token']}"}
    with reading(city_api.state.engine) as session:
        before = len(session.exec(select(Resident)).all())
    bomb = _bomb()
    assert len(bomb) < 200_000
    reply = client.post("/api/v1/residents/import", headers=coordinator, files={"file": ("居民.xlsx", bomb)})
    assert reply.status_code == 422, reply.text
    assert "解压后" in reply.text and len(reply.content) < 10_000, reply.text[:500]

    reply = client.post("/api/v1/residents/import", headers=coordinator,
                        files={"file": ("居民.csv", b"name\n" + b"a\n" * (3 * 1024 * 1024))})
    assert reply.status_code == 413, reply.text
    assert reply.json()["detail"] == [{"field": "file", "reason": "文件超过 5 MB，请拆分后分批导入"}]
    reply = client.post("/api/v1/residents/import", headers={**coordinator, "Accept-Language": "en"},
                        files={"file": ("residents.csv", b"name\n" + b"a\n" * (3 * 1024 * 1024))})
    assert reply.json()["detail"] == [{"field": "file", "reason": "larger than 5 MB; split the file"}]
    with reading(city_api.state.engine) as session:
        assert len(session.exec(select(Resident)).all()) == before


def test_a_csv_of_more_rows_than_a_workbook_may_have_is_refused_like_one(city_api: FastAPI) -> None:
    """Issue 15 (attack): an .xlsx of more than MAX_ROWS rows was refused, a CSV of as many was read and, rows
    valid, imported in one transaction holding the database's write lock (a 5 MB order list is ~40,000 orders)."""
    client = TestClient(city_api)
    token = client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD}).json()
    coordinator = {"Authorization": f"Bearer {token['access_token']}"}
    rows = "".join(f"居民{n},comm-001,either\n" for n in range(MAX_ROWS + 1))
    for lang, words in (("zh-CN", f"超过 {MAX_ROWS} 行"), ("en", f"more than {MAX_ROWS} rows")):
        reply = client.post("/api/v1/residents/import", headers={**coordinator, "Accept-Language": lang},
                            files={"file": ("居民.csv", ("name,community_id,work_mode\n" + rows).encode())})
        assert reply.status_code == 422, reply.text[:300]
        assert len(reply.json()["rows"]) == 1 and words in reply.json()["rows"][0]["reason"], reply.text[:300]
    with reading(city_api.state.engine) as session:
        assert not session.exec(select(Resident).where(Resident.name == "居民0")).first()
