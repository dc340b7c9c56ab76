"""Resident ID numbers (GB 11643): ISO 7064 MOD 11-2 check character and a real birth date."""

import pytest

from domain.orders.id_number import check_id_number, make_id_number


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_accepts_the_examples_printed_in_gb_11643(number: str) -> None:
    assert check_id_number(number) is None


def test_names_the_expected_check_character() -> None:
    assert check_id_number("110105194912310021") == "check character should be 'X', got '1'"


def test_rejects_an_impossible_birth_date() -> None:
    assert check_id_number(make_id_number("11010519490230002")) == "birth date '19490230' is not a real date"


def test_rejects_unknown_province() -> None:
    reason = check_id_number(make_id_number("99010519491231002"))
    assert reason is not None and "province" in reason


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002Y", "1101051949123100X2"])
def test_rejects_malformed_numbers(number: str) -> None:
    assert check_id_number(number) is not None
