"""A coordinator's assessment for a period: indicators from the record, residents' satisfaction, a weighted total,
and one of four grades (优秀 / 称职 / 基本称职 / 不称职).

Weights default to 60% residents' satisfaction, 30% street office, 10% peers — the common weighting named in the
product brief (DESIGN.md, "Assessment of coordinators"); a district may set its own. Satisfaction needs a minimum
number of distinct raters (default 10, the product's default); below it the total and grade are not given and the
row says 评价人数不足 (not enough raters). Grade thresholds on the 0–100 total default to 90 / 70 / 60 (优秀 from 90,
称职 from 70, 基本称职 from 60, 不称职 below): the product's default, the 百分制 bands local assessment measures
commonly use; a district may set its own. Scores are kept in tenths (integers) so nothing depends on float rounding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
GRADES = ("优秀", "称职", "基本称职", "不称职")
NOT_ENOUGH_RATERS = "评价人数不足"
SCORES_MISSING = "待录入街道和同事评分"


@dataclass(frozen=True)
class Policy:
    """A district's weights (percent, sum 100), minimum distinct raters, and grade thresholds (0–100 total)."""

    resident_weight_pct: int = 60
    street_weight_pct: int = 30
    peer_weight_pct: int = 10
    min_raters: int = 10
    excellent_from: int = 90
    competent_from: int = 70
    basic_from: int = 60

    def __post_init__(self) -> None:
        weights = (self.resident_weight_pct, self.street_weight_pct, self.peer_weight_pct)
        if min(weights) < 0 or sum(weights) != 100:
            raise ValueError(f"weights must be non-negative and sum to 100, got {weights}")
        if self.min_raters < 1:
            raise ValueError("min_raters must be at least 1")
        if not 100 >= self.excellent_from >= self.competent_from >= self.basic_from >= 0:
            raise ValueError("thresholds must satisfy 100 ≥ excellent ≥ competent ≥ basic ≥ 0")


@dataclass(frozen=True)
class Indicators:
    """What the record says of a coordinator's period (counts; income in fen)."""

    offers: int = 0
    offers_in_time: int = 0  # answered (accepted or declined) before they expired
    escalations: int = 0
    escalations_in_time: int = 0  # a lot escalated, dispatched by hand within 24 h
    inspections: int = 0
    inspections_in_48h: int = 0  # first inspections within 48 h of the hand-in
    pay_periods: int = 0
    pay_periods_in_15d: int = 0  # closed periods paid out in full within 15 days of their end
    acts_on_behalf: int = 0  # 代办 acts the coordinator did
    residents_in_work: int = 0  # residents with pieces passed and paid in the period (usecases.queries.in_work)
    income_fen: int = 0  # piece pay posted in the period in the coordinator's communities

    @property
    def income_per_person_fen(self) -> int:
        """Income per resident in work, fen, rounded down; 0 when nobody worked."""
        return self.income_fen // self.residents_in_work if self.residents_in_work else 0


@dataclass(frozen=True)
class Satisfaction:
    """Residents' satisfaction: distinct raters, ratings, and the score in tenths of a point (None below minimum)."""

    raters: int
    ratings: int
    score_tenths: int | None


@dataclass(frozen=True)
class Assessment:
    """One coordinator's assessment: total in tenths (None when not given), grade or the reason there is none."""

    satisfaction: Satisfaction
    street_score: int | None
    peer_score: int | None
    total_tenths: int | None
    grade: str | None
    note: str  # "" when graded; 评价人数不足 or 待录入街道和同事评分 otherwise


def _div_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def satisfaction(ratings: Iterable[tuple[str, int]], *, min_raters: int) -> Satisfaction:
    """Satisfaction from (rater, stars 1..5) pairs: each rater's mean first, so one resident who rates often does
    not outweigh the others; then the mean over raters, on 0–100 (5 stars = 100, 1 star = 20), in tenths, half up.
    """
    by_rater: dict[str, list[int]] = {}
    for rater, stars in ratings:
        by_rater.setdefault(rater, []).append(stars)
    count = sum(len(s) for s in by_rater.values())
    if len(by_rater) < min_raters or not by_rater:
        return Satisfaction(raters=len(by_rater), ratings=count, score_tenths=None)
    # mean over raters of (mean stars × 20), in tenths: Σ_r (Σ stars_r × 200 / n_r) / R, computed exactly
    exact = sum((Fraction(sum(s) * 200, len(s)) for s in by_rater.values()), Fraction(0)) / len(by_rater)
    return Satisfaction(raters=len(by_rater), ratings=count,
                        score_tenths=_div_half_up(exact.numerator, exact.denominator))


def grade_of(total_tenths: int, policy: Policy) -> str:
    """The grade of a total (tenths of a point) under the policy's thresholds."""
    if total_tenths >= policy.excellent_from * 10:
        return GRADES[0]
    if total_tenths >= policy.competent_from * 10:
        return GRADES[1]
    if total_tenths >= policy.basic_from * 10:
        return GRADES[2]
    return GRADES[3]


def assess(sat: Satisfaction, *, street_score: int | None, peer_score: int | None, policy: Policy) -> Assessment:
    """Weighted total = (w_res × satisfaction + w_street × street + w_peer × peers) / 100, in tenths, half up."""
    if sat.score_tenths is None:
        return Assessment(sat, street_score, peer_score, None, None, NOT_ENOUGH_RATERS)
    if street_score is None or peer_score is None:
        return Assessment(sat, street_score, peer_score, None, None, SCORES_MISSING)
    weighted = (policy.resident_weight_pct * sat.score_tenths + policy.street_weight_pct * street_score * 10
                + policy.peer_weight_pct * peer_score * 10)
    total = _div_half_up(weighted, 100)
    return Assessment(sat, street_score, peer_score, total, grade_of(total, policy), "")


_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")


def parse_period(period: str) -> tuple[datetime, datetime]:
    """[start, end) in Asia/Shanghai of "2026-11" (a month), "2026-Q4" (a quarter) or "2026" (a year).

    Raises ValueError naming the accepted forms otherwise.
    """
    match = _PERIOD.match(period)
    if not match:
        raise ValueError(f"考核期应写作 2026-11、2026-Q4 或 2026 (period must be YYYY-MM, YYYY-Qn or YYYY): {period!r}")
    year = int(match.group(1))
    if match.group(2):
        first, months = int(match.group(2)), 1
    elif match.group(3):
        first, months = 3 * int(match.group(3)) - 2, 3
    else:
        first, months = 1, 12
    end_month = first + months
    start = datetime(year, first, 1, tzinfo=TZ)
    end = datetime(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1, tzinfo=TZ)
    return start, end


_QUARTERS_ZH = ("一", "二", "三", "四")


def period_label(period: str, lang: str = "zh") -> str:
    """An assessment period as people name it: "2026-12" → "2026年12月", "2026-Q4" → "2026年第四季度", "2026" →
    "2026年" ("2026-12", "2026 Q4", "2026" in English). What pages, workbooks and file names show; the id stays
    what is typed into the API. Anything else is returned as it is."""
    match = _PERIOD.match(period.strip())
    if not match:
        return period
    year, en = match.group(1), lang == "en"
    if match.group(2):
        return f"{year}-{match.group(2)}" if en else f"{year}年{int(match.group(2))}月"
    if match.group(3):
        return f"{year} Q{match.group(3)}" if en else f"{year}年第{_QUARTERS_ZH[int(match.group(3)) - 1]}季度"
    return year if en else f"{year}年"


def quarter_of(local: datetime) -> str:
    """The assessment quarter ("2026-Q4") a local Asia/Shanghai time falls in."""
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
