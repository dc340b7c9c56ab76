"""Enterprise settlement (企业结算): what an enterprise owes for a period, order by order.

Rounding rule: the service fee is computed per order as resident pay × bps / 10,000 and
rounded to whole fen half away from zero (so a reversal's fee mirrors the original's);
the settlement's fee is the sum of the per-order fees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from domain.pay.model import EntryDraft, PayInputError, counts_passed_pieces, require_int
from domain.pay.periods import PayPeriod

BPS_DENOMINATOR = 10_000


@dataclass(frozen=True)
class SettlementLine:
    """One order in the settlement: passed pieces, residents' pay and the fee, side by side."""

    order_id: str
    pieces_passed: int
    rates_centifen: tuple[int, ...]  # exact rates per piece (0.0001 yuan) the order was paid at
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int


@dataclass(frozen=True)
class Settlement:
    """An enterprise's bill for one period; total is always residents' pay plus the fee."""

    enterprise_id: str
    period_id: str
    service_fee_bps: int
    lines: tuple[SettlementLine, ...]
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int


def fee_fen(amount_fen: int, bps: int) -> int:
    """amount × bps / 10,000 rounded half away from zero, in exact integers."""
    quotient, remainder = divmod(abs(amount_fen) * bps, BPS_DENOMINATOR)
    rounded = quotient + (1 if 2 * remainder >= BPS_DENOMINATOR else 0)
    return rounded if amount_fen >= 0 else -rounded


def settle_enterprise(
    *,
    enterprise_id: str,
    period: PayPeriod,
    entries: Iterable[EntryDraft],
    service_fee_bps: int,
) -> Settlement:
    """Bill one enterprise for the entries posted in a period (corrections included, top-ups not)."""
    require_int("service_fee_bps", service_fee_bps, minimum=0)
    pieces: defaultdict[str, int] = defaultdict(int)
    pay: defaultdict[str, int] = defaultdict(int)
    rates: defaultdict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.enterprise_id != enterprise_id or entry.period_id != period.period_id:
            continue
        if entry.order_id is None:
            raise PayInputError(
                "order_id", f"entry {entry.entry_key!r} bills an enterprise but names no order"
            )
        pay[entry.order_id] += entry.amount_fen
        if counts_passed_pieces(entry):
            pieces[entry.order_id] += entry.pieces
            if entry.entry_kind == "piece_pay":
                rates[entry.order_id].add(entry.rate_centifen)
    lines = tuple(
        _line(order_id, pieces[order_id], rates[order_id], pay[order_id], service_fee_bps)
        for order_id in sorted(pay)
    )
    residents_pay = sum(line.residents_pay_fen for line in lines)
    fee = sum(line.service_fee_fen for line in lines)
    return Settlement(
        enterprise_id=enterprise_id,
        period_id=period.period_id,
        service_fee_bps=service_fee_bps,
        lines=lines,
        residents_pay_fen=residents_pay,
        service_fee_fen=fee,
        total_fen=residents_pay + fee,
    )


def _line(order_id: str, pieces: int, rates: set[int], pay_fen: int, bps: int) -> SettlementLine:
    fee = fee_fen(pay_fen, bps)
    return SettlementLine(order_id, pieces, tuple(sorted(rates)), pay_fen, fee, pay_fen + fee)
