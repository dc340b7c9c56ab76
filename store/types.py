"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer
from sqlalchemy.types import TypeDecorator

# Zones whose offset is always 0: a time in one of them is already UTC (psycopg names the server's UTC 'Etc/UTC').
_UTC_ZONES = frozenset({UTC, ZoneInfo("UTC"), ZoneInfo("Etc/UTC")})


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns timezone-aware datetimes (SQLite would drop the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        zone = value.tzinfo
        if zone is None or zone in _UTC_ZONES:  # SQLite keeps naive UTC text; psycopg gives the session's zone
            # combine, not value.replace(tzinfo=UTC) or astimezone: each cost ≈ 0.5-1 µs a value on Python 3.11
            # against ≈ 0.3, on every time column the earnings consumer and the API read (issue 19)
            return datetime.combine(value, value.time(), UTC)
        return value.astimezone(UTC)


def json_column() -> Any:
    """A JSON column (lists and dicts of plain values)."""
    return Column(JSON, nullable=False)


def utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    return Column(UTCDateTime(), nullable=nullable, index=index)


# Sums of money in fen (a ledger line, a period's total, a payout, an adjustment, the daily read model's sums):
# BIGINT on PostgreSQL, whose INTEGER stops at 2^31 − 1 fen (¥21.47 M, less than a large community's half month);
# SQLite's INTEGER holds 64 bits already (issue 19, migration 0007).
FEN_SUM = BigInteger().with_variant(Integer(), "sqlite")
