"""`docker compose up --scale worker=N` works: nothing in the worker service pins it to one container."""

from __future__ import annotations

from typing import Any

from schemas.catalogue import PARTITIONS


def test_worker_has_no_container_name_host_port_or_fixed_hostname(services: dict[str, dict[str, Any]]) -> None:
    worker = services["worker"]
    pinned = sorted({"container_name", "ports", "hostname"} & set(worker))
    assert not pinned, f"the worker service cannot be scaled while it sets {pinned}"


def test_worker_replicas_do_not_share_one_fixed_worker_id(services: dict[str, dict[str, Any]]) -> None:
    # Replicas with one WORKER_ID would overwrite each other's heartbeat in /health.
    assert "WORKER_ID" not in (services["worker"].get("environment") or {})


def test_fixed_replica_count_stays_within_the_partition_count(services: dict[str, dict[str, Any]]) -> None:
    replicas = (services["worker"].get("deploy") or {}).get("replicas", 1)
    assert int(replicas) in range(1, PARTITIONS + 1)
