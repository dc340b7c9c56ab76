"""Piece rates (计件单价) as enterprises write them, held exactly as an integer on the wire and in the store.

Hand-work is priced below one fen (¥0.035 a bead, ¥0.008 a label) and often per 100 or per 1,000 pieces
(¥35/千件). A rate is therefore kept in **centifen**: units of 0.0001 yuan = 1/100 fen, so ¥0.035 = 350,
¥0.35 = 3,500 and ¥35 per 1,000 pieces = 350. Every rate an enterprise can write with at most four decimals
of a yuan per piece is an exact integer here; money becomes payable in whole fen only where it is posted
(domain.pay.money.piece_pay_fen). `per` remembers how the enterprise quoted it (1, 100 or 1,000 pieces),
so a slip or an order shows the rate as it was posted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

CENTIFEN_PER_FEN = 100
CENTIFEN_PER_YUAN = 10_000
QUOTE_BASES = (1, 100, 1000)  # pieces a quoted price is for: 每件, 每百件, 每千件
MAX_RATE_CENTIFEN = 100_000_000  # ¥10,000 a piece: the 1,000,000-fen bound the integer-fen rate had
_AMOUNT = re.compile(r"-?(\d+\.?\d*|\.\d+)")
BASE_FIELD = {1: "piece_rate_yuan", 100: "piece_rate_per_100_yuan", 1000: "piece_rate_per_1000_yuan"}


class RateError(ValueError):
    """A rate that cannot be taken; `field` names the input and `reason` says why (Chinese, then English)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}：{reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class QuotedRate:
    """An exact piece rate: `centifen` (0.0001 yuan) per piece, quoted by the enterprise per `per` pieces."""

    centifen: int
    per: int = 1


def yuan_text(raw: Any) -> str:
    """A yuan amount as text: a JSON number is read as the decimal it was written as (0.035 → "0.035").

    Raises RateError-free ValueError for booleans and other types (pydantic names the field).
    """
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ValueError("金额须写成数字或文本，例如 \"0.035\" / must be an amount such as \"0.035\"")
    return raw if isinstance(raw, str) else repr(raw)


def parse_rate(raw: str, *, per: int = 1, field: str | None = None) -> QuotedRate:
    """An amount in yuan for `per` pieces ("0.035" per 1, "35" per 1,000) as an exact QuotedRate.

    Full-width digits, a leading ¥/￥ and surrounding spaces are accepted (spreadsheets and IMEs write them).
    Raises RateError naming `field` (default: the API field of that basis) when the text is not a number,
    is zero or negative, is too large, or is finer than 0.0001 yuan a piece (five or more decimals per piece,
    or per 1,000 pieces a price finer than ¥0.1).
    """
    name = field or BASE_FIELD[per]
    text = unicodedata.normalize("NFKC", str(raw)).strip().lstrip("¥").strip().replace(",", "")
    if not _AMOUNT.fullmatch(text):  # no exponents: a spreadsheet's 3.5E-02 is a damaged cell, not a price
        raise RateError(name, f"「{raw}」不是金额（元），例如 0.035 / not an amount in yuan, e.g. 0.035")
    amount = Decimal(text)
    if amount <= 0:
        raise RateError(name, f"计件单价必须大于 0，收到 {raw} / the piece rate must be more than 0, got {raw}")
    centifen = amount * CENTIFEN_PER_YUAN / per
    if centifen != centifen.to_integral_value():
        unit = {1: "每件", 100: "每百件折合每件", 1000: "每千件折合每件"}[per]
        raise RateError(name, f"计件单价最多精确到 0.0001 元（小数点后 4 位），「{raw}」{unit}超出此精度 / "
                              f"a piece rate is exact to 0.0001 yuan a piece (4 decimals); {raw} is finer")
    return checked(int(centifen), per=per, field=name)


def from_fen(fen: int, *, field: str = "piece_rate_fen") -> QuotedRate:
    """A whole-fen rate (the API's original `piece_rate_fen`) as a QuotedRate: 35 fen → 3,500 centifen."""
    if fen <= 0:
        raise RateError(field, f"计件单价必须大于 0，收到 {fen} / the piece rate must be more than 0, got {fen}")
    return checked(fen * CENTIFEN_PER_FEN, per=1, field=field)


def checked(centifen: int, *, per: int = 1, field: str = "piece_rate_centifen") -> QuotedRate:
    """A QuotedRate after checking the bounds; RateError naming `field` otherwise."""
    if per not in QUOTE_BASES:
        raise RateError("rate_per", f"报价基数只能是 1、100 或 1000 件，收到 {per} / quote per 1, 100 or 1000 pieces")
    if centifen <= 0:
        raise RateError(field, f"计件单价必须大于 0，收到 {centifen} / the piece rate must be more than 0")
    if centifen > MAX_RATE_CENTIFEN:
        raise RateError(field, "计件单价不能超过每件 10000 元 / the piece rate cannot exceed 10,000 yuan a piece")
    return QuotedRate(centifen, per)


# How a spreadsheet cell or a form names the pieces a price is for: "35/千件", "3.5元/百件", "35/1000".
_PER_SUFFIX = re.compile(r"^(?P<amount>.*?)\s*(元)?\s*(/|每)\s*(?P<per>千件|百件|件|1000|100|1|千|百)?\s*$")
_PER_WORDS = {"千件": 1000, "千": 1000, "1000": 1000, "百件": 100, "百": 100, "100": 100, "件": 1, "1": 1, None: 1}


def parse_quoted(raw: str, *, field: str) -> QuotedRate:
    """A rate as people write it in one cell: "0.035", "¥0.035/件", "3.5/百件", "35元/千件", "35/1000".

    Raises RateError naming `field` as parse_rate does.
    """
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    found = _PER_SUFFIX.match(text) if "/" in text or "每" in text else None
    if found is None:
        return parse_rate(text, per=1, field=field)
    return parse_rate(found["amount"], per=_PER_WORDS[found["per"]], field=field)


def rate_fields(rate: QuotedRate) -> dict[str, str]:
    """The command field and text that give this rate exactly as it was quoted: {"piece_rate_per_1000_yuan": "35"}."""
    yuan = Decimal(rate.centifen * rate.per).scaleb(-4)
    return {BASE_FIELD[rate.per]: f"{yuan.normalize():f}"}
