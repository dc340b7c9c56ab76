"""The open-loop load (bench/api_open_loop.py) keeps sending at its rate while the API falls behind, and counts
the wait of every request it queued.

Against a server that answers one request at a time in 50 ms, 40 requests due in one second need two seconds of
service: the last waits about a second before its turn. A closed loop (one client waiting for each answer before
the next) would slow its own arrivals to the server's pace and report about 50 ms for every request.
"""

from __future__ import annotations

import asyncio

from bench.api_open_loop import STAFF, arrive

SERVICE_S = 0.05


async def serve_one_at_a_time() -> tuple[asyncio.AbstractServer, int]:
    turn = asyncio.Lock()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await reader.readexactly(length)
                async with turn:
                    await asyncio.sleep(SERVICE_S)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_requests_queued_behind_a_slow_api_count_their_wait() -> None:
    async def main() -> dict[str, float]:
        server, port = await serve_one_at_a_time()
        async with server:
            tokens = {user: "t" for user in (*STAFF, "comm-001-r001")}
            tally = await arrive(f"http://127.0.0.1:{port}", tokens, rate=40, seconds=1.0, seed=3)
        return tally.figures(40, 1.0)

    figures = asyncio.run(main())
    assert figures["errors"] == 0
    # 40 requests × 50 ms = 2 s of service for arrivals spread over 1 s: the median waits ~0.5 s, the last ~1 s.
    assert figures["p50_ms"] > 300
    assert figures["p99_ms"] > 800
    assert not figures["held"]
    # The wait was the server's: the load generator started each request about on time (it reports its own lag and
    # pauses beside the latencies, so a step slowed by the generator tells).
    assert figures["generator_lag_p99_ms"] < figures["p50_ms"]
    assert {"generator_gc_max_ms", "generator_gc_ms", "writes", "writes_max_ms", "load_average"} <= figures.keys()
