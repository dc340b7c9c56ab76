"""Where people meet pay on the dashboard, a resident reads by her name and a period by its name, never by an id
(a fresh user found '高珍英 (comm-001-r001)' in the coordinator's debts table and bonus/recovery picker, files saved as
'工资条-2026-11-B.pdf', and a carried debt's line with no word of where it came from):
- the resident's slip files are saved as '工资条-2026年11月上半月.pdf' (…csv, …xlsx), and her carried debt's line reads
  '上期结转欠款：来自2026年10月下半月'; the enterprise's statement files and the payout batch name the period (and the
  community) too;
- the debts table and the picker show the name alone, and two residents of one name apart by their phone's last four
  digits (dashboard.names.people_names: '高珍英（尾号1234）')."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select
from streamlit.runtime.media_file_manager import MediaFileManager

from bench.dashboard_world import COORD1, ENT1, World, actor
from store.db import reading, transaction
from store.tables import Resident
from tests.integration.dashboard.test_every_page_names_a_pay_period_as_people_do import PERIOD_ID, carried

__all__ = ["carried"]  # the fixture: a debt of 2026-10-B (closed) carried into 2026-11-A


@pytest.fixture
def saved_as(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file name of every download a page offers, made now (bytes) or when clicked (a callable)."""
    names: list[str] = []
    for method in ("add", "add_deferred"):
        original = getattr(MediaFileManager, method)

        def keep(self: MediaFileManager, *args: Any, _original: Any = original, **kwargs: Any) -> str:
            names.append(str(kwargs.get("file_name") or (args[3] if len(args) > 3 else "")))
            return str(_original(self, *args, **kwargs))

        monkeypatch.setattr(MediaFileManager, method, keep)
    return names


def _resident(world: World) -> Any:
    return actor(world.worker, "resident", resident_id=world.worker, community_ids=frozenset({"comm-001"}))


def test_her_slip_files_are_named_by_the_period(carried: World, open_page, saved_as: list[str]) -> None:
    at = open_page("views/resident.py", _resident(carried))
    assert not at.exception
    slips = [n for n in saved_as if n.startswith("工资条-")]
    assert {"工资条-2026年10月下半月.pdf", "工资条-2026年11月上半月.csv", "工资条-2026年11月上半月.xlsx"} <= set(slips)
    assert [n for n in slips if PERIOD_ID.search(n)] == []


def test_her_carried_debt_says_which_period_it_came_from(carried: World, open_page) -> None:
    at = open_page("views/resident.py", _resident(carried))
    assert not at.exception
    november = next(e for e in at.expander if e.proto.label.startswith("工资期 2026年11月上半月"))
    lines = [m.value for m in november.markdown]
    assert any(x.startswith("上期结转欠款：来自2026年10月下半月 ") for x in lines), lines
    october = next(e for e in at.expander if e.proto.label.startswith("工资期 2026年10月下半月"))
    assert any(m.value.startswith("欠款结转下期：转入2026年11月上半月 ") for m in october.markdown)


def test_the_statement_files_are_named_by_the_period(world: World, open_page, saved_as: list[str]) -> None:
    at = open_page("views/enterprise.py", ENT1)
    assert not at.exception
    statements = [n for n in saved_as if n.startswith("结算单-")]
    assert statements and all(PERIOD_ID.search(n) is None for n in statements), statements
    assert any(n.endswith("下半月.xlsx") or n.endswith("上半月.xlsx") for n in statements), statements


def test_the_payout_batch_file_names_the_community_and_the_period(carried: World, open_page,
                                                                  saved_as: list[str]) -> None:
    at = open_page("views/import_csv.py", COORD1)
    assert not at.exception
    assert "发放清单-第1社区-2026年10月下半月.xlsx" in saved_as, saved_as


def _pay_section(open_page) -> Any:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "pay"
    at.run()
    assert not at.exception
    return at


def test_the_debts_table_and_the_picker_name_the_resident(carried: World, open_page) -> None:
    with reading(carried.engine) as s:
        her = s.get(Resident, carried.worker)
    at = _pay_section(open_page)
    assert list(at.table[0].value.index) == [her.name]
    shown = at.selectbox(key="adjust_resident").options  # what the picker shows, one per resident
    assert her.name in shown and not any("comm-00" in x for x in shown), shown


def test_two_residents_of_one_name_are_told_apart_by_their_phone(carried: World, open_page) -> None:
    with transaction(carried.engine) as s:
        her = s.get(Resident, carried.worker)
        namesake = s.exec(select(Resident).where(Resident.community_id == "comm-001", Resident.id != her.id,
                                                 Resident.phone.is_not(None))).first()  # type: ignore[union-attr]
        namesake.name = her.name
        s.add(namesake)
        name, hers, theirs = her.name, her.phone, namesake.phone
    at = _pay_section(open_page)
    assert list(at.table[0].value.index) == [f"{name}（尾号{hers[-4:]}）"]
    shown = at.selectbox(key="adjust_resident").options
    assert {f"{name}（尾号{hers[-4:]}）", f"{name}（尾号{theirs[-4:]}）"} <= set(shown) and name not in shown
    assert not any("comm-00" in x or hers in x for x in shown)
