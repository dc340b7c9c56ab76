"""`microfactory run` (what `make run` calls): everything up, the demo's numbers grow, SIGTERM leaves no orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from services.harness import free_port, wait_until
from usecases.settings import ROOT


def descendants(pid: int) -> set[int]:
    """Every process below pid (read from /proc, so no extra dependency)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_run_serves_api_and_dashboard_grows_the_demo_and_stops_on_sigterm(tmp_path: Path) -> None:
    api_port, dash_port, broker_port = free_port(), free_port(), free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'mf.db'}", "API_PORT": str(api_port),
           "DASHBOARD_PORT": str(dash_port), "EMBEDDED_BROKER_PORT": str(broker_port), "DEMO": "1",
           "DEMO_SPEED": "4", "MATCH_INTERVAL_S": "1", "LOG_DIR": str(tmp_path / "logs")}
    env.pop("KAFKA_BOOTSTRAP", None)
    proc = subprocess.Popen([sys.executable, "-m", "services.cli", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    api = httpx.Client(base_url=f"http://127.0.0.1:{api_port}", timeout=10)
    banner: list[str] = []
    try:
        assert proc.stdout is not None
        while not banner or "is running" not in banner[-1]:  # the banner comes only once /health says ok
            line = proc.stdout.readline()
            assert line, "microfactory run ended before saying it was running:\n" + "".join(banner)
            banner.append(line)
        health = api.get("/health")
        assert (health.status_code, health.json()["status"]) == (200, "ok"), health.text
        # The auditor checks every invariant from the start, so /health tells how the system held, not "never".
        wait_until(lambda: api.get("/health").json()["invariants"].get("status") not in (None, "never_checked"),
                   timeout=60, what="the first invariant check")
        assert api.get("/health").json()["invariants"]["status"] == "ok", api.get("/health").text
        first = api.get("/api/v1/overview").json()
        assert first["sites"] > 0 and first["residents_active"] > 0
        wait_until(lambda: api.get("/api/v1/overview").json()["pieces_passed_total"] > first["pieces_passed_total"],
                   timeout=150, what="the demo's pieces passed to grow")
        wait_until(lambda: api.get("/api/v1/overview").json()["earnings_total_fen"] > 0,
                   timeout=60, what="the worker to post the demo's first earnings")
        wait_until(lambda: httpx.get(f"http://127.0.0.1:{dash_port}/_stcore/health").status_code == 200,
                   timeout=60, what="the dashboard")
        children = descendants(proc.pid)
        assert len(children) >= 7  # broker, relay, worker, api, dashboard, auditor, simulator
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)  # it prints a few lines only, so the pipe cannot fill while we wait
        assert proc.stdout is not None
        out = "".join(banner) + proc.stdout.read()  # read() keeps what readline() already buffered
    assert proc.returncode == 0, out
    assert f"http://127.0.0.1:{api_port}" in out and f"http://127.0.0.1:{dash_port}" in out, out
    time.sleep(1)
    assert not [pid for pid in children if alive(pid)], "processes outlived `microfactory run`"
