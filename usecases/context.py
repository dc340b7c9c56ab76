"""What every use case receives: the clock, id minting, settings and who produces the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from schemas.ids import entity_id, uuid7
from usecases.settings import Settings


@dataclass(frozen=True)
class Context:
    """The impure inputs of a use case, passed in so tests can fix them."""

    now: datetime
    settings: Settings
    producer: str = "api"

    @classmethod
    def live(cls, settings: Settings, producer: str = "api") -> Context:
        return cls(now=datetime.now(UTC), settings=settings, producer=producer)

    def envelope(self, key: str) -> dict[str, Any]:
        """Envelope fields for a new event about community `key`; its id sorts by when it was minted."""
        return {"event_id": uuid7(), "occurred_at": self.now, "key": key, "producer": self.producer}

    @staticmethod
    def new_id(prefix: str) -> str:
        """A new entity id, e.g. 'ins-019ab3c4d5e6b9c0ffee'; one minted a millisecond later sorts later."""
        return entity_id(prefix)
