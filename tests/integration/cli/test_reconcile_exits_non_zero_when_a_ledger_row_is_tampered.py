"""`microfactory reconcile` exits 0 when the ledger matches the inspections and 1 on a single fen of difference."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from schemas import commands as c
from services.cli import app
from store.db import transaction
from store.tables import LedgerEntry
from usecases import work
from usecases.reconcile import reconcile
from usecases.settings import get_settings


def _run_cli(monkeypatch: pytest.MonkeyPatch, url: str) -> Any:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()  # the CLI reads the process settings; make it see this database
    try:
        return CliRunner().invoke(app, ["reconcile"])
    finally:
        get_settings.cache_clear()


def test_one_fen_changed_in_the_ledger_fails_reconciliation(pay_world: Any, residents: list[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lot = pay_world.lot(residents[0], pieces=20, rate_fen=37)
    pay_world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=residents[0], pieces=20))
    sub, _ = pay_world.run(work.submit_output, residents[0], c.SubmitOutput(lot_id=lot, pieces=20))
    pay_world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=18, rejected=2,
                                                             defect_codes=["LOOSE"]))
    pay_world.earn()
    clean = _run_cli(monkeypatch, pay_world.settings.database_url)
    assert clean.exit_code == 0, clean.output
    assert "matches" in clean.output

    pay_world.tamper("piece_pay", 1)
    differences = reconcile(pay_world.engine)
    assert {(d["scope"], d["delta_fen"]) for d in differences} == {("resident", 1), ("order", 1), ("enterprise", 1),
                                                               ("entry", 1)}
    tampered = _run_cli(monkeypatch, pay_world.settings.database_url)
    assert tampered.exit_code == 1, tampered.output
    assert "4 differences" in tampered.output


def test_money_no_inspection_explains_is_a_difference(pay_world: Any, residents: list[str]) -> None:
    """A line of a kind nothing explains is unexplained; an adjustment line with no coordinator's adjustment
    record behind it (issue 16) is an adjustment difference: both are money nobody can account for."""
    with transaction(pay_world.engine) as session:
        for key, kind in (("smuggled", "manual"), ("smuggled-bonus", "adjustment")):
            session.add(LedgerEntry(entry_key=key, kind=kind, resident_id=residents[0],
                                    community_id="comm-001", pieces=0, rate_centifen=0, amount_fen=500,
                                    period_id="2026-11-A", posted_at=pay_world.now))
    assert sorted((d["scope"], d["id"], d["delta_fen"]) for d in reconcile(pay_world.engine)) == [
        ("adjustment", "smuggled-bonus", 500), ("unexplained", "smuggled", 500)]
