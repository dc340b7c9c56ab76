"""domain.people.telling_tail: the last digits that tell a resident from others of her name."""

from __future__ import annotations

from domain.pay.slips import slip_name
from domain.people import telling_tail


def test_four_digits_unless_a_namesake_s_phone_ends_the_same() -> None:
    assert telling_tail("13812345678", ["13900001111"]) == "5678"
    assert telling_tail("13812345678", ["13900005678"]) == "45678"
    assert telling_tail("13812345678", ["13900045678", "13711115678", None]) == "345678"


def test_none_without_a_phone_or_where_its_digits_cannot_tell() -> None:
    assert telling_tail(None, ["13900005678"]) is None
    assert telling_tail("138****5678", ["139****5678"]) is None  # masked: the digits that differ are hidden
    assert telling_tail("138****5678", ["139****1234"]) == "5678"


def test_the_slip_name_uses_it_and_falls_back_to_the_resident_number() -> None:
    assert slip_name("王秀英", namesakes=[], phone="13812345678", resident_id="r1") == "王秀英"
    told = slip_name("王秀英", namesakes=["13900005678"], phone="13812345678", resident_id="r1")
    assert told == "王秀英（尾号45678）"
    assert slip_name("王秀英", namesakes=["13900005678"], phone=None, resident_id="r1") == "王秀英（编号r1）"
