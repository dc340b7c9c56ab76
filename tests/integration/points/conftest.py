"""Points fixtures: the pay world's city with a point rule in comm-001, the points consumer, and the API over it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from schemas import commands as c
from schemas.catalogue import decode
from schemas.points import SetPointRule
from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import OutboxEvent
from tests.integration.conftest import COMMUNITY, PayWorld
from usecases import points, shop, work
from usecases.consumer import apply_batch
from usecases.throttle import forget_clients


@dataclass
class PointsWorld:
    """Work scored by the points consumer exactly as the worker applies it; the API on the same database."""

    pay: PayWorld
    cursor: int = 0
    client: TestClient | None = None
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def hand_in(self, resident: str, *, pieces: int, passed: int, rate_fen: int) -> str:
        """A lot handed in on time (due in 30 days) and inspected; returns the inspection id."""
        lot = self.pay.lot(resident, pieces=pieces, rate_fen=rate_fen)
        self.pay.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=pieces))
        sub, _ = self.pay.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=pieces))
        inspection, _ = self.pay.run(work.record_inspection, c.RecordInspection(
            submission_id=sub.id, passed=passed, rejected=pieces - passed,
            defect_codes=["LOOSE"] if passed < pieces else []))
        return str(inspection.id)

    def correct(self, inspection_id: str, *, passed: int, rejected: int) -> str:
        """A correcting inspection of the same hand-in."""
        with reading(self.pay.engine) as session:
            from store.tables import Inspection
            original = session.get(Inspection, inspection_id)
            assert original is not None
            submission_id = original.submission_id
        fixed, _ = self.pay.run(work.record_inspection, c.RecordInspection(
            submission_id=submission_id, passed=passed, rejected=rejected,
            defect_codes=["LOOSE"] if rejected else [], corrects_inspection_id=inspection_id))
        return str(fixed.id)

    def score(self) -> int:
        """Pay the new work as the earnings consumer does, then deliver what it posted (one EarningsPosted per
        community and batch) to the points consumer; returns how many of those events it applied."""
        self.pay.earn()
        with reading(self.pay.engine) as session:
            rows = session.exec(select(OutboxEvent).where(col(OutboxEvent.id) > self.cursor)
                                .order_by(col(OutboxEvent.id))).all()
        if rows:
            self.cursor = rows[-1].id or self.cursor
        events = [decode(r.payload.encode()) for r in rows if r.type == "ledger.earnings_posted"]
        applied, failed = apply_batch(self.pay.engine, "points", events, points.apply, self.pay.ctx())
        assert not failed, failed
        return applied

    def call(self, method: str, path: str, user: str, **kw: Any) -> Any:
        assert self.client is not None
        return self.client.request(method, path, headers=self.headers[user], **kw)

    def sign_in(self, username: str) -> None:
        assert self.client is not None
        reply = self.client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
        assert reply.status_code == 200, reply.text
        self.headers[username] = {"Authorization": f"Bearer {reply.json()['access_token']}"}


@pytest.fixture
def points_world(pay_world: PayWorld) -> PointsWorld:
    """comm-001 scores by the default rule (1 point per ¥10, +50% from a 98% pass rate, no cap) from the start."""
    pay_world.run(shop.set_point_rule, SetPointRule(community_id=COMMUNITY, reason="试行 (trial)"))
    return PointsWorld(pay_world)


@pytest.fixture
def points_api(points_world: PointsWorld, residents: list[str]) -> Iterator[PointsWorld]:
    """The same world with the API: coord1, coord2 and two comm-001 residents signed in."""
    from services.api.app import create_app

    app = create_app(points_world.pay.settings)
    forget_clients()
    points_world.client = TestClient(app)
    for user in ("coord1", "coord2", residents[0], residents[1]):
        points_world.sign_in(user)
    yield points_world
    app.state.engine.dispose()
