"""Serving the API with uvicorn, with the limits a public endpoint needs.

uvicorn has a keep-alive timeout but none for a request's headers: a client that opens a connection and sends
its headers one byte at a time (slowloris) holds the connection for ever, and 800 of them starve the server.
The protocols here close a connection whose request headers are not complete within the header timeout;
limit_concurrency answers 503 beyond a number of connections, instead of slowing every request down.

The HTTP parser is httptools (C) on uvloop's event loop: with h11 (pure Python) and asyncio's loop an
unauthenticated 401 cost 1.5 ms of API CPU and the open-loop mix 6.75 ms a request; with these 0.8 and 5.4 ms
(issue 19, bench/api_cpu.py on SQLite under a load average of ~15).
"""

from __future__ import annotations

import asyncio
import gc

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from services.api.app import create_app
from usecases.settings import Settings, get_settings


class HeaderTimeoutHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing a connection that has not sent a whole request head within
    header_timeout_s of connecting or of its last response."""

    header_timeout_s: float = 10.0  # set per server by ConfiguredHttpToolsProtocol
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()  # the head is whole (a pipelined one too: its response re-arms the deadline when done)
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self._arm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.header_timeout_s, self._head_overdue)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        self._head_deadline = None
        waiting_for_head = self.cycle is None or self.cycle.response_complete
        if waiting_for_head and not self.transport.is_closing():
            self.transport.close()


class ConfiguredHttpToolsProtocol(HeaderTimeoutHttpToolsProtocol):
    """The protocol with this process's header timeout (API_HEADER_TIMEOUT_S): named by import path, so each API
    process uvicorn spawns (API_PROCESSES > 1) builds it from its own settings."""

    @property
    def header_timeout_s(self) -> float:  # type: ignore[override]
        return get_settings().api_header_timeout_s


SERVING_APP = "services.api.server:create_serving_app"  # the factory uvicorn imports in each API process


def create_serving_app(settings: Settings | None = None) -> FastAPI:
    """The app as `microfactory api` serves it (uvicorn's factory, run in each API process): create_app(), then
    the objects the process holds once started moved out of the garbage collector's sight (gc.freeze), as the worker
    and the relay do (usecases.consumer.collect_garbage_for_batches).

    A started API process holds ≈ 210,000 objects (FastAPI, pydantic, SQLAlchemy, the routes) that live as long as it
    does, and each full (generation 2) collection traversed them all to find next to nothing: 100-1,160 ms with the
    whole process stopped, every request in it waiting (traced open-loop runs on SQLite, load average 3-10, issue 19).
    In a traced 300 requests/s step that the load generator kept up with, such a pause was behind the slowest 1 %
    (228 of their 312 ms on average); one taken inside a write transaction held SQLite's write lock for 352 ms, so the
    worker, the relay and the other API process waited too. Frozen, a full collection traverses only what was made
    since start (31,000-41,000 objects; its pauses 24-125 ms in the same runs). Start-up's own garbage is collected
    first, so nothing unreachable is kept for good. Tests build their apps with create_app(), whose objects the
    collector still frees.
    """
    app = create_app(settings)
    gc.collect()
    gc.freeze()
    return app


def serve(settings: Settings) -> None:
    """Run the API on API_HOST:API_PORT until stopped, in API_PROCESSES processes sharing the port.

    One process answers requests on one core; the city's evening peak needs the second (issue 19). Limits kept in
    a process's memory are per process: limit_concurrency, the per-client sign-in limit across accounts.
    """
    uvicorn.run(SERVING_APP, factory=True, host=settings.api_host, port=settings.api_port,
                log_level="warning", http="services.api.server:ConfiguredHttpToolsProtocol", loop="uvloop",
                timeout_keep_alive=settings.api_keep_alive_s, workers=settings.api_processes,
                limit_concurrency=settings.api_max_connections,
                # Trust X-Forwarded-For only from the named proxy: uvicorn's default trusts any local client, which
                # could then claim a new address on every try and walk past the sign-in throttle.
                forwarded_allow_ips=settings.forwarded_allow_ips, proxy_headers=bool(settings.forwarded_allow_ips))
