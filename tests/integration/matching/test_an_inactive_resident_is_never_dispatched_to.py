"""A resident no longer active (Resident.active false, 停用) takes no work from a coordinator's hand either: the
matcher never loaded her, but a dispatch over HTTP gave her the lot. It is now a 422 naming resident_id and the
reason in Chinese, no override excuses it, and nothing changes; the dispatch check (preview) names the rule."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from lots_world import LotsWorld, sign_in
from sqlmodel import col, func, select

from services.api.app import create_app
from store.db import reading, transaction
from store.tables import AuditRecord, Lot, OutboxEvent, Resident


def _state(world: LotsWorld, lot_id: str) -> tuple[Any, ...]:
    with reading(world.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        return (lot.status, lot.resident_id, lot.pinned_resident_id, lot.excluded_resident_ids,
                session.exec(select(func.count()).select_from(OutboxEvent)).one(),
                session.exec(select(func.count()).select_from(AuditRecord)
                             .where(col(AuditRecord.action) == "lot.dispatch")).one())


def test_a_dispatch_to_an_inactive_resident_is_refused_naming_the_field_and_changes_nothing(
        world: LotsWorld) -> None:
    cid = world.community("d-gone")
    world.resident("d-gone-ok", cid)
    world.resident("d-gone-left", cid)
    with transaction(world.engine) as session:
        left = session.get(Resident, "d-gone-left")
        assert left is not None
        left.active = False
        session.add(left)
    world.order(cid)
    world.pump()
    [matched] = world.offers(status="pending")
    assert matched.resident_id == "d-gone-ok"  # the matcher passes her over
    before, offers_before = _state(world, matched.lot_id), world.offers(lot_id=matched.lot_id)
    client = TestClient(create_app(world.settings))
    coordinator = sign_in(client, f"coord-{cid}")

    for extra in ({}, {"override_rules": ["skill"], "override_reason": "她说还能做"}):
        reply = client.post(f"/api/v1/lots/{matched.lot_id}/dispatch", headers=coordinator,
                            json={"resident_id": "d-gone-left", **extra})
        assert reply.status_code == 422, reply.text
        [problem] = reply.json()["detail"]
        assert problem["field"] == "resident_id", problem
        assert "已停用" in problem["reason"] and "active" in problem["reason"], problem["reason"]
        assert _state(world, matched.lot_id) == before, "a refused dispatch changes nothing"
        assert world.offers(lot_id=matched.lot_id) == offers_before

    check = client.get(f"/api/v1/lots/{matched.lot_id}/dispatch-check", headers=coordinator,
                       params={"resident_id": "d-gone-left"})
    assert check.status_code == 200, check.text
    assert [b["rule"] for b in check.json()["broken"]] == ["active"], check.json()
    assert "已停用" in check.json()["broken"][0]["reason_zh"]
