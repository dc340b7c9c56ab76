"""Field types for strict models whose values JSON can only spell as text or arrays.

Every command and event is strict (`ConfigDict(strict=True)`): `true`, `"200"` and `200.0` are refused where an
integer is meant, since lax pydantic would take `"piece_rate_fen": true` as 1 fen. JSON has no date-time, UUID or
tuple, and FastAPI and the decoder's general path validate parsed JSON in Python mode, where strict would refuse
even a well-formed ISO string; these types accept their JSON spelling and nothing looser.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict


def _text_or_datetime(value: Any) -> Any:
    # Lax datetime would also read a number as seconds since 1970: a count sent in the wrong field.
    if isinstance(value, (int, float)) and not isinstance(value, datetime):
        raise ValueError("must be an ISO 8601 date-time text with a time zone, e.g. 2026-11-10T10:00:00+08:00")
    return value


# The instants the product deals in: a work day, a due date, a pay period. Year 1 at +08:00 is an instant before
# datetime's own minimum in UTC, and storing it overflowed into a 500 (attacker, 2026-12-01); the year 9999 one after.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _in_range(value: datetime) -> datetime:
    try:
        ok = EARLIEST <= value < LATEST
    except OverflowError:  # comparing converts to UTC, which a year-1 or year-9999 instant may not survive
        ok = False
    if not ok:
        raise ValueError("时间须在 2000 年到 2099 年之间 / must be between the years 2000 and 2099")
    return value


WireDatetime = Annotated[AwareDatetime, Strict(False), BeforeValidator(_text_or_datetime), AfterValidator(_in_range)]
"""A timezone-aware date-time between the years 2000 and 2099 (UTC): a datetime, or ISO 8601 text; never a number."""

WireUUID = Annotated[UUID, Strict(False)]
"""A UUID, or its text form."""

Slot = Annotated[tuple[int, int, int], Strict(False)]
"""(weekday 0=Mon, start minute, end minute): a JSON array of three integers; the integers stay strict."""
