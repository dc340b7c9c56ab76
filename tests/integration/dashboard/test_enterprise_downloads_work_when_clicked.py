"""A download button whose file is made when it is clicked (st.download_button with a callable) runs that callable
outside the script run, where st.session_state is not the signed-in session's. The enterprise's 结算单 Excel read
the actor from the session there and downloaded nothing (AssertionError → "Callable execution failed"). Every
deferred download on every page is called here as Streamlit calls it — after the run, outside it — and must give
its file."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from bench.dashboard_world import COORD1, ENT1, actor

Deferred = tuple[str, Callable[[], Any]]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> list[Deferred]:
    """Every (file name, callable) a page registers for a click, kept to be called after the run."""
    kept: list[Deferred] = []
    register = MediaFileManager.add_deferred

    def keep(self: MediaFileManager, data_callable: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        kept.append((str(kwargs.get("file_name") or (args[2] if len(args) > 2 else "")), data_callable))
        return register(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return kept


def test_the_statement_excel_downloads_when_clicked(world, open_page, deferred: list[Deferred]) -> None:
    at = open_page("views/enterprise.py", ENT1)
    assert not at.exception
    statements = [(name, make) for name, make in deferred if name.startswith("结算单-") and name.endswith(".xlsx")]
    assert statements, "the statement offers its Excel file"
    for _name, make in statements:
        book = load_workbook(io.BytesIO(make()))  # outside the script run, as the click runs it
        about = {row[0]: row[1] for row in book["概要"].iter_rows(min_row=2, values_only=True)}
        assert about["企业编号"] == ENT1.enterprise_id
    totals = [list(load_workbook(io.BytesIO(make()))["结算单"].iter_rows(values_only=True))[-1]
              for _, make in statements]
    assert any(row[0] == "合计" and float(row[-1]) == 59.06 for row in totals)  # ¥56.25 + 5% fee, as on the page


@pytest.mark.parametrize(("page", "who"), [
    ("views/enterprise.py", ENT1),
    ("views/overview.py", actor("city", "city")),
    ("views/import_csv.py", COORD1),
    ("views/resident.py", None),  # the worker who has pay slips (world.worker)
])
def test_every_deferred_download_gives_its_file_outside_the_run(world, open_page, deferred: list[Deferred],
                                                                 page: str, who: Any) -> None:
    if who is None:
        who = actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))
    at = open_page(page, who)
    assert not at.exception
    if page == "views/enterprise.py":  # the template's buttons are in the upload section
        at.button_group(key="en_section").set_value("upload").run()
        assert not at.exception
    assert deferred, f"{page} makes some file when clicked"
    for name, make in deferred:
        made = make()
        assert isinstance(made, bytes | str) and made, name
