"""CPU per request of the API, by endpoint, on the open-loop bench's world (issue 19).

Wall throughput on a shared two-core machine says little about what a request costs: another process's load
moves it. The CPU time the API process (and, on PostgreSQL, the database backends serving it) spent per request
does not move much, so this is the figure to compare before and after a change.

    python -m bench.api_cpu [--store sqlite|postgres] [--requests N]

The system (broker, relay, worker, one API process) is built as bench/api_open_loop.py builds it; then, for each
request kind of the mix (bench/api_load.requests_for) and each kind of caller, N requests are sent one after another
over one keep-alive connection, and the API process's user+system CPU (/proc/PID/stat) is read before and after.
`mix` is the open-loop mix itself (three requests in four a resident's, one in fifty a write), sent the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import api_load, api_open_loop
from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pids: list[int]) -> float:
    """User+system CPU (ms) the processes have used so far; a process gone counts 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total * TICK_MS


def backend_pids(database_url: str | None) -> Callable[[], list[int]]:
    """The PostgreSQL server processes serving this database (its backends), read afresh each call."""
    if not database_url:
        return list
    name = database_url.rsplit("/", 1)[1]

    def pids() -> list[int]:
        with psycopg.connect(database_url, autocommit=True) as conn:
            return [int(r[0]) for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,))]
    return pids


def measure(system: System, tokens: dict[str, str], n: int, database_url: str | None) -> dict[str, Any]:
    """CPU ms per request of the API process (and the database backends), by request kind and caller."""
    api_pid = system.procs["api"].pid
    backends = backend_pids(database_url)
    people = sorted(u for u in tokens if u.startswith("comm-"))
    callers = {"resident": people[0], "coordinator": "coord1", "enterprise": "ent1", "city": "city"}
    kinds: list[tuple[str, str, str, str, dict[str, Any] | None]] = [
        ("unauthenticated 401", "city", "GET", "/api/v1/orders", None)]
    for role, user in callers.items():
        seen = set()
        for seed in range(60):
            method, path, body = api_load.requests_for(user, random.Random(seed))
            if (method, path) not in seen:
                seen.add((method, path))
                kinds.append((f"{method} {path.replace(user, '{me}')} ({role})", user, method, path, body))
    # Every read before any write: N orders posted in a row would make the later reads of orders and lots longer
    # than the open-loop run's (a few orders in all).
    kinds.sort(key=lambda kind: kind[2] != "GET")
    out: dict[str, Any] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{system.api_port}", timeout=30) as http:
        def send(user: str, method: str, path: str, body: dict[str, Any] | None, auth: bool = True) -> None:
            headers = {"Authorization": f"Bearer {tokens[user]}"} if auth else {}
            reply = http.request(method, path, json=body, headers=headers)
            if reply.status_code >= 500:
                raise RuntimeError(f"{method} {path}: {reply.status_code} {reply.text[:200]}")

        for label, user, method, path, body in kinds:
            auth = not label.startswith("unauthenticated")
            for _ in range(max(5, n // 10)):  # warm up: connections, caches, this code path
                send(user, method, path, body, auth)
            pids = backends()
            api0, db0, t0 = cpu_ms([api_pid]), cpu_ms(pids), time.perf_counter()
            for _ in range(n):
                send(user, method, path, body, auth)
            wall = (time.perf_counter() - t0) * 1000 / n
            out[label] = {"api_cpu_ms": round((cpu_ms([api_pid]) - api0) / n, 2),
                          "db_cpu_ms": round((cpu_ms(pids) - db0) / n, 2), "wall_ms": round(wall, 2)}
        rng, people_tokens = random.Random(99), people
        plan = []
        for _ in range(n * 4):
            user = api_open_loop.who(rng, people_tokens)
            plan.append((user, *api_load.requests_for(user, rng)))
        pids = backends()
        api0, db0, t0 = cpu_ms([api_pid]), cpu_ms(pids), time.perf_counter()
        for user, method, path, body in plan:
            send(user, method, path, body)
        out["mix"] = {"api_cpu_ms": round((cpu_ms([api_pid]) - api0) / len(plan), 2),
                      "db_cpu_ms": round((cpu_ms(pids) - db0) / len(plan), 2),
                      "wall_ms": round((time.perf_counter() - t0) * 1000 / len(plan), 2)}
    return out


def run(store: str, n: int) -> dict[str, Any]:
    """Build the open-loop bench's system on `store` with one API process and measure it."""
    with tempfile.TemporaryDirectory() as tmp, api_open_loop.database(store) as url:
        system = System(Path(tmp), database_url=url, extra_env={"API_PROCESSES": "1"})
        load_city(system.engine, system.settings, build_city(
            communities=api_open_loop.COMMUNITIES, residents_per_community=api_open_loop.RESIDENTS_PER_COMMUNITY))
        try:
            system.start_all()
            tokens = api_open_loop.sign_in(system, [*api_open_loop.STAFF, *api_open_loop.residents(system)])
            for k in (1, 2):
                _, path, body = api_load.requests_for(f"ent{k}", api_load._always_write())
                system.call("POST", path, f"ent{k}", json=body)
            time.sleep(3)
            return {"store": store, "requests_per_kind": n, "load_average": os.getloadavg(),
                    "by_kind": measure(system, tokens, n, url)}
        finally:
            system.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="requests per kind")
    args = parser.parse_args()
    result = run(args.store, args.requests)
    result["load_average_at_end"] = os.getloadavg()
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
