"""dashboard_first_paint_s: how long the city overview takes to render over a million ledger lines."""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.dashboard_world import actor, build_world
from store.tables import LedgerEntry

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
BATCH = 50_000


def fill_ledger(url: str, entries: int, *, seed: int = 11) -> None:
    """Bulk-insert piece-pay lines spread over a year, 40 residents and 2 communities (SQLAlchemy core)."""
    from store.db import make_engine

    rng, now = random.Random(seed), datetime.now(UTC)
    residents = [(f"comm-00{c}", f"comm-00{c}-r{r:03d}") for c in (1, 2) for r in range(1, 21)]
    engine = make_engine(url)
    with engine.begin() as conn:
        for start in range(0, entries, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, entries)):
                community, resident = residents[i % len(residents)]
                pieces, rate = rng.randint(5, 60), rng.choice((80, 125, 150))
                rows.append({"entry_key": f"bench-{i}:piece_pay", "kind": "piece_pay", "resident_id": resident,
                             "order_id": "bench-order", "enterprise_id": "ent-01", "community_id": community,
                             "lot_id": f"bench-lot-{i // 50}", "inspection_id": f"bench-{i}", "pieces": pieces,
                             "rate_centifen": rate * 100, "amount_fen": pieces * rate, "period_id": "bench",
                             "memo": "", "posted_at": now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))})
            conn.execute(insert(LedgerEntry), rows)
    engine.dispose()


def build_read_model(url: str) -> None:
    """The ledger's read models (daily: ledger_day; per lot: lot_paid) from the lines a bulk load wrote straight
    into ledger_entry (store.ledger's rebuild_read_models, the same sums migrations 0007 and 0008 backfill); the
    product's own writers keep them as they append."""
    from store.db import make_engine, transaction
    from store.ledger import rebuild_read_models

    engine = make_engine(url)
    with transaction(engine) as session:
        rebuild_read_models(session)
    engine.dispose()


def ensure_declared_indexes(url: str) -> None:
    """Create indexes the tables declare that the migrations do not have yet (built after the bulk load: faster)."""
    from store.db import make_engine

    engine = make_engine(url)
    for index in LedgerEntry.__table__.indexes:  # type: ignore[attr-defined]
        index.create(engine, checkfirst=True)
    engine.dispose()


def first_paint(url: str, page: str = "views/overview.py") -> float:
    """Seconds for one full run of the page as the city (what the first paint waits for)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(DASHBOARD / page), default_timeout=120)
    at.session_state["actor"] = actor("city", "city")
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception or not at.metric:
        raise RuntimeError(f"the overview did not render: {at.exception}")
    return elapsed


def run(quick: bool = False) -> dict[str, float]:
    """Build the database (1,000,000 ledger lines; 50,000 when quick) and time the overview's first paint."""
    entries = 50_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build_world(url)
        started = time.perf_counter()
        fill_ledger(url, entries)
        ensure_declared_indexes(url)
        build_read_model(url)
        fill_s = time.perf_counter() - started
        first_paint(url)  # warm-up: imports and the engine, as a running server would have them
        return {"dashboard_first_paint_s": round(first_paint(url), 3), "ledger_entries": entries,
                "ledger_fill_s": round(fill_s, 1)}


if __name__ == "__main__":
    print(run())
