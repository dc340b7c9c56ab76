"""200 concurrent clients on loopback against a running API: mixed reads and a few writes, errors and p50/p99.

`run()` starts a whole system (embedded broker, relay, worker, API) on a tmp SQLite database with a
seeded city and some work in it, then lets 200 asyncio clients loose for a bounded time.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from services.harness import System

CLIENTS = 200
USERS = ("coord1", "coord2", "ent1", "ent2", "city", "comm-001-r001", "comm-002-r001")


@dataclass
class Tally:
    """Latencies of answered requests and what went wrong."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def requests_for(user: str, rng: random.Random) -> tuple[str, str, dict[str, Any] | None]:
    """One request a person of this kind would make: mostly reads, one in fifty a write."""
    if rng.random() < 0.02:
        if user.startswith("ent"):
            return "POST", "/api/v1/orders", {
                "enterprise_id": f"ent-0{user[-1]}", "product_code": "PACK-03", "quantity": 200,
                "piece_rate_fen": 30, "due_at": (datetime.now(UTC) + timedelta(days=9)).isoformat(),
                "eligible_community_ids": [f"comm-00{user[-1]}"], "pickup_site_id": f"comm-00{user[-1]}-site-1"}
        if user.startswith("comm-"):
            slot = [0, 540, 600 + rng.randint(0, 9)]
            return "PUT", f"/api/v1/residents/{user}/availability", {"availability": [slot]}
    if user.startswith("comm-"):
        return rng.choice([("GET", "/api/v1/offers", None), ("GET", f"/api/v1/residents/{user}/earnings", None),
                           ("GET", "/api/v1/lots", None)])
    return rng.choice([("GET", "/api/v1/overview", None), ("GET", "/api/v1/offers", None),
                       ("GET", "/api/v1/lots", None), ("GET", "/api/v1/orders", None)])


async def client(http: httpx.AsyncClient, tokens: dict[str, str], deadline: float, seed: int, tally: Tally) -> None:
    """One person: a request, its answer, the next request, until the deadline."""
    rng = random.Random(seed)
    user = USERS[seed % len(USERS)]
    headers = {"Authorization": f"Bearer {tokens[user]}"}
    while time.monotonic() < deadline:
        method, path, body = requests_for(user, rng)
        started = time.perf_counter()
        try:
            reply = await http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            tally.error(type(exc).__name__)
            continue
        if reply.is_success:
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        else:
            tally.error(f"{method} {path.split('/')[3]} {reply.status_code}")


async def load(base: str, tokens: dict[str, str], seconds: float) -> Tally:
    """CLIENTS people at once, each with an httpx client (a connection) of its own, all built before the clock starts.

    Building 200 clients (an SSL context apiece) takes this process's event loop for seconds; when each person
    built theirs as they started, the requests already in flight counted that wait as the API's (p99 ≈ 4 s,
    every slow request started in the first three seconds; ≈ 1.1 s once they are built first). One client with
    a pool of 200 connections instead served half as many requests a second (httpx's pool under contention).
    """
    tally = Tally()
    async with AsyncExitStack() as stack:
        people = [await stack.enter_async_context(httpx.AsyncClient(base_url=base, timeout=60))
                  for _ in range(CLIENTS)]
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(client(http, tokens, deadline, i, tally) for i, http in enumerate(people)))
    return tally


def percentile(values: list[float], p: float) -> float:
    return round(statistics.quantiles(values, n=1000)[int(p * 10) - 1], 1) if len(values) > 1 else 0.0


def run(quick: bool = False) -> dict[str, Any]:
    """A bounded run (20 s, or 6 s when quick) of 200 clients; p50/p99 of answered requests in ms."""
    system = System(Path(tempfile.mkdtemp(prefix="mf-load-")))
    load_city(system.engine, system.settings, build_city(communities=2, residents_per_community=20))
    try:
        system.start_all()
        tokens = {}
        for user in USERS:
            reply = system.api.post("/api/v1/auth/token", json={"username": user, "password": DEMO_PASSWORD})
            reply.raise_for_status()
            tokens[user] = reply.json()["access_token"]
        for n in (1, 2):  # some work in both communities, so reads return rows
            method, path, body = requests_for(f"ent{n}", _always_write())
            system.call(method, path, f"ent{n}", json=body).raise_for_status()
        time.sleep(3)
        seconds = 6.0 if quick else 20.0
        tally = asyncio.run(load(f"http://127.0.0.1:{system.api_port}", tokens, seconds))
    finally:
        system.stop()
    answered = len(tally.latencies_ms)
    return {"api_p99_ms_200_clients": percentile(tally.latencies_ms, 99),
            "api_p50_ms_200_clients": percentile(tally.latencies_ms, 50),
            "api_errors": sum(tally.errors.values()), "api_requests": answered + sum(tally.errors.values()),
            "api_requests_per_s": round(answered / seconds, 1), "api_error_kinds": tally.errors,
            "api_load_seconds": seconds, "api_clients": CLIENTS}


def _always_write() -> random.Random:
    rng = random.Random(0)
    rng.random = lambda: 0.0  # type: ignore[method-assign]
    return rng


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
