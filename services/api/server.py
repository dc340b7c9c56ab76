"""Serving the API with uvicorn, with the limits a public endpoint needs.

uvicorn has a keep-alive timeout but none for a request's headers: a client that opens a connection and sends
its headers one byte at a time (slowloris) holds the connection for ever, and 800 of them starve the server.
HeaderTimeoutH11Protocol closes a connection whose request headers are not complete within the header timeout;
limit_concurrency answers 503 beyond a number of connections, instead of slowing every request down.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from usecases.settings import Settings, get_settings


class HeaderTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request head in time."""

    header_timeout_s: float = 10.0  # set per server by protocol_for()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        self._arm()  # before super(): a pipelined request it starts disarms the deadline again
        super().on_response_complete()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a whole request head arrived and a new cycle began
            self._disarm()

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


class ConfiguredH11Protocol(HeaderTimeoutH11Protocol):
    """The protocol with this process's header timeout (API_HEADER_TIMEOUT_S): named by import path, so each API
    process uvicorn spawns (API_PROCESSES > 1) builds it from its own settings."""

    @property
    def header_timeout_s(self) -> float:  # type: ignore[override]
        return get_settings().api_header_timeout_s


def serve(settings: Settings) -> None:
    """Run the API on API_HOST:API_PORT until stopped, in API_PROCESSES processes sharing the port.

    One process answers requests on one core; the city's evening peak needs the second (issue 19). Limits kept in
    a process's memory are per process: limit_concurrency, the per-client sign-in limit across accounts.
    """
    uvicorn.run("services.api.app:create_app", factory=True, host=settings.api_host, port=settings.api_port,
                log_level="warning", http="services.api.server:ConfiguredH11Protocol",
                timeout_keep_alive=settings.api_keep_alive_s, workers=settings.api_processes,
                limit_concurrency=settings.api_max_connections,
                # Trust X-Forwarded-For only from the named proxy: uvicorn's default trusts any local client, which
                # could then claim a new address on every try and walk past the sign-in throttle.
                forwarded_allow_ips=settings.forwarded_allow_ips, proxy_headers=bool(settings.forwarded_allow_ips))
