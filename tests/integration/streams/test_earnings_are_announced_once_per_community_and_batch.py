"""The earnings consumer announces what it posted with one EarningsPosted per community and batch, in the same
transaction as the ledger lines: every paid inspection in exactly one posting, amounts equal to its lines."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from schemas import commands as c
from schemas.catalogue import decode
from schemas.events.pay import EarningsPosted
from store.db import reading
from store.tables import LedgerEntry, OutboxEvent
from usecases import earn, work
from usecases.actors import Actor
from usecases.consumer import apply_batch


def inspect(world: Any, resident: str, lot: str, passed: int) -> Any:
    """Issue, hand in and inspect `passed` + 1 pieces (one rejected), as the resident's coordinator; the inspection."""
    me = Actor(username="coord", role="coordinator", community_ids=frozenset({resident.rsplit("-", 1)[0]}))
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=passed + 1), actor=me)
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=passed + 1), actor=me)
    inspection, _ = world.run(work.record_inspection, c.RecordInspection(
        submission_id=sub.id, passed=passed, rejected=1, defect_codes=["LOOSE"]), actor=me)
    return inspection


def outbox(world: Any, event_type: str) -> list[Any]:
    with reading(world.engine) as session:
        rows = session.exec(select(OutboxEvent).where(OutboxEvent.type == event_type).order_by(col(OutboxEvent.id)))
        return [decode(r.payload.encode()) for r in rows]


def test_one_event_per_community_names_every_inspection_once_with_its_lines(pay_world: Any) -> None:
    world = pay_world
    crew = {"comm-001": ["comm-001-r001", "comm-001-r002"], "comm-002": ["comm-002-r001"]}
    inspected = {}
    for community, people in crew.items():
        for n, resident in enumerate(people):
            lot = world.lot(resident, pieces=100, rate_fen=40 + n, bonus_fen=3, community_id=community)
            for passed in (9, 19):
                inspected[inspect(world, resident, lot, passed).id] = community
    work_events = outbox(world, "work.inspection_recorded")

    applied, failed = apply_batch(world.engine, "earnings", work_events, earn.apply, world.ctx())

    assert (applied, failed) == (len(work_events), [])
    announced = outbox(world, "ledger.earnings_posted")
    assert sorted(e.key for e in announced) == ["comm-001", "comm-002"]
    postings = {p.inspection_id: (e.key, p) for e in announced for p in e.postings}
    assert sum(len(e.postings) for e in announced) == len(postings) == len(inspected) == 6
    with reading(world.engine) as session:
        lines = {e.entry_key: e for e in session.exec(select(LedgerEntry))}
    assert sorted(k for _, p in postings.values() for k in p.entry_keys) == sorted(lines)
    for inspection_id, (community, posting) in postings.items():
        assert community == inspected[inspection_id]
        mine = [lines[k] for k in posting.entry_keys]
        assert {line.inspection_id for line in mine} == {inspection_id}
        assert posting.amount_fen == sum(line.amount_fen for line in mine) > 0
        assert {posting.period_id} == {line.period_id for line in mine}
        assert {posting.resident_id} == {line.resident_id for line in mine}

    assert apply_batch(world.engine, "earnings", work_events, earn.apply, world.ctx()) == (0, [])
    assert len(outbox(world, "ledger.earnings_posted")) == 2  # a redelivered batch posts and announces nothing


def test_a_community_with_more_inspections_than_an_event_holds_gets_several(pay_world: Any,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    world, resident = pay_world, "comm-001-r001"
    monkeypatch.setattr(EarningsPosted, "MAX_POSTINGS", 2)
    lot = world.lot(resident, pieces=100)
    ids = [inspect(world, resident, lot, passed).id for passed in (3, 4, 5, 6, 7)]

    apply_batch(world.engine, "earnings", outbox(world, "work.inspection_recorded"), earn.apply, world.ctx())

    announced = outbox(world, "ledger.earnings_posted")
    assert [len(e.postings) for e in announced] == [2, 2, 1]
    assert [p.inspection_id for e in announced for p in e.postings] == ids  # in the order they were paid
