"""Point rules (积分规则), versioned like piece rates, and the points a piece of work earns.

A lot's hand-in earns points when it was handed in by the lot's due date and passed inspection: one point per
`fen_per_point` of piece pay (1 per ¥10 by default), plus `high_pass_bonus_bps` more when the pass rate reaches
`high_pass_rate_bps`. Points per resident and month are capped (`monthly_cap`, 0 = no cap) in a way that does
not depend on the order events arrive in: each entry is the change of min(cap, Σ uncapped points of the month),
so a month's total is always min(cap, Σ uncapped) and reconcile can recompute it from the recorded facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from domain.values import value_object

TZ = ZoneInfo("Asia/Shanghai")  # months of the 公示 are the residents' calendar months
EntryKind = Literal["work", "reversal", "redemption", "volunteer", "volunteer_reversal"]


@dataclass(frozen=True)
class PointRule:
    """One version of a community's point rule; a new version never rescores work already scored."""

    version: int
    effective_at: datetime
    fen_per_point: int = 1000  # 1 point per ¥10 of piece pay
    passing_rate_bps: int = 9000  # a hand-in "passes" from this pass rate (basis points of pieces inspected)
    high_pass_rate_bps: int = 9800  # from this pass rate the bonus applies
    high_pass_bonus_bps: int = 5000  # +50% of the base points
    monthly_cap: int = 0  # most work points a resident earns in a calendar month; 0 = no cap
    # Service (domain.points.service): a 代办 act's points by the resident's stars 1..5, volunteer points per hour,
    # and the most service points one person earns in a month (0 = no cap).
    act_points_by_stars: tuple[int, int, int, int, int] = (0, 0, 1, 2, 3)
    volunteer_points_per_hour: int = 2
    service_monthly_cap: int = 0

    def __post_init__(self) -> None:
        if self.fen_per_point <= 0:
            raise ValueError("fen_per_point must be positive")
        for name in ("passing_rate_bps", "high_pass_rate_bps"):
            if not 0 <= getattr(self, name) <= 10_000:
                raise ValueError(f"{name} must be within 0..10000")
        if self.high_pass_bonus_bps < 0 or self.monthly_cap < 0:
            raise ValueError("bonus and cap must not be negative")
        if len(self.act_points_by_stars) != 5 or min(self.act_points_by_stars) < 0:
            raise ValueError("act_points_by_stars must be 5 points, for 1..5 stars, none negative")
        if self.volunteer_points_per_hour < 0 or self.service_monthly_cap < 0:
            raise ValueError("volunteer points and the service cap must not be negative")


@value_object  # one fact and one or two lines per inspection paid: frozen dataclasses cost ≈ 2 µs more each
class WorkFact:
    """What scoring an inspection needs: pieces passed and rejected, piece pay, and whether it came in on time."""

    inspection_id: str
    resident_id: str
    community_id: str
    passed: int
    rejected: int
    piece_rate_centifen: int  # exact, 0.0001 yuan a piece (schemas.rates)
    on_time: bool
    inspected_at: datetime
    corrects_inspection_id: str | None = None


@value_object
class PointDraft:
    """A points ledger line before it is stored; `points` is signed, `uncapped` is what the rule gave before the cap."""

    entry_key: str
    kind: EntryKind
    resident_id: str
    community_id: str
    month: str  # "2026-11", Asia/Shanghai
    points: int
    uncapped: int = 0
    inspection_id: str | None = None
    reverses_entry_key: str | None = None
    redemption_id: str | None = None
    rule_version: int | None = None


def rule_in_force(versions: Sequence[PointRule], at: datetime) -> PointRule | None:
    """The newest version in force at `at`; None when the community had no rule yet (no points)."""
    in_force = [v for v in versions if v.effective_at <= at]
    return max(in_force, key=lambda v: (v.effective_at, v.version)) if in_force else None


def rule_throughout(versions: Sequence[PointRule], starts_at: datetime,
                    ends_at: datetime) -> tuple[bool, PointRule | None]:
    """(True, rule) when `rule` (None: no rule yet) is rule_in_force at every instant of [starts_at, ends_at), as when
    no version takes effect strictly inside it; (False, None) when one does, and the rule depends on the instant.

    Lets a caller work out a month's rule once instead of once per inspection of the month.
    """
    if any(starts_at < v.effective_at < ends_at for v in versions):
        return False, None
    return True, rule_in_force(versions, starts_at)


def cap_for_month(versions: Sequence[PointRule], month: str) -> int:
    """The month's cap: that of the version in force when the month began, else of the first one during it.

    One cap per month whatever order events come in; a version taking effect mid-month caps from next month.
    """
    rule = rule_for_month(versions, month)
    return rule.monthly_cap if rule else 0


def rule_for_month(versions: Sequence[PointRule], month: str) -> PointRule | None:
    """The version whose caps hold for a month: in force when it began, else the first one during it."""
    starts_at, ends_at = month_bounds(month)
    rule = rule_in_force(versions, starts_at)
    if rule is None:
        during = [v for v in versions if starts_at <= v.effective_at < ends_at]
        rule = min(during, key=lambda v: (v.effective_at, v.version)) if during else None
    return rule


def work_points(fact: WorkFact, rule: PointRule | None) -> int:
    """Uncapped points of one inspection: 0 if late, failing or without a rule; base + bonus otherwise."""
    inspected = fact.passed + fact.rejected
    if rule is None or not fact.on_time or fact.passed <= 0 or inspected <= 0:
        return 0
    if fact.passed * 10_000 < rule.passing_rate_bps * inspected:
        return 0
    base = fact.passed * fact.piece_rate_centifen // (rule.fen_per_point * 100)  # centifen: 100 a fen
    if fact.passed * 10_000 >= rule.high_pass_rate_bps * inspected:
        return base + base * rule.high_pass_bonus_bps // 10_000
    return base


def capped(total_uncapped: int, cap: int) -> int:
    """What a month's uncapped total is worth under the cap (0 = no cap)."""
    return min(total_uncapped, cap) if cap > 0 else total_uncapped


def capped_delta(before: int, change: int, cap: int) -> int:
    """The points an entry carries when the month's uncapped total goes from `before` to `before + change`."""
    return capped(before + change, cap) - capped(before, cap)


def month_of(instant: datetime) -> str:
    """The calendar month (Asia/Shanghai) of an instant, as "YYYY-MM"."""
    local = instant.astimezone(TZ)
    return f"{local.year:04d}-{local.month:02d}"  # strftime cost a third of scoring an inspection


_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a "YYYY-MM" month in Asia/Shanghai; ValueError when it is not one.

    Four and two ASCII digits only: int() also reads "+026", " 202" and full-width "２０２６", which passed as months
    (an empty 公示 headed "+026年11月"; full-width digits then failed the download's header with a 500)."""
    found = _MONTH.fullmatch(month)
    if found is None or found[1] == "0000":
        raise ValueError(f"not a month: {month!r} (YYYY-MM)")
    year, mon = int(found[1]), int(found[2])
    start = datetime(year, mon, 1, tzinfo=TZ)
    end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=TZ)
    return start, end


def score_work(fact: WorkFact, rule: PointRule | None, *, month: str, month_total_before: int,
               cap: int) -> PointDraft:
    """The work entry of one inspection, given the rule in force at fact.inspected_at (rule_in_force, or a month's
    rule_throughout), the entry's month (month_of(fact.inspected_at)), the month's uncapped total so far and its cap
    (0: none)."""
    uncapped = work_points(fact, rule)
    points = uncapped if cap <= 0 else capped_delta(month_total_before, uncapped, cap)  # no cap: the points as given
    return PointDraft(entry_key=f"pts:{fact.inspection_id}:work", kind="work", resident_id=fact.resident_id,
                      community_id=fact.community_id, month=month, points=points, uncapped=uncapped,
                      inspection_id=fact.inspection_id, rule_version=rule.version if rule else None)


def reverse(entry: PointDraft, *, by_inspection_id: str, month_total_before: int, cap: int) -> PointDraft:
    """The reversal of a work entry (a correction supersedes its inspection), in the reversed entry's month."""
    return PointDraft(entry_key=f"pts:{by_inspection_id}:reverses:{entry.inspection_id}", kind="reversal",
                      resident_id=entry.resident_id, community_id=entry.community_id, month=entry.month,
                      points=capped_delta(month_total_before, -entry.uncapped, cap), uncapped=-entry.uncapped,
                      inspection_id=by_inspection_id, reverses_entry_key=entry.entry_key,
                      rule_version=entry.rule_version)
