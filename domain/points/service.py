"""Points for service (服务积分): acts done on a resident's behalf (代办), rated by that resident, and volunteer tasks.

A 代办 act earns its helper the rule's points for the stars the resident gave (`PointRule.act_points_by_stars`,
by default 0/0/1/2/3 for 1..5 stars: a poor rating earns nothing); a rating the helper recorded for their own act
earns nothing (nobody scores their own service). A volunteer task earns the volunteer
`volunteer_points_per_hour` for its minutes, rounded down. Both are capped per person and calendar month by
`service_monthly_cap` the same order-free way as work points (domain.points.rules.capped_delta), and both are
reversible: a reversal line takes back the uncapped points in the original's month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.points.rules import PointDraft, PointRule, capped_delta, month_of, rule_for_month

MIN_STARS, MAX_STARS = 1, 5


@dataclass(frozen=True)
class HelperDraft:
    """A line of a helper's points before it is stored; `points` signed, `uncapped` before the cap."""

    entry_key: str
    kind: str  # act | act_reversal
    helper: str
    community_id: str
    month: str
    points: int
    uncapped: int
    rating_id: str
    reverses_entry_key: str | None = None
    rule_version: int | None = None


def service_cap_for_month(versions: Sequence[PointRule], month: str) -> int:
    """The month's service cap per person (0 = none), chosen like the work cap (domain.points.rules)."""
    rule = rule_for_month(versions, month)
    return rule.service_monthly_cap if rule else 0


def act_points(stars: int, rule: PointRule | None, *, self_recorded: bool) -> int:
    """Uncapped points of a 代办 act rated `stars` (1..5); 0 without a rule or when the helper rated themself.

    Raises ValueError for stars outside 1..5.
    """
    if not MIN_STARS <= stars <= MAX_STARS:
        raise ValueError(f"stars must be within 1..5, got {stars}")
    if rule is None or self_recorded:
        return 0
    return rule.act_points_by_stars[stars - 1]


def volunteer_points(minutes: int, rule: PointRule | None) -> int:
    """Uncapped points of a volunteer task of `minutes` minutes: points per hour × minutes / 60, rounded down."""
    if rule is None or minutes <= 0:
        return 0
    return rule.volunteer_points_per_hour * minutes // 60


def score_act(*, rating_id: str, helper: str, community_id: str, rated_at: datetime, uncapped: int,
              rule_version: int | None, month_total_before: int, cap: int) -> HelperDraft:
    """The helper's line for one rated act, given their month's uncapped total so far and the month's cap."""
    return HelperDraft(entry_key=f"hpts:{rating_id}:act", kind="act", helper=helper, community_id=community_id,
                       month=month_of(rated_at), points=capped_delta(month_total_before, uncapped, cap),
                       uncapped=uncapped, rating_id=rating_id, rule_version=rule_version)


def reverse_act(*, entry_key: str, helper: str, community_id: str, month: str, uncapped: int, rating_id: str,
                rule_version: int | None, month_total_before: int, cap: int) -> HelperDraft:
    """The reversal of a helper's act line (its rating was withdrawn), in the original's month."""
    return HelperDraft(entry_key=f"{entry_key}:reversed", kind="act_reversal", helper=helper,
                       community_id=community_id, month=month,
                       points=capped_delta(month_total_before, -uncapped, cap), uncapped=-uncapped,
                       rating_id=rating_id, reverses_entry_key=entry_key, rule_version=rule_version)


def score_volunteer(*, task_id: str, resident_id: str, community_id: str, done_at: datetime, uncapped: int,
                    rule_version: int | None, month_total_before: int, cap: int) -> PointDraft:
    """The volunteer's line (in the residents' points ledger, spendable in the shop) for one task."""
    return PointDraft(entry_key=f"pts:{task_id}:volunteer", kind="volunteer", resident_id=resident_id,
                      community_id=community_id, month=month_of(done_at),
                      points=capped_delta(month_total_before, uncapped, cap), uncapped=uncapped,
                      rule_version=rule_version)


def reverse_volunteer(entry: PointDraft, *, month_total_before: int, cap: int) -> PointDraft:
    """The reversal of a volunteer line (the task was withdrawn), in the original's month."""
    return PointDraft(entry_key=f"{entry.entry_key}:reversed", kind="volunteer_reversal",
                      resident_id=entry.resident_id, community_id=entry.community_id, month=entry.month,
                      points=capped_delta(month_total_before, -entry.uncapped, cap), uncapped=-entry.uncapped,
                      reverses_entry_key=entry.entry_key, rule_version=entry.rule_version)
