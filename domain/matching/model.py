"""What the matcher reads (lots, residents, sites, policy) and what it returns (proposals)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from domain.matching.availability import canonical_week

WorkMode = Literal["onsite", "home", "either"]
Mode = Literal["onsite", "home"]
ParamValue = str | int | float
DEFAULT_PASS_RATE = 0.95
DEFAULT_FAIRNESS_WEIGHT = 2.0


@dataclass(frozen=True, slots=True)
class LotNeed:
    """A lot (批次) waiting for a resident: what it takes and by when."""

    lot_id: str
    order_id: str
    community_id: str
    skill: str
    min_level: int
    pieces: int
    due_at: datetime
    take_home_allowed: bool
    site_id: str | None  # the micro-factory where on-site work happens / materials are picked up
    standard_minutes_per_piece: float
    piece_rate_centifen: int  # 0.0001 yuan a piece (schemas.rates)
    pinned_resident_id: str | None = None  # coordinator dispatch by hand (派单): honoured if feasible
    excluded_resident_ids: frozenset[str] = frozenset()  # declined, let expire or withdrawn

    def __post_init__(self) -> None:
        if self.due_at.tzinfo is None:
            raise ValueError(f"lot {self.lot_id}: due_at must be timezone-aware")
        if self.pieces <= 0 or self.standard_minutes_per_piece <= 0:
            raise ValueError(f"lot {self.lot_id}: pieces and standard minutes must be positive")


@dataclass(frozen=True, slots=True)
class ResidentState:
    """A resident (居民) as the matcher sees them: skills, hours, speed, quality and load."""

    resident_id: str
    community_id: str
    skills: Mapping[str, int]
    work_mode: WorkMode
    reachable_site_ids: frozenset[str]
    weekly_availability: tuple[tuple[int, int, int], ...]  # (weekday 0=Mon, start_min, end_min), local
    pieces_per_hour: Mapping[str, float] = field(default_factory=dict)
    pass_rate: float = DEFAULT_PASS_RATE
    committed_minutes: int = 0
    open_lots: int = 0
    max_open_lots: int = 1
    earned_this_period_fen: int = 0
    priority_group: bool = False
    travel_minutes: Mapping[str, int] = field(default_factory=dict)
    # Minutes of availability offered since the pay period began (up to now): the base of fair shares.
    offered_minutes_this_period: float = 0.0
    active: bool = True  # Resident.active: false for one no longer taking work (停用), see rules.ACTIVE

    def __post_init__(self) -> None:
        # Stored canonical (sorted, merged) so the matcher can sum windows without re-merging.
        object.__setattr__(self, "weekly_availability", canonical_week(self.weekly_availability))
        if not 0.0 <= self.pass_rate <= 1.0:
            raise ValueError(f"resident {self.resident_id}: pass_rate must be within 0..1")


@dataclass(frozen=True, slots=True)
class SiteState:
    """A micro-factory (微工厂) and how many seats are free right now."""

    site_id: str
    seats_free: int


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Weights of the objective; every term is a fraction of a lot's expected passing pieces."""

    # Bonus for a resident as far below their fair share (income per offered hour of neighbours with the same
    # skill, domain.matching.fairness) as can be, i.e. with no income yet; half of it at half their share.
    # Each community sets its own (Community.match_fairness_weight); the default is read off the benchmark's
    # curve of fairness against on-time pieces (docs/benchmarks.md).
    fairness_weight: float = DEFAULT_FAIRNESS_WEIGHT
    priority_bonus: float = 0.25  # registered priority groups (retirees, disabilities, ...)
    travel_weight: float = 0.2  # most a long trip can take off a lot's value
    travel_half_minutes: int = 30  # trip length that costs half of travel_weight
    # Most that time to spare before the due date adds: observed speeds are estimates, and a lot offered
    # with room to spare still lands on time when the work goes slower than expected.
    slack_weight: float = 0.05
    short_travel_minutes: int = 15  # trips up to this long are called short in explanations
    same_community_only: bool = True  # lots go to residents of their own community (社区)
    max_branch_nodes: int = 20  # per batch, for seat conflicts: exact for parts of up to 4 mixed lots
    tz: str = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason an offer was made, as a code plus parameters so any language can render it."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    def param(self, key: str) -> ParamValue:
        """The value of one parameter, so renderers need not scan the tuple."""
        return dict(self.params)[key]


@dataclass(frozen=True, slots=True)
class Proposal:
    """An offer the matcher proposes: this lot to this resident, worked here, and why."""

    lot_id: str
    resident_id: str
    mode: Mode
    site_id: str | None
    expected_pieces_on_time: float
    expected_finish_at: datetime
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A lot nobody was proposed for, with the constraint that stood in the way."""

    lot_id: str
    reason_code: str
    detail: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one matching batch."""

    proposals: tuple[Proposal, ...]
    unmatched: tuple[Unmatched, ...]
    objective: float
