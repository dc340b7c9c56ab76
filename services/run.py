"""`microfactory run`: the whole system on one machine, supervised, stopped cleanly on Ctrl-C/SIGTERM."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from services.broker import provision_topics, start_embedded_broker
from services.demo.city import DEMO_PASSWORD
from services.demo.history import load_demo
from services.demo.seed import is_empty
from store.db import make_engine
from store.migrate import upgrade
from usecases.settings import ROOT, Settings

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Children get SIGTERM if the supervisor itself is killed: no orphan processes, ever.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Supervisor:
    """Starts the processes, restarts any that die, and stops them all on request."""

    settings: Settings
    log_dir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)
    stopping: bool = False

    def spawn(self, name: str, argv: list[str]) -> None:
        self.commands[name] = argv
        log = (self.log_dir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                            preexec_fn=_die_with_parent, env=os.environ.copy())

    def start_broker(self) -> None:
        if self.settings.kafka_bootstrap is None:
            self.procs["broker"] = start_embedded_broker(self.settings.embedded_broker_port,
                                                         self.log_dir / "broker.log")
            provision_topics(self.settings.bootstrap)

    def watch(self) -> None:
        """Restart what died (the broker comes back empty; the relay re-delivers from the outbox)."""
        while not self.stopping:
            for name, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping:
                    print(f"  {name} exited with {proc.returncode}; restarting", flush=True)
                    if name == "broker":
                        self.start_broker()
                    else:
                        self.spawn(name, self.commands[name])
            time.sleep(1)

    def stop(self, *_: object) -> None:
        """Stop everything, the embedded broker last: a worker whose broker went first did not exit in 10 s (it was
        killed), and a broker with clients still connected takes 5 s to exit."""
        self.stopping = True
        self._terminate([proc for name, proc in self.procs.items() if name != "broker"])
        self._terminate([proc for name, proc in self.procs.items() if name == "broker"])

    @staticmethod
    def _terminate(procs: list[subprocess.Popen[bytes]]) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()


def run(settings: Settings, *, demo: bool) -> None:
    """Migrate, start the broker, load the demo if the database is empty, start everything, supervise."""
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    sup = Supervisor(settings=settings, log_dir=settings.log_dir)
    signal.signal(signal.SIGTERM, sup.stop)
    signal.signal(signal.SIGINT, sup.stop)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    if demo and is_empty(engine):  # before the worker starts: the demo's past month is lived on its own clock
        history = load_demo(engine, settings)
        print(f"  loaded the demo community and its last {history.days} working days "
              "(DEMO=0 turns it off)", flush=True)
    sup.start_broker()
    me = [sys.executable, "-m", "services.cli"]
    sup.spawn("relay", [*me, "relay"])
    sup.spawn("worker", [*me, "worker"])
    sup.spawn("api", [*me, "api"])
    sup.spawn("dashboard", [*me, "dashboard"])
    sup.spawn("auditor", [*me, "audit", "--every", str(settings.audit_every_s)])
    if demo:
        sup.spawn("simulator", [*me, "simulate", "--live"])
    engine.dispose()
    _wait_until_healthy(settings, stopping=lambda: sup.stopping)
    if not sup.stopping:
        _banner(settings, demo)
    sup.watch()
    print("stopped.", flush=True)


def _wait_until_healthy(settings: Settings, *, stopping: Callable[[], bool], timeout_s: float = 180.0) -> None:
    """Hold the "running" banner until /health says ok, so a newcomer never meets a half-started system.

    A new worker takes seconds to join its consumer group; if health is still not ok after `timeout_s`, say
    what it reports and where the logs are, and keep supervising (a slow machine may still get there).
    """
    print("  starting: waiting for /health to answer ok …", flush=True)
    url = f"http://127.0.0.1:{settings.api_port}/health"
    deadline = time.monotonic() + timeout_s
    body: object = "no answer"
    while time.monotonic() < deadline and not stopping():
        try:
            reply = httpx.get(url, timeout=5)
            if reply.status_code == 200 and reply.json().get("status") == "ok":
                return
            body = reply.json()
        except (httpx.HTTPError, ValueError) as exc:
            body = str(exc)
        time.sleep(1)
    if stopping():
        return
    print(f"  /health is not ok after {timeout_s:.0f} s: {body}\n  see the logs in {settings.log_dir}", flush=True)


def _banner(settings: Settings, demo: bool) -> None:
    print(f"""
Micro-factory matcher is running.
  API        http://127.0.0.1:{settings.api_port}        (OpenAPI: http://127.0.0.1:{settings.api_port}/docs)
  Health     http://127.0.0.1:{settings.api_port}/health
  Dashboard  http://127.0.0.1:{settings.dashboard_port}
  Broker     {settings.bootstrap}{' (embedded, in memory)' if settings.kafka_bootstrap is None else ''}
  Database   {settings.database_url}
  Logs       {settings.log_dir}""", flush=True)
    if demo:
        print(f"  Demo sign-ins (password {DEMO_PASSWORD}): city, coord1, coord2, ent1, ent2, comm-001-r001 …",
              flush=True)
    print("Ctrl-C stops everything.", flush=True)
