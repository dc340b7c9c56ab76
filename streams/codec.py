"""Decoding records in our own code: every record becomes an Event or a Malformed marker, never an exception.

faust acknowledges and drops a record its value codec cannot decode without telling the agent, so the
agents read raw bytes and call `decode_record` themselves; the earnings consumer does the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.catalogue import TOPIC_BY_NAME, decode
from schemas.envelope import BadEvent, Event


@dataclass(frozen=True)
class Malformed:
    """A message that did not decode: its original bytes and why, so nothing is silently dropped."""

    raw: bytes
    reason: str


def decode_record(raw: object, topic: str | None = None) -> Event | Malformed:
    """A record's value as an Event, or Malformed with the reason; never raises.

    `raw`: the record's value (bytes; None or anything else is malformed). `topic`: where it was read;
    an event that belongs on another topic of the catalogue is malformed there (its consumers would not
    know what to do with it).
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        return Malformed(raw=b"" if raw is None else repr(raw).encode(), reason="empty record (no value)"
                         if raw is None else f"not bytes: {type(raw).__name__}")
    data = bytes(raw)
    try:
        event = decode(data)
    except BadEvent as exc:
        return Malformed(raw=data, reason=exc.reason)
    except Exception as exc:  # noqa: BLE001 - the decoder promises BadEvent; this keeps the promise if it slips
        return Malformed(raw=data, reason=f"undecodable: {type(exc).__name__}: {str(exc)[:200]}")
    if topic in TOPIC_BY_NAME and event.topic != topic:
        return Malformed(raw=data, reason=f"{event.type} belongs on {event.topic}, not on {topic}")
    return event
