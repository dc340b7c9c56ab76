"""PRC resident identity number (居民身份证号码, GB 11643) checks for resident imports."""

from __future__ import annotations

from datetime import date

from domain.orders.uscc import PROVINCE_CODES

# ISO 7064 MOD 11-2: weight of position i (from the left) is 2^(17-i) mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"


def id_check_char(body17: str) -> str:
    """The 18th character of a resident ID number."""
    total = sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Strip spaces and upper-case the check 'x', the two ways people mistype it."""
    return raw.strip().replace(" ", "").upper()


def check_id_number(number: str) -> str | None:
    """None when `number` is a valid 18-character resident ID, else why not."""
    if len(number) != 18:
        return f"must be 18 characters, got {len(number)}"
    body, check = number[:17], number[17]
    if not body.isdigit() or not body.isascii():
        return "the first 17 characters must be digits"
    if not (check.isdigit() or check == "X"):
        return f"the last character must be a digit or X, got {check!r}"
    if body[:2] not in PROVINCE_CODES:
        return f"region code {body[:6]!r} does not start with a province code"
    try:
        date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return f"birth date {body[6:14]!r} is not a real date"
    expected = id_check_char(body)
    if check != expected:
        return f"check character should be {expected!r}, got {check!r}"
    return None


def make_id_number(body17: str) -> str:
    """Complete a 17-digit body with its check character (demo data and tests)."""
    if len(body17) != 17 or not body17.isdigit():
        raise ValueError(f"expected 17 digits, got {body17!r}")
    return body17 + id_check_char(body17)
