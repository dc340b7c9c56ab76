"""Invariant 8 on the embedded broker: a consumer stopped inside the last batch a topic received is seen stalled.

The embedded broker (tansu) reports a partition's end as its last batch's base offset + 1. After a batch of five
records, a group that committed three of them was shown 0 behind and "ok" by /health, for as long as nothing more
arrived — a quiet evening is exactly when that happens. The API here runs against the real broker; the records and
the groups' commits are made by hand, so the group stops exactly where the test says.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.harness import System, wait_until
from tests.broker_records import send_batches_then_commit

TOPIC = "mf.orders.v1"  # read by the splitter (group microfactory) and the notifier (microfactory-notifier)


@pytest.fixture
def system(tmp_path: Path) -> Iterator[System]:
    """The broker and the API only: nobody else reads or commits."""
    sys_ = System(tmp_path, extra_env={"CONSUMER_STALL_AFTER_S": "2"})
    sys_.start_broker()
    sys_.start("api")
    try:
        yield sys_
    finally:
        sys_.stop()


def _readers(system: System) -> dict[str, dict[str, Any]]:
    body = system.api.get("/health").json()
    return {c["group"]: c for c in body["broker"].get("consumers", []) if c["topic"] == TOPIC}


@pytest.mark.parametrize(("sizes", "stopped_at"), [((5,), 3), ((4, 6), 7)], ids=["one-batch", "inside-the-second"])
def test_a_group_stopped_inside_the_last_batch_is_behind_and_then_stalled(
        system: System, sizes: tuple[int, ...], stopped_at: int) -> None:
    end = sum(sizes)
    asyncio.run(send_batches_then_commit(system.settings.bootstrap, TOPIC, sizes,
                                         {"microfactory": stopped_at, "microfactory-notifier": end}))
    wait_until(lambda: _readers(system).get("microfactory", {}).get("status") == "stalled", timeout=30,
               what="/health calling the group stopped inside the last batch stalled", system=system)
    readers = _readers(system)
    assert readers["microfactory"]["lag"] == end - stopped_at
    assert readers["microfactory-notifier"] == readers["microfactory-notifier"] | {"lag": 0, "status": "ok"}
    body = system.api.get("/health").json()
    assert f"microfactory on {TOPIC}" in body["consumers"]["stalled"]
    assert body["broker"]["consumer_lag"][TOPIC] == end - stopped_at
