"""A short fetch wait for the worker's Kafka consumer, so a lone event is not held back for a second.

faust hard-codes `fetch_max_wait_ms=1500` for its aiokafka consumer. A broker may hold a fetch
that long before answering when little data is waiting — the embedded broker (tansu) does, which
put a median ~0.4 s and up to 1.5 s between an event's publish and the worker seeing it. With
100 ms a quiet topic costs ten small round trips a second; a busy one is unaffected (fetches
return as soon as data is there). Importing this module applies it.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as driver

FETCH_MAX_WAIT_MS = 100

_create_worker_consumer = driver.AIOKafkaConsumerThread._create_worker_consumer


def _with_short_fetch_wait(self: driver.AIOKafkaConsumerThread, transport: Any) -> Any:
    consumer = _create_worker_consumer(self, transport)
    consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS  # read when the consumer starts its fetcher
    return consumer


driver.AIOKafkaConsumerThread._create_worker_consumer = _with_short_fetch_wait  # type: ignore[method-assign]
