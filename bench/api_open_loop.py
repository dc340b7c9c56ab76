"""The API under an open-loop load: requests arrive at a fixed rate, as a city's residents do (issue 19).

A closed loop (bench/api_load.py: 200 clients, each waiting for its answer before asking again) slows its own
arrivals when the API slows, and so hides queueing. Here request i is due at start + i / rate whatever happened
to the requests before it, and its latency runs from when it was due, not from when it was sent: a request
the load generator could not send on time (because answers were slow and connections busy) counts that wait
too (no coordinated omission). A request unanswered after TIMEOUT_S, or answered 5xx, is an error.

The mix, by request (bench/api_load.requests_for): residents reading their offers, earnings and lots (three in
four), coordinators' boards and the overview, enterprises' orders, and one write in fifty (availability, orders).
The load generator runs on the same two cores as the API, the worker, the relay and the database: its own CPU
is part of what limits the rates reached here (bench/METHOD.md).
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import select

from bench import api_load
from bench.pg_upkeep import upkeep
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from services.harness import System, scratch_postgres
from store.db import reading
from store.tables import User

RATES = (100, 300, 600)  # requests a second, as the issue names them
QUICK_RATES = (100, 300)
SECONDS, QUICK_SECONDS = 15.0, 5.0
# Before the measured rates, the first rate for WARM_UP_S seconds, not counted (its figures are reported apart): each
# new API process's first requests open its database connections, read each caller's sign-in once, and compile each
# statement; the measured rates are about an API that has been running, as a city's has.
WARM_UP_S = 5.0
TIMEOUT_S = 10.0
CONNECTIONS = 64  # httpx clients the arrivals are spread over (a browser or phone holds a connection each)
# A client drops a connection idle this long (s), before the API closes it (API_KEEP_ALIVE_S, 5 s): with httpx's
# default (also 5 s) a request could go out on a connection the API was closing at that instant, and fail as a
# ReadError or RemoteProtocolError that no server work caused (a browser resends such a request on a new connection).
KEEP_IDLE_S = 4.0
COMMUNITIES, RESIDENTS_PER_COMMUNITY = 4, 25
STAFF = ("coord1", "coord2", "coord3", "coord4", "ent1", "ent2", "city")
P99_TARGET_MS = 200.0
API_PROCESSES = 2  # one per core, as docker-compose.yml deploys it


@dataclass
class Tally(api_load.Tally):
    """What one rate's run saw: latencies (ms, from when each request was due) and errors by kind; and, to tell the
    API's share of a slow step from the load generator's own: how late this process started each request (its own
    CPU or pauses: a wait for a connection comes after), the writes' latencies, and this process's garbage-collection
    pauses (ms) while the rate ran."""

    lags_ms: list[float] = field(default_factory=list)
    writes_ms: list[float] = field(default_factory=list)
    gc_pauses_ms: list[float] = field(default_factory=list)

    def figures(self, rate: int, seconds: float) -> dict[str, Any]:
        """p50/p99 (ms), errors, the rate actually answered; the writes' count, median and slowest (ms); the load
        generator's p99 lag in starting a request and its longest and total GC pause (ms); the 1-minute load average
        as the rate ended."""
        cuts = (statistics.quantiles(self.latencies_ms, n=100, method="inclusive") if len(self.latencies_ms) > 1
                else [0.0] * 99)
        errors = sum(self.errors.values())
        return {"rate_per_s": rate, "p50_ms": round(statistics.median(self.latencies_ms or [0.0]), 1),
                "p99_ms": round(cuts[98], 1), "errors": errors, "error_kinds": dict(self.errors),
                "answered_per_s": round(len(self.latencies_ms) / seconds, 1),
                "held": errors == 0 and bool(self.latencies_ms) and cuts[98] <= P99_TARGET_MS,
                "writes": len(self.writes_ms), "writes_p50_ms": round(statistics.median(self.writes_ms or [0.0]), 1),
                "writes_max_ms": round(max(self.writes_ms, default=0.0), 1),
                "generator_lag_p99_ms": round(_p99(self.lags_ms), 1),
                "generator_gc_max_ms": round(max(self.gc_pauses_ms, default=0.0), 1),
                "generator_gc_ms": round(sum(self.gc_pauses_ms), 1), "load_average": round(os.getloadavg()[0], 2)}


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else sum(values)


@contextmanager
def own_gc_pauses(tally: Tally) -> Iterator[None]:
    """Record this process's garbage-collection pauses (ms) in `tally` meanwhile: a pause stops the load generator
    too, and every request in flight or due counts it as the API's latency."""
    started = [0.0]

    def note(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            tally.gc_pauses_ms.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(note)
    try:
        yield
    finally:
        gc.callbacks.remove(note)


@contextmanager
def generator_heap_frozen() -> Iterator[None]:
    """The load generator's heap as it stands before a step (the seeded city, the harness, earlier benchmark pieces)
    moved out of the collector's sight for the step, as each API process does with its own (services.api.server):
    the generator's full collections walked hundreds of thousands of such objects and stopped it 170-1,380 ms, which
    every request due meanwhile counted as the API's latency. What the step itself allocates is collected as
    before, and its pauses are still reported (own_gc_pauses)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def residents(system: System) -> list[str]:
    """The residents of the bench city who sign in on a phone (the others are served by their coordinator)."""
    with reading(system.engine) as session:
        return sorted(session.exec(select(User.username).where(User.role == "resident")).all())


def who(rng: random.Random, people: list[str]) -> str:
    """Three requests in four are a resident's; the rest staff's."""
    return rng.choice(people) if rng.random() < 0.75 else rng.choice(STAFF)


async def one(http: httpx.AsyncClient, due: float, method: str, path: str, body: dict[str, Any] | None,
              token: str, tally: Tally) -> None:
    """Send one request (at its due time or as soon after as a connection is free) and tally it."""
    tally.lags_ms.append((time.perf_counter() - due) * 1000)
    try:
        reply = await http.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"},
                                   timeout=TIMEOUT_S)
    except httpx.HTTPError as exc:
        tally.error(type(exc).__name__)
        return
    if reply.status_code >= 500 or reply.status_code == 429 or not reply.is_success and reply.status_code != 409:
        tally.error(f"{method} {path.split('/')[3]} {reply.status_code}")
    else:
        tally.latencies_ms.append((time.perf_counter() - due) * 1000)
        if method != "GET":
            tally.writes_ms.append(tally.latencies_ms[-1])


async def arrive(base: str, tokens: dict[str, str], rate: int, seconds: float, seed: int) -> Tally:
    """Requests due every 1/rate seconds for `seconds`, spread over CONNECTIONS clients; waits for the last."""
    rng, tally, people = random.Random(seed), Tally(), [u for u in tokens if u.startswith("comm-")]
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=base, limits=httpx.Limits(
            max_connections=4, max_keepalive_connections=4, keepalive_expiry=KEEP_IDLE_S))) for _ in range(CONNECTIONS)]
        stack.enter_context(own_gc_pauses(tally))  # from the first request due to the last answer
        start, pending = time.perf_counter(), []
        for i in range(int(rate * seconds)):
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            user = who(rng, people)
            method, path, body = api_load.requests_for(user, rng)
            pending.append(asyncio.create_task(one(clients[i % CONNECTIONS], due, method, path, body,
                                                   tokens[user], tally)))
        await asyncio.gather(*pending)
    return tally


def sign_in(system: System, users: list[str]) -> dict[str, str]:
    tokens = {}
    for user in users:
        reply = system.api.post("/api/v1/auth/token", json={"username": user, "password": DEMO_PASSWORD})
        reply.raise_for_status()
        tokens[user] = reply.json()["access_token"]
    return tokens


def measure(tmp: Path, rates: tuple[int, ...], seconds: float,
            database_url: str | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A whole system (broker, relay, worker, API) on a seeded city; WARM_UP_S seconds at the first rate, then each
    rate in turn against the same API: the rates' figures and the warm-up's (not counted)."""
    system = System(tmp, database_url=database_url, extra_env={"API_PROCESSES": str(API_PROCESSES)})
    load_city(system.engine, system.settings,
              build_city(communities=COMMUNITIES, residents_per_community=RESIDENTS_PER_COMMUNITY))
    try:
        system.start_all()
        tokens = sign_in(system, [*STAFF, *residents(system)])
        for n in (1, 2):  # some work in two communities, so reads return rows
            _, path, body = api_load.requests_for(f"ent{n}", api_load._always_write())
            system.call("POST", path, f"ent{n}", json=body)
        time.sleep(3)
        base = f"http://127.0.0.1:{system.api_port}"
        with generator_heap_frozen():
            warm_up = asyncio.run(arrive(base, tokens, rates[0], WARM_UP_S, seed=99)).figures(rates[0], WARM_UP_S)
        time.sleep(2)
        out = []
        for k, rate in enumerate(rates):
            with generator_heap_frozen():
                out.append(asyncio.run(arrive(base, tokens, rate, seconds, seed=k)).figures(rate, seconds))
            time.sleep(2)  # the queue of one rate must not spill into the next
        return out, warm_up
    finally:
        system.stop()


@contextmanager
def database(store: str) -> Iterator[str | None]:
    if store == "postgres":
        with scratch_postgres("mf_bench") as url, upkeep(url):
            yield url
    else:
        yield None


def run(quick: bool = False) -> dict[str, Any]:
    """api_open_loop: a row per store and rate; api_open_loop_max_rps_p99_200ms: per store, the highest rate
    measured that was answered with p99 ≤ 200 ms and no errors (0 when none was); api_open_loop_warm_up: per store,
    the figures of the uncounted warm-up before the rates."""
    rates, seconds = (QUICK_RATES, QUICK_SECONDS) if quick else (RATES, SECONDS)
    table: dict[str, list[dict[str, Any]]] = {}
    warm_ups: dict[str, dict[str, Any]] = {}
    for store in ("sqlite", "postgres"):
        with tempfile.TemporaryDirectory() as tmp, database(store) as url:
            table[store], warm_ups[store] = measure(Path(tmp), rates, seconds, database_url=url)
    best = {store: max((row["rate_per_s"] for row in rows if row["held"]), default=0) for store, rows in table.items()}
    return {"api_open_loop": table, "api_open_loop_max_rps_p99_200ms": best, "api_open_loop_seconds_per_rate": seconds,
            "api_open_loop_warm_up": warm_ups, "api_open_loop_warm_up_seconds": WARM_UP_S}

