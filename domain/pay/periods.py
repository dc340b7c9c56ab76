"""Pay periods (结算周期) on the local calendar, late postings and the overdue-pay alarm."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from domain.pay.model import PayInputError, require_aware

PeriodKind = Literal["half_month", "month", "week"]
# Labour Contract Law art. 72: part-time pay is settled at least every 15 days.
PART_TIME_MAX_SETTLEMENT_DAYS = 15
_PERIOD_ID = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>\d{2})(?:-(?P<half>[AB]))?|W(?P<week>\d{2}))$")
_HALF = {"zh": {"A": "上半月", "B": "下半月"}, "en": {"A": "first half", "B": "second half"}}


@dataclass(frozen=True)
class PeriodPolicy:
    """How a community cuts time into pay periods; boundaries are local midnights."""

    kind: PeriodKind = "half_month"
    tz: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        if self.kind not in ("half_month", "month", "week"):
            raise PayInputError("kind", f"unknown period kind {self.kind!r}")
        ZoneInfo(self.tz)  # fail at construction, not at the first pay run


@dataclass(frozen=True)
class PayPeriod:
    """A pay period: [starts_at, ends_at) in the policy's local time zone."""

    period_id: str
    starts_at: datetime
    ends_at: datetime

    def contains(self, instant: datetime) -> bool:
        """Whether an instant falls in this period (half-open)."""
        require_aware("instant", instant)
        return self.starts_at <= instant < self.ends_at


@dataclass(frozen=True)
class OverduePeriod:
    """A period whose pay is late: the coordinator must pay it now."""

    period: PayPeriod
    closed: bool
    due_at: datetime
    days_late: int


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def period_for(instant: datetime, policy: PeriodPolicy = PeriodPolicy()) -> PayPeriod:
    """The period an instant belongs to, judged on the local calendar, not UTC."""
    require_aware("instant", instant)
    tz = ZoneInfo(policy.tz)
    day = instant.astimezone(tz).date()
    if policy.kind == "week":
        monday = day - timedelta(days=day.weekday())
        iso_year, iso_week, _ = monday.isocalendar()
        start, end, pid = monday, monday + timedelta(days=7), f"{iso_year}-W{iso_week:02d}"
    elif policy.kind == "month":
        start, end, pid = day.replace(day=1), _first_of_next_month(day), f"{day:%Y-%m}"
    elif day.day <= 15:
        start, end, pid = day.replace(day=1), day.replace(day=16), f"{day:%Y-%m}-A"
    else:
        start, end, pid = day.replace(day=16), _first_of_next_month(day), f"{day:%Y-%m}-B"
    return PayPeriod(pid, _local_midnight(start, tz), _local_midnight(end, tz))


def next_period(period: PayPeriod, policy: PeriodPolicy = PeriodPolicy()) -> PayPeriod:
    """The period right after this one."""
    return period_for(period.ends_at, policy)


def period_name(period_id: str, lang: str = "zh") -> str:
    """A period as people name it: '2026-11-B' → '2026年11月下半月', '2026-11' → '2026年11月', '2026-W44' →
    '2026年第44周'; lang 'en' → '2026-11 second half', '2026-11', '2026 week 44'.

    The id stays what machines key on (ledger lines, payment references); this is what a page, a file name or a
    printed slip shows. An id of no known shape is returned as it is.
    """
    m = _PERIOD_ID.match(period_id)
    if m is None:
        return period_id
    year, en = m["year"], lang == "en"
    if m["week"]:
        return f"{year} week {int(m['week'])}" if en else f"{year}年第{int(m['week'])}周"
    month = f"{year}-{int(m['month'])}" if en else f"{year}年{int(m['month'])}月"
    if not m["half"]:
        return month
    return f"{month} {_HALF['en'][m['half']]}" if en else f"{month}{_HALF['zh'][m['half']]}"


def period_by_id(period_id: str, policy: PeriodPolicy = PeriodPolicy()) -> PayPeriod:
    """Parse "2026-11-A", "2026-11" or "2026-W48" back into its period."""
    tz = ZoneInfo(policy.tz)
    try:
        if policy.kind == "week":
            year, week = period_id.split("-W")
            first = date.fromisocalendar(int(year), int(week), 1)
        elif policy.kind == "month":
            first = datetime.strptime(period_id, "%Y-%m").date()
        else:
            month, half = period_id.rsplit("-", 1)
            first = datetime.strptime(month, "%Y-%m").date().replace(day={"A": 1, "B": 16}[half])
    except (ValueError, KeyError) as exc:
        raise PayInputError("period_id", f"{period_id!r} is not a {policy.kind} period id") from exc
    period = period_for(_local_midnight(first, tz), policy)
    if period.period_id != period_id:  # e.g. "2026-1-A" parses but is not canonical
        raise PayInputError("period_id", f"{period_id!r} is not canonical; expected {period.period_id!r}")
    return period


def posting_period(
    instant: datetime, closed_period_ids: set[str], policy: PeriodPolicy = PeriodPolicy()
) -> PayPeriod:
    """Where an entry goes: its own period, or the first open one after it if that is closed."""
    period = period_for(instant, policy)
    while period.period_id in closed_period_ids:  # finite set, so this ends
        period = next_period(period, policy)
    return period


def is_late_posting(instant: datetime, posted_in: PayPeriod, policy: PeriodPolicy = PeriodPolicy()) -> bool:
    """Whether an entry lands after its natural period (shown as an adjustment, 调整)."""
    return period_for(instant, policy).period_id != posted_in.period_id


def pay_due_at(period: PayPeriod, *, max_days: int = PART_TIME_MAX_SETTLEMENT_DAYS) -> datetime:
    """Latest time the period may be paid: the oldest work waits at most max_days, never before the end."""
    return max(period.ends_at, period.starts_at + timedelta(days=max_days))


def overdue_unpaid(
    periods: Sequence[tuple[PayPeriod, bool, bool]],
    now: datetime,
    max_days: int = PART_TIME_MAX_SETTLEMENT_DAYS,
) -> list[OverduePeriod]:
    """Unpaid periods past their due time, oldest first, for the coordinator's alarm.

    Each item is (period, closed, paid). Half-month and month periods are due the moment
    they end (their oldest work is already 15+ days old); weekly periods get the slack left.
    """
    require_aware("now", now)
    late = [
        OverduePeriod(period, closed, due, (now - due).days)
        for period, closed, paid in periods
        if not paid and now > (due := pay_due_at(period, max_days=max_days))
    ]
    return sorted(late, key=lambda o: o.due_at)
