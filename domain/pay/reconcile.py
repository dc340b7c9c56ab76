"""Reconciliation: ledger totals against pay recomputed independently from recorded inspections.

Deliberately shares no code with ``ledger.entries_for_inspection``: a bug there must show up
here as a difference, not be repeated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from domain.pay.model import EntryDraft, InspectionFact, PayInputError

Scope = Literal["resident", "order", "enterprise"]
SCOPES: tuple[Scope, ...] = ("resident", "order", "enterprise")


@dataclass(frozen=True)
class Totals:
    """Money in fen per resident, per order and per enterprise; zero totals are left out."""

    by_resident: Mapping[str, int]
    by_order: Mapping[str, int]
    by_enterprise: Mapping[str, int]

    def scope(self, scope: Scope) -> Mapping[str, int]:
        """The totals of one scope, so callers can loop over scopes."""
        return {"resident": self.by_resident, "order": self.by_order, "enterprise": self.by_enterprise}[scope]


@dataclass(frozen=True)
class Difference:
    """One total that disagrees: what the inspections say against what the ledger holds."""

    scope: Scope
    id: str
    expected_fen: int
    ledger_fen: int

    @property
    def delta_fen(self) -> int:
        """Positive when the ledger holds more than the inspections justify."""
        return self.ledger_fen - self.expected_fen


class _Accumulator:
    """Sums amounts into the three scopes at once."""

    def __init__(self) -> None:
        self.sums: dict[Scope, defaultdict[str, int]] = {s: defaultdict(int) for s in SCOPES}

    def add(self, *, resident_id: str, order_id: str, enterprise_id: str, amount_fen: int) -> None:
        self.sums["resident"][resident_id] += amount_fen
        self.sums["order"][order_id] += amount_fen
        self.sums["enterprise"][enterprise_id] += amount_fen

    def totals(self) -> Totals:
        clean = {s: {k: v for k, v in sorted(self.sums[s].items()) if v != 0} for s in SCOPES}
        return Totals(
            by_resident=clean["resident"], by_order=clean["order"], by_enterprise=clean["enterprise"]
        )


def recompute_totals(facts: Iterable[InspectionFact]) -> Totals:
    """What the ledger must hold: pay of every inspection no later inspection corrects.

    A correction supersedes the inspection it names, so only the last link of each
    correction chain counts ("latest correction wins"). Duplicate deliveries of the same
    inspection count once.
    """
    unique: dict[str, InspectionFact] = {}
    for fact in facts:
        seen = unique.setdefault(fact.inspection_id, fact)
        if seen != fact:
            raise PayInputError(
                "inspection_id", f"{fact.inspection_id!r} recorded twice with different contents"
            )
    superseded = {f.corrects_inspection_id for f in unique.values() if f.corrects_inspection_id}
    acc = _Accumulator()
    # Piece pay is rounded once per resident, lot and rate (the slip's line per lot), so passed pieces are
    # summed per such line before any rounding; the bonus is whole fen per piece, so exact per inspection.
    lines: defaultdict[tuple[str, str, str, str, int], int] = defaultdict(int)
    for fact in unique.values():
        if fact.inspection_id in superseded:
            continue
        lines[(fact.resident_id, fact.order_id, fact.enterprise_id, fact.lot_id, fact.piece_rate_centifen)] += (
            fact.passed)
        acc.add(
            resident_id=fact.resident_id,
            order_id=fact.order_id,
            enterprise_id=fact.enterprise_id,
            amount_fen=_expected_bonus_fen(fact),
        )
    for (resident_id, order_id, enterprise_id, _, rate_centifen), passed in lines.items():
        acc.add(resident_id=resident_id, order_id=order_id, enterprise_id=enterprise_id,
                amount_fen=_yuan_to_fen_half_up(passed * Decimal(rate_centifen).scaleb(-4)))
    return acc.totals()


def _yuan_to_fen_half_up(yuan: Decimal) -> int:
    """Yuan to whole fen, half-up (¥11.655 → 1,166 fen): the documented rule, by Decimal rather than the
    integer arithmetic the ledger uses (domain.pay.money), so the two cannot share a mistake."""
    return int((yuan * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _expected_bonus_fen(fact: InspectionFact) -> int:
    """Passed × bonus when passed/inspected reaches the threshold (cross-multiplied), else 0."""
    threshold = fact.bonus_min_pass_rate
    inspected = fact.passed + fact.rejected
    if threshold is None or fact.passed * threshold.denominator >= threshold.numerator * inspected:
        return fact.passed * fact.quality_bonus_fen_per_piece
    return 0


def ledger_totals(entries: Iterable[EntryDraft]) -> Totals:
    """What the ledger holds for inspected work; top-ups and adjustments carry no inspection."""
    keys: set[str] = set()
    acc = _Accumulator()
    for entry in entries:
        if entry.entry_key in keys:
            raise PayInputError(
                "entry_key", f"{entry.entry_key!r} appears twice; the ledger must be deduplicated"
            )
        keys.add(entry.entry_key)
        if entry.inspection_id is None or entry.order_id is None or entry.enterprise_id is None:
            continue
        acc.add(
            resident_id=entry.resident_id,
            order_id=entry.order_id,
            enterprise_id=entry.enterprise_id,
            amount_fen=entry.amount_fen,
        )
    return acc.totals()


def diff(expected: Totals, ledger: Totals) -> list[Difference]:
    """Every resident, order and enterprise whose ledger total differs from the expected one."""
    found: list[Difference] = []
    for scope in SCOPES:
        want, have = expected.scope(scope), ledger.scope(scope)
        for key in sorted(set(want) | set(have)):
            if want.get(key, 0) != have.get(key, 0):
                found.append(Difference(scope, key, want.get(key, 0), have.get(key, 0)))
    return found
