"""An inspection on its way to the earnings consumer is not a difference; once applied it is compared."""

from __future__ import annotations

from typing import Any

from schemas import commands as c
from usecases import work
from usecases.reconcile import in_flight, reconcile


def _inspect(pay_world: Any, resident: str, *, pieces: int = 20, passed: int = 18) -> str:
    lot = pay_world.lot(resident, pieces=pieces, rate_fen=37)
    pay_world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=pieces))
    sub, _ = pay_world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=pieces))
    inspection, _ = pay_world.run(work.record_inspection, c.RecordInspection(
        submission_id=sub.id, passed=passed, rejected=pieces - passed, defect_codes=["LOOSE"] if passed < pieces
        else []))
    return str(inspection.id)


def test_an_inspection_not_yet_applied_is_in_flight_not_a_difference(pay_world: Any, residents: list[str]) -> None:
    _inspect(pay_world, residents[0])
    pay_world.earn()
    _inspect(pay_world, residents[1])  # recorded, its event not yet applied by the earnings consumer

    assert reconcile(pay_world.engine) == []
    assert in_flight(pay_world.engine) == 1

    pay_world.earn()
    assert reconcile(pay_world.engine) == []
    assert in_flight(pay_world.engine) == 0


def test_an_applied_inspection_still_counts_when_its_ledger_row_is_changed(pay_world: Any,
                                                                        residents: list[str]) -> None:
    _inspect(pay_world, residents[0])
    pay_world.earn()
    _inspect(pay_world, residents[1])
    pay_world.tamper("piece_pay", 1)

    assert {(d["scope"], d["delta_fen"]) for d in reconcile(pay_world.engine)} >= {("resident", 1), ("entry", 1)}
