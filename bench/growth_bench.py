"""How cost grows from a community to a province (issue 19): the same measurements at three sizes.

For each size of services.demo.city.SIZES — community (200 residents), city (5,200) and a province's slice
(100,000) — the registry is bulk-loaded into a fresh SQLite database, then:

- match_batch_s: for SAMPLE communities spread over the city, an order of LOTS lots is posted and split
  in-process (usecases.orders, usecases.split), and one matching batch of that community is timed
  (usecases.match.match_community, reading its inputs from the database of that size): the mean per community.
  A community's batch should cost the same in a province as alone: only its own rows are read.
- worker_peak_rss_mb: the worker's peak memory while it prices inspections of residents of the whole size
  (bench.scale_bench.worker_peak_rss, at this size).
- pg_dashboard_first_paint_s_10m: the city overview's first paint over 10,000,000 ledger lines on PostgreSQL
  (copied in with COPY, then the declared indexes built).
The table goes into docs/benchmarks.md with a PNG chart of each cost against the number of residents.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import mean
from typing import Any

import psycopg

from bench.dashboard_bench import ensure_declared_indexes, first_paint
from bench.dashboard_world import build_world
from bench.scale_bench import worker_peak_rss
from schemas import commands as c
from services.demo.city import SIZES, CityPlan, build_sized_city
from services.demo.seed import load_city
from services.harness import scratch_postgres
from store.db import make_engine, transaction
from store.migrate import upgrade
from store.outbox import record_events
from usecases import orders as order_uc
from usecases import split
from usecases.actors import Actor
from usecases.context import Context
from usecases.match import match_community
from usecases.settings import Settings

GROWTH_SIZES = ("community", "city", "province")
SAMPLE, LOTS = 3, 20
PG_LEDGER_LINES = 10_000_000
COPY_CHUNK = 200_000


def sampled(plan: CityPlan) -> list[str]:
    """First, middle and last community: a batch's cost must not depend on where its rows sit."""
    ids = [cm.community_id for cm in plan.communities]
    return sorted({ids[0], ids[len(ids) // 2], ids[-1]})[:SAMPLE]


def match_batch_seconds(size: str, seed: int = 17) -> dict[str, Any]:
    """Load a city of `size`, post and split an order per sampled community, time one matching batch each."""
    plan = build_sized_city(size, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'growth.db'}"
        upgrade(url)
        engine = make_engine(url)
        settings = Settings(DATABASE_URL=url, DEMO=False)
        started = time.perf_counter()
        load_city(engine, settings, plan, bulk=True)
        load_s = time.perf_counter() - started
        _one_batch(engine, settings, plan, sampled(plan)[0])  # warm-up: statement caches, as a running worker has
        batches = [_one_batch(engine, settings, plan, cid) for cid in sampled(plan)]
        engine.dispose()
    return {"size": size, "residents": len(plan.residents), "communities": len(plan.communities),
            "load_s": round(load_s, 1), "match_batch_s": round(mean(s for s, _ in batches), 4),
            "offers_per_batch": round(mean(n for _, n in batches), 1)}


def _one_batch(engine: Any, settings: Settings, plan: CityPlan, community_id: str) -> tuple[float, int]:
    """Post and split an order of LOTS lots for the community, then time its matching batch: (seconds, offers)."""
    enterprise = plan.enterprises[0].enterprise_id
    product = plan.product_mix[enterprise][0]
    actor = Actor(username="growth-bench", role="enterprise", enterprise_id=enterprise)
    ctx = Context.live(settings, producer="growth-bench")
    with transaction(engine) as session:
        lot_size = next(p.lot_size for p in plan.products if p.product_code == product)
        _, events = order_uc.post_order(session, c.PostOrder(
            enterprise_id=enterprise, product_code=product, quantity=LOTS * lot_size, piece_rate_fen=300,
            due_at=datetime.now(UTC) + timedelta(days=10), eligible_community_ids=[community_id],
            pickup_site_id=f"{community_id}-site-1"), actor=actor, ctx=ctx)
        record_events(session, split.apply(session, events, ctx))
    started = time.perf_counter()
    with transaction(engine) as session:
        made = match_community(session, community_id, ctx)
        record_events(session, made)
    return time.perf_counter() - started, sum(1 for e in made if e.type == "offer.made")


def pg_first_paint_10m(quick: bool) -> dict[str, Any]:
    """The overview's first paint on PostgreSQL over 10 M ledger lines (1 M when quick)."""
    lines = 1_000_000 if quick else PG_LEDGER_LINES
    with scratch_postgres("mf_bench") as url:
        build_world(url)
        started = time.perf_counter()
        copy_ledger(url, lines)
        ensure_declared_indexes(url)
        fill_s = time.perf_counter() - started
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE ledger_entry")
        first_paint(url)  # warm-up, as a running server would be
        paint = first_paint(url)
    return {"pg_dashboard_first_paint_s_10m": round(paint, 3), "pg_dashboard_ledger_lines": lines,
            "pg_ledger_fill_s": round(fill_s, 1)}


def copy_ledger(url: str, lines: int) -> None:
    """Piece-pay lines over a year for the dashboard world's 40 residents, generated by PostgreSQL itself
    (generate_series: a million rows sent from Python took 80 s; the amounts vary by a fixed hash of the row)."""
    columns = ("entry_key", "kind", "resident_id", "order_id", "enterprise_id", "community_id", "lot_id",
               "inspection_id", "pieces", "rate_centifen", "amount_fen", "period_id", "memo", "posted_at")
    values = """'bench-' || i || ':piece_pay', 'piece_pay',
        'comm-00' || (1 + (i % 40) / 20) || '-r' || lpad((1 + i % 20)::text, 3, '0'), 'bench-order', 'ent-01',
        'comm-00' || (1 + (i % 40) / 20), 'bench-lot-' || (i / 50), 'bench-' || i,
        5 + (i * 7919) % 56, 100 * (ARRAY[80, 125, 150])[1 + (i * 31) % 3],
        (5 + (i * 7919) % 56) * (ARRAY[80, 125, 150])[1 + (i * 31) % 3], 'bench', '',
        now() - make_interval(mins => ((i * 104729) % 525600)::int)"""
    with psycopg.connect(url, autocommit=True) as conn:
        # Built again after the load, as a bulk load does: maintaining them row by row costs several times the insert.
        indexes = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_entry' "
                               "AND indexdef NOT LIKE '%UNIQUE%'").fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for start in range(0, lines, COPY_CHUNK * 5):
            conn.execute(f"INSERT INTO ledger_entry ({', '.join(columns)}) SELECT {values} "  # noqa: S608 - constants
                         f"FROM generate_series({start}::bigint, {min(start + COPY_CHUNK * 5, lines) - 1}) AS i")
        for _, definition in indexes:
            conn.execute(definition)


def run(quick: bool = False) -> dict[str, Any]:
    """growth (a row per size), province_worker_peak_rss_mb and pg_dashboard_first_paint_s_10m."""
    sizes = GROWTH_SIZES[:2] if quick else GROWTH_SIZES
    rows = []
    for size in sizes:
        row = match_batch_seconds(size)
        rss = worker_peak_rss(quick, size=size)
        row["worker_peak_rss_mb"] = rss["worker_peak_rss_mb"]
        rows.append(row)
    out: dict[str, Any] = {"growth": rows, **pg_first_paint_10m(quick)}
    province = [r for r in rows if r["size"] == "province"]
    out["province_worker_peak_rss_mb"] = province[0]["worker_peak_rss_mb"] if province else None
    out["growth_sizes"] = {s: SIZES[s].communities * SIZES[s].residents_per_community for s in sizes}
    return out
