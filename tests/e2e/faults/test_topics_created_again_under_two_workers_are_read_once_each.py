"""Two workers of one consumer group (a scaled worker service) under topics deleted and created again on the live
broker: each reads its own partitions of the new topics from their start, and nothing is applied or paid twice (the
ledger exact, every invariant checked as the system stops)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import running_city
from tests.e2e.faults.test_topics_created_again_under_a_running_worker_are_read_from_their_start import (
    SLOW_REDELIVERY,
    _applied_promptly_after,
    _delete_and_create_again,
)


def test_two_workers_read_topics_created_again_and_pay_each_piece_once(tmp_path: Path) -> None:
    with running_city(tmp_path, SLOW_REDELIVERY) as system:
        system.start("worker", env={"WORKER_ID": "worker-2"}, key="worker-2")
        _applied_promptly_after(system, _delete_and_create_again)
