"""A coordinator on her phone types a lot's code as she reads it off the label: with spaces instead of dashes, with
full-width digits, or only its day and sequence ('1201-08' when the product is plain to see). Each finds the lot;
only the day and sequence of two of her lots asks for the whole code, naming both (new-user trial, 2026-11-30:
'包装 1201 08' and '1201-08' answered 你的社区没有这个批次 for a lot she had)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1, World
from domain.lifecycle.lot import LotStatus
from schemas import commands as c
from store.db import reading, transaction
from store.tables import Lot, Offer, Resident
from usecases import offers
from usecases.execute import execute


def typed(open_page, text: str) -> AppTest:
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "materials"
    at.run()
    at.radio(key="mat_how").set_value("type").run()
    at.text_input(key="mat_code").input(text).run()
    assert not at.exception
    return at


def holder(world: World) -> str:
    with reading(world.engine) as s:
        return s.exec(select(Resident.name).where(Resident.id == world.proxy_for)).one()


@pytest.fixture
def code(world: World) -> str:
    """The short code of a lot her community's resident accepted (so it is one of the 发料 picker's lots)."""
    with reading(world.engine) as s:
        offer = s.exec(select(Offer).where(Offer.lot_id == world.proxy_lot, Offer.status == "pending")).first()
        code = s.exec(select(Lot.short_code).where(Lot.id == world.proxy_lot)).one()
    if offer is not None:
        execute(world.engine, world.settings, offers.answer_offer, offer.id, c.AnswerOffer(decision="accept"),
                actor=COORD1)
    assert code
    return code


def test_spaces_long_dashes_and_full_width_digits_find_the_lot(world: World, open_page, code: str) -> None:
    product, day, seq = code.split("-")
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in f"{day}-{seq}")
    for text in (f"{product} {day} {seq}", f"{product}—{day}—{seq}", f"{product}－{full_width}"):
        at = typed(open_page, text)
        assert [s.value for s in at.success] == [f"已找到：{code} · 串珠手链 · {holder(world)}"], text


def test_the_day_and_sequence_alone_find_her_one_lot_of_them(world: World, open_page, code: str) -> None:
    _, day, seq = code.split("-")
    with reading(world.engine) as s:
        alike = [x for x in s.exec(select(Lot.short_code).where(Lot.community_id == "comm-001")).all()
                 if x and x.endswith(f"-{day}-{seq}")]
    assert alike == [code], "the world gives comm-001 one lot of this day and sequence"
    at = typed(open_page, f"{day} {int(seq)}")
    assert [s.value for s in at.success] == [f"已找到：{code} · 串珠手链 · {holder(world)}"]


def test_a_day_and_sequence_two_of_her_lots_share_asks_for_the_whole_code(world: World, open_page,
                                                                          code: str) -> None:
    _, day, seq = code.split("-")
    twin = f"网兜-{day}-{seq}"
    with transaction(world.engine) as s:  # a second product's lot of the same day and sequence, in her community
        other = s.exec(select(Lot).where(Lot.community_id == "comm-001", Lot.id != world.proxy_lot,
                                         col(Lot.status).in_([LotStatus.ACCEPTED, LotStatus.IN_WORK]))).first()
        assert other is not None
        other.short_code = twin
        s.add(other)
    at = typed(open_page, f"{day}-{seq}")
    assert not at.success
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and code in errors[0] and "请写全简码" in errors[0], errors
    assert twin in errors[0], errors
