"""Masking of phone and ID numbers for every view that does not need them in full."""

from __future__ import annotations

MASK = "*"


def mask_phone(phone: str) -> str:
    """'13812345678' -> '138****5678': enough to recognise, not enough to call."""
    digits = phone.strip()
    if len(digits) >= 8:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    return MASK * len(digits)


def mask_id_number(id_number: str) -> str:
    """'110101199003071234' -> '1101**********1234': hides birth date and sequence."""
    number = id_number.strip()
    if len(number) >= 12:
        return number[:4] + MASK * (len(number) - 8) + number[-4:]
    return MASK * len(number)
