"""On the real embedded broker: how far behind a group is counts every record of the last batch.

tansu reports a partition's end as its last batch's base offset + 1 (a batch of 5, then one of 3: end 6, offsets
0-7 readable). `consumer_positions` reads that last batch where a group has reached the reported end; what it
found is remembered per topic id, so a topic created again (a broker restart) is read afresh.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from services.broker import KnownEnds, consumer_positions, provision_topics, start_embedded_broker
from services.harness import free_port
from tests.broker_records import send_batches_then_commit

TOPIC = "mf.orders.v1"


def _send(bootstrap: str, sizes: tuple[int, ...], commit: int) -> None:
    """One batch of each size to partition 0, then group microfactory commits `commit` there."""
    asyncio.run(send_batches_then_commit(bootstrap, TOPIC, sizes, {"microfactory": commit}))


def _behind(bootstrap: str, known: KnownEnds) -> dict[str, int]:
    positions = consumer_positions(bootstrap, known)
    return {group: behind for (group, topic), (_, behind) in positions.items() if topic == TOPIC}


def test_a_group_inside_the_last_batch_is_behind_by_its_rest_also_after_a_restart(tmp_path: Path) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    known: KnownEnds = {}
    broker = start_embedded_broker(port, tmp_path / "broker.log")
    try:
        provision_topics(bootstrap)
        _send(bootstrap, (5, 3), commit=6)
        assert _behind(bootstrap, known) == {"microfactory": 2, "microfactory-notifier": 8}
        (topic_id, reported, end), = known.values()
        assert (reported, end) == (6, 8) and topic_id
        assert _behind(bootstrap, known) == {"microfactory": 2, "microfactory-notifier": 8}  # from what it knew
    finally:
        broker.kill()
        broker.wait()
    broker = start_embedded_broker(port, tmp_path / "broker.log")
    try:
        provision_topics(bootstrap)
        # The same reported end (6) over a shorter last batch: what was known of the old topic must not be used.
        _send(bootstrap, (5, 2), commit=6)
        assert _behind(bootstrap, known) == {"microfactory": 1, "microfactory-notifier": 7}
        assert [seen[1:] for seen in known.values()] == [(6, 7)] and next(iter(known.values()))[0] != topic_id
    finally:
        broker.kill()
        broker.wait()


def test_groups_short_of_the_reported_end_need_no_read_and_caught_up_ones_show_none(tmp_path: Path) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    known: KnownEnds = {}
    broker = start_embedded_broker(port, tmp_path / "broker.log")
    try:
        provision_topics(bootstrap)
        _send(bootstrap, (5, 3), commit=2)
        # Both groups are short of the reported end (6): behind by at least that, and nothing was read.
        assert _behind(bootstrap, known) == {"microfactory": 4, "microfactory-notifier": 6}
        assert known == {}
        _send(bootstrap, (), commit=8)
        assert _behind(bootstrap, known)["microfactory"] == 0
    finally:
        broker.kill()
        broker.wait()
