"""Ids that sort by the time they were minted: event ids (UUID version 7) and entity ids (inspections, lots...).

Random ids land anywhere in an index, so a batch of ten thousand inspections touches, and writes back, nearly
every page of each index they are keyed by (the ledger's entry keys and inspection ids, the applied events,
the inspections themselves); ids that start with the time they were made go to the end of those indexes, a
few pages per batch. The pipeline benchmark measured the worker ≈ 18% faster with them (bench/METHOD.md).
The clock and the random bits are arguments, so a seeded benchmark world mints the ids the product would.
Python 3.14's `uuid.uuid7()` makes the same layout.
"""

from __future__ import annotations

import secrets
import time
from uuid import UUID

_VERSION_7 = 0x7 << 76
_VARIANT_RFC = 0x2 << 62


def now_ms() -> int:
    """Milliseconds since the Unix epoch, as the ids count them."""
    return time.time_ns() // 1_000_000


def uuid7(at_ms: int | None = None, rand: int | None = None) -> UUID:
    """An RFC 9562 version 7 UUID: 48 bits of Unix milliseconds, then 74 random bits.

    `rand` supplies the random bits (any int; its low 74 bits are used) for reproducible ids.
    """
    at_ms = _millis(at_ms)
    rand = secrets.randbits(74) if rand is None else rand
    rand_a, rand_b = (rand >> 62) & 0xFFF, rand & ((1 << 62) - 1)
    return UUID(int=at_ms << 80 | _VERSION_7 | rand_a << 64 | _VARIANT_RFC | rand_b)


def entity_id(prefix: str, at_ms: int | None = None, rand: int | None = None) -> str:
    """`prefix-` then 12 hex digits of milliseconds and 8 random ones, e.g. 'ins-019ab3c4d5e6f7a8b9c0'.

    32 random bits within one millisecond and one prefix: a clash is a one-in-four-billion chance per pair,
    and the table's primary key refuses it rather than overwrite.
    """
    at_ms = _millis(at_ms)
    rand = secrets.randbits(32) if rand is None else rand & 0xFFFF_FFFF
    return f"{prefix}-{at_ms:012x}{rand:08x}"


def _millis(at_ms: int | None) -> int:
    at_ms = now_ms() if at_ms is None else at_ms
    if not 0 <= at_ms < 1 << 48:
        raise ValueError(f"at_ms: must be milliseconds between 0 and 2**48, got {at_ms}")
    return at_ms
