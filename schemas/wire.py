"""Field types for strict models whose values JSON can only spell as text or arrays.

Every command and event is strict (`ConfigDict(strict=True)`): `true`, `"200"` and `200.0` are refused where an
integer is meant, since lax pydantic would take `"piece_rate_fen": true` as 1 fen. JSON has no date-time, UUID or
tuple, and FastAPI and the decoder's general path validate parsed JSON in Python mode, where strict would refuse
even a well-formed ISO string; these types accept their JSON spelling and nothing looser.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BeforeValidator, Strict


def _text_or_datetime(value: Any) -> Any:
    # Lax datetime would also read a number as seconds since 1970: a count sent in the wrong field.
    if isinstance(value, (int, float)) and not isinstance(value, datetime):
        raise ValueError("must be an ISO 8601 date-time text with a time zone, e.g. 2026-11-10T10:00:00+08:00")
    return value


WireDatetime = Annotated[AwareDatetime, Strict(False), BeforeValidator(_text_or_datetime)]
"""A timezone-aware date-time: a datetime, or ISO 8601 text; never a number."""

WireUUID = Annotated[UUID, Strict(False)]
"""A UUID, or its text form."""

Slot = Annotated[tuple[int, int, int], Strict(False)]
"""(weekday 0=Mon, start minute, end minute): a JSON array of three integers; the integers stay strict."""
