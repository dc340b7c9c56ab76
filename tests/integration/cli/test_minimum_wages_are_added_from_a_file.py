"""`microfactory minimum-wages FILE`: a deployment adds the figures it has sourced as data; all or none."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from services.cli import app
from store.db import make_engine, reading
from store.migrate import upgrade
from store.tables import MinimumWageFigure
from usecases.settings import get_settings

HEADER = "# 部署方核实的标准\ndivision,division_name,tier,monthly_yuan,hourly_yuan,effective_from,source\n"
QINGDAO = "370281,青岛市胶州市,第二档,2210,22,2025-10-01,鲁政字〔2025〕140号 附件\n"


def _run(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> Any:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()  # the CLI reads the process settings; make it see this database
    try:
        return CliRunner().invoke(app, ["minimum-wages", *args])
    finally:
        get_settings.cache_clear()


def test_the_figures_of_a_file_are_added(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    upgrade(database_url)
    table = tmp_path / "wages.csv"
    # UTF-8 with a BOM, as Excel saves it; 胶州市 ¥22 an hour (2,200 fen), ¥2,210 a month (221,000 fen).
    table.write_text(HEADER + QINGDAO, encoding="utf-8-sig")
    result = _run(monkeypatch, database_url, str(table))
    assert result.exit_code == 0, result.output
    with reading(make_engine(database_url)) as session:
        [figure] = session.exec(select(MinimumWageFigure)).all()
    assert (figure.division, figure.hourly_fen, figure.monthly_fen, figure.effective_from) == (
        "370281", 2_200, 221_000, date(2025, 10, 1))


@pytest.mark.parametrize(("rows", "field"), [
    (QINGDAO + "370283,青岛市平度市,第二档,2210,22.001,2025-10-01,x\n", "line 4: hourly_yuan"),
    (QINGDAO + "火星,?,,,22,2025-10-01,x\n", "line 4: division"),
    (QINGDAO + QINGDAO, "figure 2: effective_from"),  # the same division and date twice
])
def test_a_bad_row_adds_nothing_and_is_named_in_one_line(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path, rows: str, field: str) -> None:
    upgrade(database_url)
    table = tmp_path / "wages.csv"
    table.write_text(HEADER + rows, encoding="utf-8")
    result = _run(monkeypatch, database_url, str(table))
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0 and result.output.startswith(f"{field}:"), result.output
    with reading(make_engine(database_url)) as session:
        assert session.exec(select(MinimumWageFigure)).all() == []
