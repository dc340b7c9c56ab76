"""Value objects of the pay ledger: recorded inspections (验收) and ledger entry drafts."""

from __future__ import annotations

from dataclasses import InitVar
from datetime import UTC, datetime
from fractions import Fraction
from typing import Literal, get_args

from domain.values import value_object
from schemas.rates import CENTIFEN_PER_FEN

EntryKind = Literal["piece_pay", "quality_bonus", "reversal", "wage_top_up", "adjustment", "carry_forward",
                    "carried_in"]
ENTRY_KINDS: frozenset[str] = frozenset(get_args(EntryKind))
# Entries whose amount is pieces × rate, so the arithmetic can be checked on every draft
# (a reversal mirrors whatever it reverses, so it is checked where it is made).
PIECE_PRICED_KINDS: frozenset[str] = frozenset({"piece_pay", "quality_bonus"})


class PayInputError(ValueError):
    """Bad input to the pay domain; the message names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class CorrectionTargetMissing(PayInputError):
    """A correction names an inspection that has no ledger entries yet (unknown or not applied)."""


class InspectionAlreadyCorrected(PayInputError):
    """A correction names an inspection another correction already superseded; correct the latest."""


def require_int(field: str, value: object, *, minimum: int | None = None) -> None:
    """Reject floats, bools and out-of-range numbers so money never leaves integer fen."""
    if type(value) is not int:
        raise PayInputError(field, f"must be an integer, got {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise PayInputError(field, f"must be >= {minimum}, got {value}")


def require_aware(field: str, value: datetime) -> None:
    """Naive datetimes would silently shift pay periods by the server's zone, so refuse them."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise PayInputError(field, "must be a timezone-aware datetime")


def entry_key_for(inspection_id: str, kind: EntryKind) -> str:
    """Deterministic idempotency key of an inspection's own entry; the DB keeps keys unique."""
    return f"{inspection_id}:{kind}"


def reversal_key_for(reversed_entry_key: str) -> str:
    """One key per reversed entry, so the DB's uniqueness also forbids reversing an entry twice."""
    return f"{reversed_entry_key}:reversal"


def keys_a_correction_reads(corrected_inspection_id: str) -> list[str]:
    """The keys the corrected inspection's own entries and their reversals can have: what a correction reads."""
    own = [entry_key_for(corrected_inspection_id, kind) for kind in ("piece_pay", "quality_bonus")]
    return own + [reversal_key_for(key) for key in own]


@value_object
class InspectionFact:
    """A recorded inspection (验收): passed pieces are paid at the piece rate (计件工资)."""

    inspection_id: str
    lot_id: str
    order_id: str
    enterprise_id: str
    resident_id: str
    community_id: str
    passed: int
    rejected: int
    piece_rate_centifen: int  # exact: 0.0001 yuan per piece (schemas.rates); 350 is ¥0.035
    quality_bonus_fen_per_piece: int = 0
    # Exact pass-rate threshold (e.g. Fraction(95, 100)); None pays the bonus whenever it is set.
    bonus_min_pass_rate: Fraction | None = None
    inspected_at: datetime
    corrects_inspection_id: str | None = None

    def __post_init__(self) -> None:
        # The common case in one expression (built for every inspection paid); anything else is checked field by
        # field below, which names the field. Exact types here: a subclass goes the long way and is judged there.
        if not (type(self.inspection_id) is str and type(self.lot_id) is str and type(self.order_id) is str
                and type(self.enterprise_id) is str and type(self.resident_id) is str
                and type(self.community_id) is str and self.inspection_id and self.lot_id and self.order_id
                and self.enterprise_id and self.resident_id and self.community_id
                and type(self.passed) is int and type(self.rejected) is int
                and type(self.piece_rate_centifen) is int and type(self.quality_bonus_fen_per_piece) is int
                and self.passed >= 0 and self.rejected >= 0 and self.piece_rate_centifen >= 0
                and self.quality_bonus_fen_per_piece >= 0):
            for name in ("inspection_id", "lot_id", "order_id", "enterprise_id", "resident_id", "community_id"):
                if not isinstance(getattr(self, name), str) or not getattr(self, name):
                    raise PayInputError(name, "must be a non-empty string")
            for name in ("passed", "rejected", "piece_rate_centifen", "quality_bonus_fen_per_piece"):
                require_int(name, getattr(self, name), minimum=0)
        rate = self.bonus_min_pass_rate
        if rate is not None and (not isinstance(rate, Fraction) or not 0 <= rate <= 1):
            raise PayInputError("bonus_min_pass_rate", "must be a Fraction between 0 and 1")
        if self.inspected_at.__class__ is not datetime or self.inspected_at.tzinfo is not UTC:  # else aware: UTC
            require_aware("inspected_at", self.inspected_at)
        if self.corrects_inspection_id == self.inspection_id:
            raise PayInputError("corrects_inspection_id", "an inspection cannot correct itself")

    @property
    def inspected(self) -> int:
        """Pieces looked at, passed or not."""
        return self.passed + self.rejected


@value_object
class EntryDraft:
    """An earning entry (收入明细) to append to the ledger; never updated once written."""

    entry_kind: EntryKind
    resident_id: str
    order_id: str | None
    enterprise_id: str | None
    community_id: str
    lot_id: str | None
    inspection_id: str | None
    pieces: int
    amount_fen: int
    period_id: str
    reverses_entry_key: str | None
    entry_key: str
    memo: str
    # The exact rate the pieces were priced at, in centifen (0.0001 yuan); 0 for entries without pieces.
    rate_centifen: int = 0
    # The same rate in whole fen, for the entries without pieces that name `rate_fen=0` (kept so they need not
    # change): turned into rate_centifen and not stored.
    rate_fen: InitVar[int | None] = None

    def __post_init__(self, rate_fen: int | None) -> None:
        if self.entry_kind not in ENTRY_KINDS:
            raise PayInputError("entry_kind", f"unknown kind {self.entry_kind!r}")
        if rate_fen is not None:
            require_int("rate_fen", rate_fen)
            self.rate_centifen = rate_fen * CENTIFEN_PER_FEN  # type: ignore[misc]  # while being built
        if not (type(self.pieces) is int and type(self.rate_centifen) is int and type(self.amount_fen) is int):
            for name in ("pieces", "rate_centifen", "amount_fen"):
                require_int(name, getattr(self, name))
        if self.entry_kind in PIECE_PRICED_KINDS and not priced_to_the_fen(self):
            raise PayInputError("amount_fen", "must be pieces × rate_centifen / 100 rounded to the fen (within 1 fen)")
        # A carried-in debt names the carry_forward it mirrors, as a reversal names what it reverses.
        if (self.entry_kind in ("reversal", "carried_in")) != (self.reverses_entry_key is not None):
            raise PayInputError("reverses_entry_key", "set exactly when entry_kind is 'reversal' or 'carried_in'")
        if not self.entry_key:
            raise PayInputError("entry_key", "must be a non-empty string")


def priced_to_the_fen(entry: EntryDraft) -> bool:
    """Whether a priced entry's amount is its pieces × rate to within the one fen the rounding can move it.

    A posting is R((before + pieces) × rate) − R(before × rate) (domain.pay.money), so it differs from the
    exact pieces × rate by less than one fen; a bonus at whole fen is exact, so the same test holds for it.
    """
    exact = entry.pieces * entry.rate_centifen  # centifen
    return abs(entry.amount_fen * CENTIFEN_PER_FEN - exact) < CENTIFEN_PER_FEN


def counts_passed_pieces(entry: EntryDraft) -> bool:
    """Whether an entry's pieces are passed pieces (piece pay or its reversal), not bonus counts."""
    if entry.entry_kind == "piece_pay":
        return True
    key = entry.reverses_entry_key
    return entry.entry_kind == "reversal" and key is not None and key.endswith(":piece_pay")
