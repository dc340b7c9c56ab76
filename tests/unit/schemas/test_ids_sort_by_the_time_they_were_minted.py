"""Event and entity ids start with the time they were minted, so indexes keyed by them grow at one end."""

from __future__ import annotations

import random
from uuid import UUID

import pytest

from schemas.ids import entity_id, now_ms, uuid7


def test_event_ids_are_version_7_uuids_that_sort_by_time() -> None:
    rng = random.Random(3)
    ids = [uuid7(at, rng.getrandbits(74)) for at in range(1_700_000_000_000, 1_700_000_000_000 + 5000, 7)]
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in ids)
    assert sorted(ids) == ids
    assert sorted(str(i) for i in ids) == [str(i) for i in ids]  # as text too, the way the tables hold them
    assert int(ids[0].hex[:12], 16) == 1_700_000_000_000  # the first 48 bits are the milliseconds


def test_the_same_clock_and_random_bits_give_the_same_id_and_live_ids_differ() -> None:
    assert uuid7(1_700_000_000_000, 12345) == uuid7(1_700_000_000_000, 12345)
    assert entity_id("ins", 1_700_000_000_000, 99) == entity_id("ins", 1_700_000_000_000, 99)
    assert len({uuid7() for _ in range(10_000)}) == 10_000
    assert len({entity_id("ins") for _ in range(10_000)}) == 10_000
    assert isinstance(uuid7(), UUID)


def test_entity_ids_name_their_kind_then_time_then_random() -> None:
    minted = entity_id("lot", 0x019AB3C4D5E6, 0xB9C0FFEE)
    assert minted == "lot-019ab3c4d5e6b9c0ffee"
    before = now_ms()
    later = [entity_id("ins") for _ in range(3)]
    assert all(int(i.removeprefix("ins-")[:12], 16) >= before for i in later)
    assert entity_id("ins", 1_000) < entity_id("ins", 1_001, 0)  # time first, whatever the random part


@pytest.mark.parametrize("at_ms", [-1, 1 << 48])
def test_a_time_outside_48_bits_of_milliseconds_is_refused(at_ms: int) -> None:
    with pytest.raises(ValueError, match="at_ms"):
        uuid7(at_ms)
    with pytest.raises(ValueError, match="at_ms"):
        entity_id("ins", at_ms)
