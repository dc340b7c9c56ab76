"""Work built in bulk straight in the database: lots in work, submissions, inspections and their outbox events.

The benchmarks need tens of thousands of inspections faster than the API could take them.
Everything is derived from the seed (ids, event ids, pieces, times), so two runs of the same
seed produce ledgers that can be compared entry by entry. Submission, inspection and event ids are
minted as the product mints them (schemas.ids: time first), from the simulated clock and the seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bench.work_lots import Terms, holdings
from schemas.events.work import InspectionRecorded
from schemas.ids import entity_id, uuid7
from services.demo.city import CityPlan, build_city
from services.demo.seed import load_city
from store.db import transaction
from store.tables import Inspection, Lot, MaterialIssue, Offer, Order, OutboxEvent, Submission
from usecases.settings import Settings

MONTH_START = datetime(2026, 11, 1, 0, 0, tzinfo=UTC) - timedelta(hours=8)  # 1 November, Asia/Shanghai
CHUNK = 5000


@dataclass
class Work:
    """What was built: the outbox rows (in order) and who works which lot."""

    outbox: list[dict[str, Any]] = field(default_factory=list)
    lots: dict[str, str] = field(default_factory=dict)  # resident id -> lot id
    rate_of_lot: dict[str, int] = field(default_factory=dict)
    bonus_of_lot: dict[str, int] = field(default_factory=dict)


def bench_city(seed: int, *, communities: int = 8, residents_per_community: int = 25) -> CityPlan:
    """A small city for the pipeline benchmarks: the communities spread over the partitions."""
    return build_city(seed=seed, communities=communities, sites_per_community=1,
                      residents_per_community=residents_per_community, enterprises=2)


def build_work(engine: Engine, settings: Settings, *, inspections: int, seed: int, prefix: str = "b",
               corrections_every: int = 0, record: bool = True, idle: frozenset[str] = frozenset(),
               plan: CityPlan | None = None) -> Work:
    """Load a city (the bench city unless given), give every resident a lot in work, inspect `inspections` times.

    Every `corrections_every`-th inspection corrects the latest one of its lot (a reversal and new pay).
    The events go into the outbox when `record` is true; otherwise the caller feeds them in later.
    `idle` residents get a lot but no inspections (the pay-latency probe works theirs through the API).
    """
    rng = random.Random(seed)
    plan = plan or bench_city(seed)
    load_city(engine, settings, plan, bulk=True)
    work = Work()
    residents = plan.residents
    workers = [r for r in residents if r.resident_id not in idle]
    terms: dict[str, Terms] = {}
    for k, community in enumerate(plan.communities):
        rate, bonus = rng.randint(30, 90), 5 * (k % 2)
        terms[community.community_id] = Terms(rate, bonus)
        for r in (x for x in residents if x.community_id == community.community_id):
            lot_id = f"{prefix}-lot-{r.resident_id}"
            work.lots[r.resident_id], work.rate_of_lot[lot_id], work.bonus_of_lot[lot_id] = lot_id, rate, bonus
    subs, rows = [], []
    latest: dict[str, dict[str, Any]] = {}  # lot -> its latest inspection row
    step = timedelta(days=30) / max(1, inspections)
    for i in range(inspections):
        r = rng.choice(workers)
        lot_id, at = work.lots[r.resident_id], MONTH_START + step * i
        at_ms = int(at.timestamp() * 1000)
        previous = latest.get(lot_id)
        if corrections_every and i % corrections_every == corrections_every - 1 and previous:
            previous["superseded"] = True
            sub_id, corrects = previous["submission_id"], previous["id"]
            pieces = previous["passed"] + previous["rejected"]
        else:
            sub_id, corrects = entity_id(f"{prefix}-sub", at_ms, rng.getrandbits(32)), None
            pieces = rng.randint(5, 40)
            subs.append({"id": sub_id, "lot_id": lot_id, "resident_id": r.resident_id, "pieces": pieces,
                         "minutes_spent": pieces * 6, "status": "inspected", "actor": "bench", "submitted_at": at})
        rejected = sum(1 for _ in range(pieces) if rng.random() < 0.04)
        inspection_id = entity_id(f"{prefix}-ins", at_ms, rng.getrandbits(32))
        row = {"id": inspection_id, "submission_id": sub_id, "lot_id": lot_id, "resident_id": r.resident_id,
               "passed": pieces - rejected, "rejected": rejected, "defect_codes": ["LOOSE"] if rejected else [],
               "piece_rate_centifen": work.rate_of_lot[lot_id] * 100,
               "quality_bonus_fen_per_piece": work.bonus_of_lot[lot_id],
               "corrects_inspection_id": corrects, "superseded": False, "actor": "bench", "inspected_at": at}
        rows.append(row)
        latest[lot_id] = row
        event = InspectionRecorded(
            event_id=uuid7(at_ms, rng.getrandbits(74)), occurred_at=at, key=r.community_id,
            producer="bench", inspection_id=row["id"], submission_id=sub_id, lot_id=lot_id,
            resident_id=r.resident_id, passed=row["passed"], rejected=rejected, defect_codes=row["defect_codes"],
            corrects_inspection_id=corrects, actor="bench")
        work.outbox.append({"event_id": str(event.event_id), "topic": event.topic, "key": event.key,
                            "type": event.type, "payload": event.model_dump_json(), "created_at": at,
                            "settled": False, "deliveries": 0})
    # The orders, lots, accepted offers and issues behind that work, as the product would have them (untimed).
    held = holdings(plan, work.lots, terms, subs, rows, prefix=prefix, month_start=MONTH_START,
                    offer_ttl=timedelta(minutes=settings.offer_ttl_minutes))
    with transaction(engine) as session:
        for model, batch in ((Order, held.orders), (Lot, held.lots), (Offer, held.offers),
                             (MaterialIssue, held.issues), (Submission, subs), (Inspection, rows)):
            for part in chunks(batch):
                session.execute(insert(model), part)
        if record:
            for part in chunks(work.outbox):
                session.execute(insert(OutboxEvent), part)
    analyse(engine)
    return work


def analyse(engine: Engine) -> None:
    """On PostgreSQL, refresh the planner's statistics after a bulk load, as a running deployment's autovacuum has
    done for its tables (bench/pg_upkeep.py): the runs that follow are planned for the world's size, not for empty
    tables. SQLite is left as a deployment leaves it (nothing there runs ANALYZE)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def feed_outbox(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Record already-built events in the outbox (the relay publishes them as it would any other)."""
    with transaction(engine) as session:
        for part in chunks(rows):
            session.execute(insert(OutboxEvent), part)


def chunks(rows: list[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
