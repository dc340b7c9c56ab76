"""A client that never finishes its request headers is dropped, while a normal client is still served (a real
uvicorn process on a free loopback port, as `microfactory api` runs it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
SLOW_CLIENTS = 100  # bounded: enough to show the kind, few enough for a shared machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def api(sqlite_url: str) -> Iterator[str]:
    port = free_port()
    env = os.environ | {"DATABASE_URL": sqlite_url, "API_HOST": "127.0.0.1", "API_PORT": str(port), "DEMO": "0",
                        "API_HEADER_TIMEOUT_S": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "services.cli", "api"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to ~30 s to start on a busy machine
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the API did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(20)  # a bound for the test, not a measured time: the server should close after ~1 s
    try:
        return sock.recv(1024) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_unfinished_request_heads_are_dropped_and_a_normal_client_is_served(api: str) -> None:
    port = int(api.rsplit(":", 1)[1])
    slow = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never the blank line
        slow.append(sock)
    try:
        assert httpx.get(f"{api}/openapi.json", timeout=10).status_code == 200
        assert all(closed_by_server(sock) for sock in slow)
        assert httpx.get(f"{api}/openapi.json", timeout=10).status_code == 200
    finally:
        for sock in slow:
            sock.close()


def test_a_silent_connection_is_dropped_too(api: str) -> None:
    sock = socket.create_connection(("127.0.0.1", int(api.rsplit(":", 1)[1])))
    try:
        assert closed_by_server(sock)
    finally:
        sock.close()


def test_a_client_claiming_a_new_address_on_each_try_is_still_throttled(api: str, sqlite_url: str) -> None:
    """X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS (none by default), so forging it gains nothing."""
    from store.db import make_engine, transaction
    from usecases.auth import create_user

    with transaction(make_engine(sqlite_url)) as session:
        create_user(session, username="bureau", password="the-right-one-1", role="city")
    answers = [httpx.post(f"{api}/api/v1/auth/token", json={"username": "bureau", "password": f"guess-{n}"},
                          headers={"X-Forwarded-For": f"10.0.0.{n}"}, timeout=20).status_code for n in range(8)]
    assert 429 in answers, answers
