"""Where exact piece rates become payable fen: the one rounding rule of the ledger (issue 16).

A rate is exact in centifen (0.0001 yuan, schemas.rates); money is integer fen. The rule, the usual practice
of payroll (and DESIGN.md's "rounded once per pay-slip line, half-up"):

    the pay of a resident's passed pieces of one lot at one rate is round_half_up(pieces × rate) to the fen.

A lot is inspected in parts, and parts are corrected, so each posting is the difference of two rounded
cumulative amounts: posting = R((before + pieces) × rate) − R(before × rate), where `before` is the pieces of
that lot at that rate already in the ledger for the resident. The postings of a lot then always add up to
R(all its passed pieces × rate), in whatever order the parts and corrections arrive, and nothing is rounded
twice (333 × ¥0.035 = ¥11.655 → ¥11.66 whether paid at once or as 100 + 233).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from schemas.rates import CENTIFEN_PER_FEN

__all__ = ["BASE_WORDS", "CENTIFEN_PER_FEN", "MAX_ORDER_VALUE_FEN", "format_rate", "lot_posting_fen",
           "order_value_problem", "piece_pay_fen"]

# The most one order may pay in all: ¥10,000,000. A ledger line, a payout and a period's total are 32-bit integers
# of fen on PostgreSQL (at most 2,147,483,647 = ¥21.4 M); an order worth more would post a lot whose line cannot
# be stored, and the earnings consumer would lose it (found by attack: 3,000 pieces at ¥9,999.9999 = ¥30 M).
MAX_ORDER_VALUE_FEN = 1_000_000_000


def piece_pay_fen(pieces: int, rate_centifen: int) -> int:
    """pieces × rate rounded half-up to the fen: 333 × 350 centifen = 11.655 yuan → 1,166 fen.

    Both are integers ≥ 0 (a cumulative count of pieces, a positive rate); raises ValueError otherwise.
    """
    if pieces < 0 or rate_centifen < 0:
        raise ValueError(f"pieces and rate must not be negative, got {pieces} × {rate_centifen}")
    return (pieces * rate_centifen + CENTIFEN_PER_FEN // 2) // CENTIFEN_PER_FEN


def lot_posting_fen(before: int, after: int, rate_centifen: int) -> int:
    """What a posting moves when a lot's paid pieces at this rate go from `before` to `after` (either way).

    Positive for more passed pieces, negative for a correction taking pieces back; the postings of a lot
    telescope to piece_pay_fen(final pieces, rate).
    """
    return piece_pay_fen(after, rate_centifen) - piece_pay_fen(before, rate_centifen)


BASE_WORDS = {"zh": {1: "件", 100: "百件", 1000: "千件"}, "en": {1: "piece", 100: "100 pieces", 1000: "1,000 pieces"}}


@lru_cache(maxsize=4096)  # every piece-pay line's memo names its rate, and a batch's lines share a few rates
def format_rate(rate_centifen: int, per: int = 1, lang: str = "zh") -> str:
    """A rate for people, as it was quoted: "¥0.035/件", "¥35.00/千件" ("¥0.035/piece" in English).

    At least two decimals like any money, at most the four a rate per piece can have; `per` is the quote basis.
    """
    yuan = Decimal(rate_centifen * per).scaleb(-4)
    text = f"{yuan:,.4f}".rstrip("0")
    text = text if len(text.split(".")[1]) >= 2 else f"{yuan:,.2f}"
    return f"¥{text}/{BASE_WORDS['zh' if lang == 'zh' else 'en'][per]}"


def order_value_problem(quantity: int, rate_centifen: int, bonus_fen_per_piece: int = 0) -> str | None:
    """Why an order of `quantity` pieces at `rate_centifen` (+ a quality bonus in fen a piece) is worth too much to
    pay, in Chinese then English; None when its whole value, rounded as a lot is, is at most MAX_ORDER_VALUE_FEN."""
    value = piece_pay_fen(quantity, rate_centifen) + quantity * max(bonus_fen_per_piece, 0)
    if value <= MAX_ORDER_VALUE_FEN:
        return None
    return (f"订单总金额（数量 × 计件单价）不能超过 {MAX_ORDER_VALUE_FEN // 100:,} 元，"
            f"此订单为 {value / 100:,.2f} 元 / "
            f"an order may pay at most ¥{MAX_ORDER_VALUE_FEN // 100:,} in all (quantity × piece rate); "
            f"this one is ¥{value / 100:,.2f}")
