"""One system's processes (embedded broker, relay, worker, API) started, killed and restarted on demand.

Used by the end-to-end tests, the benchmarks and the chaos run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import httpx
import psycopg
from sqlalchemy.engine import Engine

from services.broker import provision_topics, start_embedded_broker, wait_for_port
from services.demo.city import DEMO_PASSWORD
from store.db import make_engine
from store.migrate import upgrade
from usecases.settings import ROOT, Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class System:
    """Start, kill and restart the processes of one system, the way an operator (or a crash) would.

    With `System.check_at_stop` set (the end-to-end tests and `make bench` set it), `stop()` checks every
    invariant on the system's database once its processes are down and appends the outcome to `System.checked`.
    """

    check_at_stop: ClassVar[bool] = False
    checked: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, tmp_path: Path, *, extra_env: dict[str, str] | None = None,
                 database_url: str | None = None) -> None:
        """A system whose files (logs, the SQLite database) live in `tmp_path`; `database_url` (an empty PostgreSQL
        database, see `scratch_postgres`) runs it on PostgreSQL instead, as a district deploys it."""
        self.logs = tmp_path / "logs"
        self.logs.mkdir(exist_ok=True)
        self.broker_port, self.api_port = free_port(), free_port()
        self.env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'mf.db'}",
                    "EMBEDDED_BROKER_PORT": str(self.broker_port), "API_PORT": str(self.api_port),
                    "MATCH_INTERVAL_S": "1", "REDELIVERY_AFTER_S": "4", "DEMO": "0", "LOG_DIR": str(self.logs),
                    **(extra_env or {})}
        self.env.pop("KAFKA_BOOTSTRAP", None)
        self.settings = Settings(DATABASE_URL=self.env["DATABASE_URL"], EMBEDDED_BROKER_PORT=self.broker_port,
                                 API_PORT=self.api_port, DEMO=False)
        self.tmp_path = tmp_path
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        upgrade(self.settings.database_url)
        self.engine: Engine = make_engine(self.settings.database_url)
        self.api = httpx.Client(base_url=f"http://127.0.0.1:{self.api_port}", timeout=30)
        self.tokens: dict[str, str] = {}

    def start_broker(self) -> None:
        self.procs["broker"] = start_embedded_broker(self.broker_port, self.logs / "broker.log")
        provision_topics(self.settings.bootstrap)

    def start_all(self) -> None:
        """The whole backbone: the embedded broker, then the relay, one worker and the API."""
        self.start_broker()
        for name in ("relay", "worker", "api"):
            self.start(name)

    def start(self, name: str, *args: str, env: dict[str, str] | None = None, key: str | None = None) -> None:
        """Start `microfactory NAME ARGS` as its own process group (so kill() takes its children too)."""
        log = (self.logs / f"{key or name}.log").open("ab")
        self.procs[key or name] = subprocess.Popen(
            [sys.executable, "-m", "services.cli", name, *args], cwd=ROOT, env={**self.env, **(env or {})},
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if name == "api":
            # 90 s, not 30: on the shared two-core machine (load average 10-15) the API's imports, started beside
            # the worker's and the relay's, took over 30 s, and make bench's open-loop piece failed before measuring.
            wait_for_port("127.0.0.1", self.api_port, timeout=90)

    def kill(self, name: str) -> None:
        """kill -9: no chance to flush, commit or say goodbye."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop every process: the API, relay and workers together, then the broker, each given 3 s to exit.

        The broker goes last: a worker whose broker went first did not exit in 10 s, and a broker with clients still
        connected took 5 s; in this order a stop takes about one second, not six (both were killed at 3 s before).
        """
        self._terminate([name for name in self.procs if name != "broker"])
        self._terminate([name for name in self.procs if name == "broker"])
        if self.check_at_stop:
            System.checked.append(self.check_invariants())
        self.engine.dispose()

    def _terminate(self, names: list[str]) -> None:
        """SIGTERM to each process group at once, then SIGKILL to whichever has not exited 3 s later."""
        procs = [self.procs.pop(name) for name in names]
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def check_invariants(self) -> dict[str, Any]:
        """`microfactory audit` on this system's database, recorded there too: ok, count, checks, first ten."""
        from usecases.invariants import run

        outcome = run(self.engine)
        return {"database": self.settings.database_url, "ok": outcome.ok, "violations": len(outcome.violations),
                "checks": sorted({v.check for v in outcome.violations}), "inspections_in_flight": outcome.in_flight,
                "seconds": round((outcome.finished_at - outcome.started_at).total_seconds(), 2),
                "first": [v.as_dict() for v in outcome.violations[:10]]}

    def as_user(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            reply = self.api.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            reply.raise_for_status()
            self.tokens[username] = reply.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def call(self, method: str, path: str, user: str, **kw: object) -> httpx.Response:
        return self.api.request(method, path, headers=self.as_user(user), **kw)  # type: ignore[arg-type]

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


PG_SERVER = os.environ.get("PG_SERVER_URL", "postgresql://postgres@127.0.0.1:5432")


@contextmanager
def scratch_postgres(prefix: str = "mf_run") -> Iterator[str]:
    """An empty PostgreSQL database on the local server (PG_SERVER_URL; its `test` database must exist), dropped
    on the way out: yields its URL. Raises psycopg.OperationalError when the server is not there."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG_SERVER}/test", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/test", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until(check: Callable[[], bool], *, timeout: float, what: str, system: System | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    detail = "" if system is None else "\n--- worker ---\n" + system.log_tail("worker") + \
        "\n--- relay ---\n" + system.log_tail("relay")
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{detail}")


