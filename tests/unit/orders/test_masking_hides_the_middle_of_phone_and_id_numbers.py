"""Masked phone and ID numbers keep only what is needed to recognise a person."""

from domain.orders.masking import mask_id_number, mask_phone


def test_masks_the_middle_four_digits_of_a_mobile_number() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_masks_birth_date_and_sequence_of_an_id_number() -> None:
    assert mask_id_number("110101199003071234") == "1101**********1234"


def test_short_values_are_masked_completely() -> None:
    assert mask_phone("12345") == "*****"
    assert mask_id_number("1234567") == "*******"
