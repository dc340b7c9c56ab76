"""CPU per event of the earnings consumer's apply, in process, by step (issue 19; not part of `make bench`).

The pipeline's wall figures move with whatever else the shared two-core machine runs; the CPU the apply spends per
event moves much less, so this is the figure to compare before and after a change to the earnings path.

    python -m bench.worker_cpu [--store sqlite|postgres] [--inspections N] [--corrections-every K]

N inspections are built as the pipeline benchmark builds them (bench.work_world.build_work, seed 11); their
InspectionRecorded events are encoded as the relay publishes them, then decoded and applied as the worker's
earnings consumer does (streams.batch_consumer.decode_with_sources, then usecases.consumer.apply_batch with the
earnings handler) in batches of streams.batch_consumer.MAX_RECORDS, on an engine made as the worker makes it, with
the worker's garbage collection. Printed: µs of this process's CPU (time.process_time) per event, in all and by
step (each step's functions are wrapped with a timer, which adds well under a µs an event), PostgreSQL's backend CPU
per event on that store, and digests of the ledger and its read models, so two versions of the code can be checked
to post the same money (entry keys, amounts, periods: not posted_at, which is the time of the run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.api_cpu import backend_pids, cpu_ms
from bench.work_world import build_work
from services.harness import scratch_postgres
from store.db import make_engine
from store.migrate import upgrade
from streams.batch_consumer import MAX_RECORDS, decode_with_sources, skipped_types
from streams.runtime import WORKER_CHECKPOINT_PAGES
from usecases.consumer import apply_batch, collect_garbage_for_batches
from usecases.context import Context
from usecases.routing import HANDLERS
from usecases.settings import Settings

CONSUMER = "earnings"
WORKER_YOUNG_OBJECTS = 200_000  # as streams/__main__.py sets it
# Step name → (module, attribute) of the function timed as that step. Nested steps are timed inside their parents;
# the report subtracts neither, so a parent's figure includes its children's.
STEPS: dict[str, tuple[str, str]] = {
    "unapplied": ("usecases.consumer", "unapplied"),
    "earn.apply": ("usecases.routing", "HANDLERS"),  # wrapped through the handler passed to apply_batch
    "  inspections read": ("usecases.earn", "_by_id"),  # also inside BatchFacts.load (lots, orders)
    "  corrected_first": ("usecases.earn", "corrected_first"),
    "  BatchFacts.load": ("usecases.earn", "BatchFacts.load"),
    "  price": ("usecases.earn", "BatchFacts.price"),
    "  announcements": ("usecases.earn", "announcements"),
    "  append_entries": ("usecases.earn", "append_entries"),
    "    ledger insert": ("store.ledger", "insert_rows"),
    "    add_to_days": ("store.ledger", "add_to_days"),
    "    add_to_lots": ("store.ledger", "add_to_lots"),
    "    add_to_periods": ("store.ledger", "add_to_periods"),
    "record_events": ("usecases.consumer", "record_events"),
    "applied insert": ("usecases.consumer", "insert_rows"),
}


class Timers:
    """Process CPU seconds spent in each wrapped function, by step name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STEPS, 0.0)
        self._undo: list[Callable[[], None]] = []

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - started
        return timed

    def install(self) -> None:
        """Wrap every step's function where its caller looks it up (the earnings handler is wrapped apart)."""
        import importlib

        for name, (module_name, attribute) in STEPS.items():
            if attribute == "HANDLERS":
                continue
            module = importlib.import_module(module_name)
            if "." in attribute:  # a method: wrap the function on the class (a classmethod's underneath)
                owner_name, method = attribute.split(".")
                owner = getattr(module, owner_name)
                original = owner.__dict__[method]
                wrapped = self.wrap(name, getattr(original, "__func__", original))
                setattr(owner, method, classmethod(wrapped) if isinstance(original, classmethod) else wrapped)
                self._undo.append(lambda o=owner, m=method, f=original: setattr(o, m, f))
            else:
                original = getattr(module, attribute)
                setattr(module, attribute, self.wrap(name, original))
                self._undo.append(lambda m=module, a=attribute, f=original: setattr(m, a, f))

    def uninstall(self) -> None:
        for undo in reversed(self._undo):
            undo()


def digests(engine: Engine) -> dict[str, str]:
    """sha256 (first 16 hex digits) of the ledger's money columns and of its read models, in key order."""
    queries = {
        "ledger": "SELECT entry_key, kind, resident_id, community_id, lot_id, inspection_id, pieces, rate_centifen, "
                  "amount_fen, period_id, reverses_entry_key FROM ledger_entry ORDER BY entry_key",
        "ledger_day": "SELECT community_id, day, resident_id, lines, income_lines, passed_lines, income_fen, "
                      "transfer_fen, passed_pieces FROM ledger_day ORDER BY community_id, day, resident_id",
        "lot_paid": "SELECT lot_id, resident_id, rate_centifen, pieces FROM lot_paid "
                    "ORDER BY lot_id, resident_id, rate_centifen",
        "ledger_period": "SELECT community_id, period_id, resident_id, lines, amount_fen FROM ledger_period "
                         "ORDER BY community_id, period_id, resident_id",
    }
    out = {}
    with engine.connect() as conn:
        for name, sql in queries.items():
            rows = conn.execute(text(sql)).all()
            out[name] = f"{len(rows)}:" + hashlib.sha256(repr([tuple(map(str, r)) for r in rows]).encode()
                                                        ).hexdigest()[:16]
    return out


def run(database_url: str, inspections: int, corrections_every: int) -> dict[str, Any]:
    """Build the world, then decode and apply its events batch by batch; the figures (see the module's doc)."""
    upgrade(database_url)
    settings = Settings(DATABASE_URL=database_url, DEMO=False)
    engine = make_engine(database_url, checkpoint_pages=WORKER_CHECKPOINT_PAGES)
    work = build_work(engine, settings, inspections=inspections, seed=11, record=False,
                      corrections_every=corrections_every)
    records = [_Record(row["topic"], row["payload"].encode(), row["type"]) for row in work.outbox]
    del work
    collect_garbage_for_batches(young=WORKER_YOUNG_OBJECTS)
    timers = Timers()
    timers.install()
    handler = timers.wrap("earn.apply", HANDLERS[CONSUMER])
    backends = backend_pids(database_url if database_url.startswith("postgres") else None)
    decode_s = apply_s = 0.0
    backend_ms = 0.0
    applied = 0
    try:
        for start in range(0, len(records), MAX_RECORDS):
            batch = records[start:start + MAX_RECORDS]
            started = time.process_time()
            events, _, malformed = decode_with_sources(batch, skipped_types(CONSUMER))  # type: ignore[arg-type]
            decode_s += time.process_time() - started
            assert not malformed, malformed[:1]
            pids = backends()
            before = cpu_ms(pids)
            started = time.process_time()
            done, failed = apply_batch(engine, CONSUMER, events, handler, Context.live(settings, producer="bench"))
            apply_s += time.process_time() - started
            backend_ms += cpu_ms(pids) - before
            assert not failed, failed[:1]
            applied += done
    finally:
        timers.uninstall()
    per_event = 1e6 / max(1, applied)
    figures = {
        "events": applied,
        "apply_us_per_event": round(apply_s * per_event, 1),
        "decode_us_per_event": round(decode_s * per_event, 1),
        "steps_us_per_event": {name: round(s * per_event, 1) for name, s in timers.seconds.items()},
        "digests": digests(engine),
    }
    if database_url.startswith("postgres"):
        figures["pg_backend_us_per_event"] = round(backend_ms * 1000 / max(1, applied), 1)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    engine.dispose()
    return figures


class _Record:
    """What decode_with_sources reads of an aiokafka ConsumerRecord: topic, value and the relay's type header."""

    __slots__ = ("headers", "topic", "value")

    def __init__(self, topic: str, value: bytes, event_type: str) -> None:
        self.topic, self.value, self.headers = topic, value, [("type", event_type.encode())]


@contextmanager
def _database(store: str) -> Iterator[str]:
    if store == "postgres":
        with scratch_postgres("mf_worker_cpu") as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as tmp, nullcontext():
        yield f"sqlite:///{Path(tmp) / 'mf.db'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--corrections-every", type=int, default=0, help="every K-th inspection corrects (0: none)")
    args = parser.parse_args()
    with _database(args.store) as url:
        figures = run(url, args.inspections, args.corrections_every)
    print(json.dumps({"store": args.store, **figures}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
