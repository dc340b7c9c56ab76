"""On the real embedded broker: a topic created again after a restart has a new id, which is how the relay tells."""

from __future__ import annotations

from pathlib import Path

from schemas.catalogue import CATALOGUE
from services.broker import _topic_id_text, provision_topics, start_embedded_broker, topic_ids
from services.harness import free_port


def test_ids_are_none_while_unreachable_absent_until_created_and_new_after_a_restart(tmp_path: Path) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    assert topic_ids(bootstrap) is None  # nothing listening: unknown, not "lost"
    broker = start_embedded_broker(port, tmp_path / "broker.log")
    try:
        assert topic_ids(bootstrap) == {}
        provision_topics(bootstrap)
        first = topic_ids(bootstrap)
        assert first is not None and set(first) == {spec.name for spec in CATALOGUE} and all(first.values())
        assert topic_ids(bootstrap) == first  # the same topics, the same ids
    finally:
        broker.kill()
        broker.wait()
    broker = start_embedded_broker(port, tmp_path / "broker.log")
    try:
        provision_topics(bootstrap)  # as anyone may, before the relay looks
        again = topic_ids(bootstrap)
        assert again is not None and set(again) == set(first)
        assert all(again[name] != first[name] for name in first)
    finally:
        broker.kill()
        broker.wait()


def test_the_all_zero_uuid_is_no_id() -> None:
    # Kafka's metadata carries 00000000-0000-0000-0000-000000000000 where a broker predates topic ids (KIP-516).
    assert _topic_id_text("00000000-0000-0000-0000-000000000000") == ""
    assert _topic_id_text(None) == ""
    assert _topic_id_text("01a22d08-4f37-7702-984e-ad4df506536a") == "01a22d08-4f37-7702-984e-ad4df506536a"
