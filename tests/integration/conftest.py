"""Integration fixtures for pay: a small seeded city with lots in work, a fixed clock and the earnings worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from schemas.catalogue import decode
from schemas.envelope import Event
from services.demo.city import build_city
from services.demo.seed import load_city
from store.db import transaction
from store.outbox import record_events
from store.tables import Lot, Order, OutboxEvent
from usecases import earn
from usecases.actors import Actor
from usecases.consumer import apply_batch
from usecases.context import Context
from usecases.settings import Settings

COMMUNITY = "comm-001"
COORDINATOR = Actor(username="coord1", role="coordinator", community_ids=frozenset({COMMUNITY}))
# 2026-11-10 10:00 in Shanghai: inside the half-month period 2026-11-A.
START = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


@dataclass
class PayWorld:
    """Drives the work use cases and the earnings worker against one database, on a clock the test sets."""

    engine: Engine
    settings: Settings
    now: datetime = START
    cursor: int = 0
    work_events: list[Event] = field(default_factory=list)

    def ctx(self, at: datetime | None = None) -> Context:
        return Context(now=at or self.now, settings=self.settings, producer="test")

    def run(self, use_case: Callable[..., Any], *args: Any, actor: Actor = COORDINATOR,
            at: datetime | None = None, **kwargs: Any) -> Any:
        """One use case in one transaction, its events into the outbox, as the API's execute() does."""
        with transaction(self.engine) as session:
            result = use_case(session, *args, actor=actor, ctx=self.ctx(at), **kwargs)
            events = result[1] if isinstance(result, tuple) else result
            record_events(session, [e for e in events if isinstance(e, Event)])
        return result

    def lot(self, resident_id: str, *, pieces: int = 60, rate_fen: int = 37, bonus_fen: int = 0,
            product_code: str = "BEAD-01", enterprise_id: str = "ent-01", community_id: str = COMMUNITY) -> str:
        """A lot already accepted by the resident (matching is not what these tests are about)."""
        order_id, lot_id = f"ord-{uuid4().hex[:8]}", f"lot-{uuid4().hex[:8]}"
        with transaction(self.engine) as session:
            session.add(Order(id=order_id, enterprise_id=enterprise_id, product_code=product_code, quantity=pieces,
                              piece_rate_centifen=rate_fen * 100, quality_bonus_fen_per_piece=bonus_fen,
                              due_at=self.now + timedelta(days=30), eligible_community_ids=[community_id],
                              status="in_progress", posted_at=self.now))
            session.flush()
            session.add(Lot(id=lot_id, order_id=order_id, community_id=community_id, lot_no=1, pieces=pieces,
                            due_at=self.now + timedelta(days=30), status="accepted", resident_id=resident_id,
                            piece_rate_centifen=rate_fen * 100, accepted_at=self.now))
        return lot_id

    def earn(self, at: datetime | None = None) -> int:
        """Deliver the new work events to the earnings consumer exactly as the worker does."""
        with transaction(self.engine) as session:
            rows = session.exec(select(OutboxEvent).where(col(OutboxEvent.id) > self.cursor)
                                .order_by(col(OutboxEvent.id))).all()
        if rows:
            self.cursor = rows[-1].id or self.cursor
        events = [decode(r.payload.encode()) for r in rows if r.topic == "mf.work.v1"]
        self.work_events += events
        if not events:
            return 0
        applied, failed = apply_batch(self.engine, "earnings", events, earn.apply, self.ctx(at))
        assert not failed, failed
        return applied


    def tamper(self, kind: str, delta_fen: int) -> None:
        """Rewrite one ledger row behind the append-only triggers, as hand-typed SQL by an administrator could."""
        with self.engine.begin() as conn:
            postgres = conn.dialect.name == "postgresql"
            conn.exec_driver_sql("ALTER TABLE ledger_entry DISABLE TRIGGER USER" if postgres
                                 else "DROP TRIGGER IF EXISTS ledger_entry_no_update")
            conn.execute(text("UPDATE ledger_entry SET amount_fen = amount_fen + :delta WHERE id = "
                              "(SELECT min(id) FROM ledger_entry WHERE kind = :kind)"),
                         {"delta": delta_fen, "kind": kind})
            if postgres:
                conn.exec_driver_sql("ALTER TABLE ledger_entry ENABLE TRIGGER USER")


@pytest.fixture
def pay_world(engine: Engine, settings: Settings) -> PayWorld:
    """Two communities of six residents each (coordinator coord1 runs comm-001), the demo products."""
    load_city(engine, settings, build_city(communities=2, residents_per_community=6))
    return PayWorld(engine, settings)


@pytest.fixture
def residents() -> list[str]:
    """comm-001 residents who have a phone, so can sign in (username = resident id, demo password)."""
    plan = build_city(communities=2, residents_per_community=6)
    return [r.resident_id for r in plan.residents if r.community_id == COMMUNITY and r.password]
