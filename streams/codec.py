"""The faust codec for our events: pydantic in, pydantic out, and bad bytes kept for the dead-letter topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from faust.serializers import codecs

from schemas.catalogue import decode
from schemas.envelope import BadEvent, Event, encode


@dataclass(frozen=True)
class Malformed:
    """A message that did not decode: its original bytes and why, so nothing is silently dropped."""

    raw: bytes
    reason: str


class EventCodec(codecs.Codec):
    """Decodes to an Event or a Malformed marker instead of raising, so the agent can dead-letter it."""

    def _dumps(self, obj: Any) -> bytes:
        if isinstance(obj, Event):
            return encode(obj)
        if isinstance(obj, bytes):
            return obj
        raise TypeError(f"cannot encode {type(obj).__name__}")

    def _loads(self, s: bytes) -> Event | Malformed:
        try:
            return decode(s)
        except BadEvent as exc:
            return Malformed(raw=bytes(s), reason=exc.reason)


CODEC_NAME = "mf_event"
codecs.register(CODEC_NAME, EventCodec())
