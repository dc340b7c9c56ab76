"""Piece pay against the part-time hourly minimum wage (非全日制小时最低工资标准)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from domain.pay.model import EntryDraft, PayInputError, require_int

MINUTES_PER_HOUR = 60


@dataclass(frozen=True, kw_only=True)
class WorkMinutes:
    """Time a piece of work really took, including the unpaid-looking parts around it."""

    making: int = 0
    pickup: int = 0
    delivery: int = 0
    waiting: int = 0
    rework: int = 0

    def __post_init__(self) -> None:
        for name in ("making", "pickup", "delivery", "waiting", "rework"):
            require_int(name, getattr(self, name), minimum=0)

    @property
    def total(self) -> int:
        """All minutes, because fetching materials and reworking are work too."""
        return self.making + self.pickup + self.delivery + self.waiting + self.rework


def effective_hourly(*, earned_fen: int, minutes: WorkMinutes) -> Fraction:
    """Exact fen per hour actually earned over all the time the work took."""
    require_int("earned_fen", earned_fen)
    if minutes.total == 0:
        raise PayInputError("minutes", "no time recorded; an hourly rate is undefined")
    return Fraction(earned_fen * MINUTES_PER_HOUR, minutes.total)


def wage_floor_fen(*, min_hourly_wage_fen: int, minutes: int) -> int:
    """The minimum wage, in fen, for `minutes` worked at `min_hourly_wage_fen` an hour (rounded up, for the worker)."""
    return -(-min_hourly_wage_fen * minutes // MINUTES_PER_HOUR)


def shortfall(*, earned_fen: int, total_minutes: int, min_hourly_wage_fen: int) -> int:
    """Fen missing to reach the minimum wage for the minutes worked (rounded up, for the worker)."""
    require_int("earned_fen", earned_fen)
    require_int("total_minutes", total_minutes, minimum=0)
    require_int("min_hourly_wage_fen", min_hourly_wage_fen, minimum=0)
    return max(0, wage_floor_fen(min_hourly_wage_fen=min_hourly_wage_fen, minutes=total_minutes) - earned_fen)


def top_up(*, earned_fen: int, total_minutes: int, min_hourly_wage_fen: int, policy_tops_up: bool) -> int:
    """The top-up (补足) to pay, 0 when pay already meets the minimum or the policy does not top up."""
    gap = shortfall(
        earned_fen=earned_fen, total_minutes=total_minutes, min_hourly_wage_fen=min_hourly_wage_fen
    )
    return gap if policy_tops_up else 0


def top_up_draft(
    *, resident_id: str, community_id: str, period_id: str, amount_fen: int
) -> EntryDraft | None:
    """A wage top-up ledger entry, one per resident and period (keyed so a rerun cannot pay it twice)."""
    require_int("amount_fen", amount_fen, minimum=0)
    if amount_fen == 0:
        return None
    return EntryDraft(
        entry_kind="wage_top_up",
        resident_id=resident_id,
        order_id=None,
        enterprise_id=None,
        community_id=community_id,
        lot_id=None,
        inspection_id=None,
        pieces=0,
        rate_fen=0,
        amount_fen=amount_fen,
        period_id=period_id,
        reverses_entry_key=None,
        entry_key=f"{resident_id}:{period_id}:wage_top_up",
        memo="最低工资补足 minimum-wage top-up",
    )


