"""The one event envelope every message on every topic carries, and its codec.

Events are flat: the envelope fields (id, type, version, time, key, producer) sit beside
the payload fields, so a non-Python producer writes one JSON object per message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from schemas.wire import WireDatetime, WireUUID


class Event(BaseModel):
    """Envelope fields shared by every event; subclasses add a `type` tag and the payload."""

    # Strict: a producer's `true` or `"200"` is refused where a count or an amount is meant, never read as 1 or 200.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    event_id: WireUUID = Field(description="Unique id; consumers apply each id once. This system mints version 7 "
                                       "(time-ordered, schemas.ids); any UUID is accepted.")
    type: str = Field(description="Event type tag, e.g. 'order.posted'.")
    schema_version: int = Field(ge=1, description="Version of this event type's payload.")
    occurred_at: WireDatetime = Field(description="When the fact happened (timezone-aware).")
    key: str = Field(min_length=1, description="Partition key: the community the event concerns.")
    producer: str = Field(min_length=1, description="Who produced it: 'api', 'worker:matcher', an ERP name.")

    topic: ClassVar[str] = ""


class BadEvent(ValueError):
    """A message that cannot be decoded into a known event; carries the reason for the dead-letter record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# (type, from_version) -> function turning a v(n) payload dict into v(n+1).
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that lifts an old payload one version up."""

    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return register


def upcast(data: dict[str, Any], current_version: int) -> dict[str, Any]:
    """Apply registered upcasters until the payload reaches the current version."""
    version = int(data.get("schema_version", 1))
    while version < current_version:
        step = UPCASTERS.get((str(data.get("type")), version))
        if step is None:
            raise BadEvent(f"no upcaster for {data.get('type')} v{version}")
        data = step(dict(data))
        version += 1
        data["schema_version"] = version
    return data


def encode(event: Event) -> bytes:
    """Serialise an event as compact UTF-8 JSON."""
    return event.model_dump_json().encode()


def make_decoder(adapter: TypeAdapter[Any], versions: dict[str, int]) -> Callable[[bytes], Event]:
    """Build a decoder over a discriminated union: bytes → an Event, or BadEvent with a specific reason.

    Any failure to parse or validate becomes BadEvent, never another exception: Python's json raises
    RecursionError on deep nesting and ValueError on integers of more than 4,300 digits, and a consumer
    that sees an exception it did not foresee stops on that one record for good.
    """

    def decode(raw: bytes) -> Event:
        try:
            return _decode(raw)
        except BadEvent:
            raise
        except RecursionError:
            raise BadEvent("not JSON: nested too deeply") from None
        except Exception as exc:  # noqa: BLE001 - whatever else breaks, the record is bad, not the consumer
            raise BadEvent(f"undecodable: {type(exc).__name__}: {str(exc)[:200]}") from None

    def _decode(raw: bytes) -> Event:
        try:  # the common case first: a current event straight from JSON, a third of the cost of the general path
            event = adapter.validate_json(raw)
            if event.schema_version == versions[event.type]:
                return event  # type: ignore[no-any-return]
        except ValidationError:
            pass  # the general path below upcasts an old version or names what is wrong
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
            raise BadEvent(f"not JSON: {str(exc)[:200]}") from None
        if not isinstance(data, dict):
            raise BadEvent("not a JSON object")
        event_type = data.get("type")
        if not isinstance(event_type, str) or event_type not in versions:
            raise BadEvent(f"unknown event type: {str(event_type)[:100]!r}" if isinstance(event_type, str)
                           else f"type: must be a string naming an event type, got {type(event_type).__name__}")
        version = data.get("schema_version", 1)
        if type(version) is not int or version < 1:  # not bool, float or str: a version is a plain positive integer
            raise BadEvent(f"{event_type}: schema_version: must be a positive integer, got {repr(version)[:50]}")
        if version > versions[event_type]:
            raise BadEvent(f"{event_type} schema_version {version} is newer than this consumer knows")
        try:
            return adapter.validate_python(upcast(data, versions[event_type]))  # type: ignore[no-any-return]
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:]) or "event"
            raise BadEvent(f"{event_type}: {where}: {first['msg']}") from None

    return decode


def now_fields(*, event_id: UUID, occurred_at: datetime, key: str, producer: str) -> dict[str, Any]:
    """The envelope arguments in one dict, for building events tersely."""
    return {"event_id": event_id, "occurred_at": occurred_at, "key": key, "producer": producer}
