"""The resident's pay slip, as her page downloads it (PDF and Excel), names her and her community as people do:
'高珍英', '第1社区' — not '高珍英（comm-001-r001）' and 'comm-001' (new-user trial). Where another resident of her
community has the same name, the slip tells them apart by her phone's last four digits, never by the full number."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from bench.dashboard_world import COORD1, World, actor
from schemas import commands as c
from store.db import reading
from store.tables import Community, Resident
from usecases import registry
from usecases.execute import execute

Deferred = tuple[str, Callable[[], Any]]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> list[Deferred]:
    """Every (file name, callable) the page registers for a click, to be called as the click does."""
    kept: list[Deferred] = []
    register = MediaFileManager.add_deferred

    def keep(self: MediaFileManager, data_callable: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        kept.append((str(kwargs.get("file_name") or (args[2] if len(args) > 2 else "")), data_callable))
        return register(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return kept


ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, its backslash escapes undone (PDF 32000-1, 7.3.4.2)."""
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1).isdigit()
                  else ESCAPES.get(m.group(1), m.group(1)), raw, flags=re.S)


def pdf_text(pdf: bytes) -> str:
    """The text lines an fpdf2 PDF draws (`(…) Tj`, two-byte glyph ids), read back through its ToUnicode map."""
    streams = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    glyphs = {int(gid, 16): chr(int(uni, 16)) for s in streams
              for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S)
              for gid, uni in re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", block)}
    lines = []
    for s in streams[1:]:
        for raw in re.findall(rb"\(((?:[^\\)]|\\.)*)\) Tj", s, re.S):
            code = _literal(raw)
            lines.append("".join(glyphs.get(int.from_bytes(code[i:i + 2], "big"), "?")
                                 for i in range(0, len(code) - 1, 2)))
    return "\n".join(lines)


def downloads(open_page, world: World, deferred: list[Deferred]) -> dict[str, bytes]:  # noqa: ANN001
    me = actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))
    at = open_page("views/resident.py", me)
    assert not at.exception
    files = {name: make() for name, make in deferred if name.startswith("工资条-")}
    assert any(n.endswith(".pdf") for n in files) and any(n.endswith(".xlsx") for n in files)
    return files


def names(world: World) -> tuple[str, str]:
    with reading(world.engine) as s:
        resident, community = s.get(Resident, world.worker), s.get(Community, "comm-001")
        assert resident is not None and community is not None
        return resident.name, community.name


def summary(book: bytes) -> dict[str, str]:
    return {str(k): str(v) for k, v in load_workbook(io.BytesIO(book))["概要"].iter_rows(min_row=2, values_only=True)}


def test_the_slip_names_her_and_her_community(world: World, open_page, deferred: list[Deferred]) -> None:  # noqa: ANN001
    name, community = names(world)
    files = downloads(open_page, world, deferred)
    [pdf] = [b for n, b in files.items() if n.endswith(".pdf")]
    text = pdf_text(pdf)
    assert f"姓名：{name}\n" in text and f"社区：{community}\n" in text, text
    assert world.worker not in text and "comm-001" not in text.split("结算周期")[0]
    [book] = [b for n, b in files.items() if n.endswith(".xlsx")]
    about = summary(book)
    assert about["姓名"] == name and about["社区"] == community
    assert world.worker not in about.values()


def test_two_of_one_name_are_told_apart_by_the_phone_s_last_digits(world: World, open_page,  # noqa: ANN001
                                                                  deferred: list[Deferred]) -> None:
    name, community = names(world)
    execute(world.engine, world.settings, registry.register_resident, c.RegisterResident(
        resident_id="comm-001-namesake", community_id="comm-001", name=name, phone="13912345678"), actor=COORD1)
    with reading(world.engine) as s:
        mine = s.get(Resident, world.worker)
        assert mine is not None and mine.phone
    files = downloads(open_page, world, deferred)
    [pdf] = [b for n, b in files.items() if n.endswith(".pdf")]
    told = f"{name}（尾号{mine.phone[-4:]}）"
    assert f"姓名：{told}\n" in pdf_text(pdf)
    assert mine.phone not in pdf_text(pdf)
    [book] = [b for n, b in files.items() if n.endswith(".xlsx")]
    assert summary(book)["姓名"] == told
