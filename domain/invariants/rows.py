"""Plain rows the checks read: only the columns they need, built by `usecases.invariants` from the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OrderRow:
    """An order with what its product asks of a resident (skill, level, standard minutes a piece)."""

    id: str
    status: str
    quantity: int
    skill: str
    min_level: int
    standard_minutes_per_piece: float


@dataclass(frozen=True)
class LotRow:
    """A lot (批次) and its piece counters as stored on the row."""

    id: str
    order_id: str
    status: str
    pieces: int
    due_at: datetime
    resident_id: str | None = None
    accepted_at: datetime | None = None
    pieces_issued: int = 0
    pieces_submitted: int = 0  # first hand-ins
    pieces_resubmitted: int = 0  # handed in again after rework
    pieces_pending: int = 0
    pieces_passed: int = 0
    pieces_rejected: int = 0  # finally rejected (not sent back for rework)


@dataclass(frozen=True)
class LotRecords:
    """A lot's counters recomputed from its records: issues, submissions, current inspections."""

    issued: int = 0  # materials issued minus unused pieces returned
    handed_in: int = 0  # every submission, first hand-ins and resubmissions alike
    pending: int = 0  # submissions not yet inspected
    passed: int = 0  # current (not superseded) inspections
    rejected_final: int = 0  # current inspections' rejected pieces not sent back for rework


@dataclass(frozen=True)
class OfferRow:
    """An offer (派单) with the minutes it was judged by and any hard rule a coordinator overrode."""

    id: str
    lot_id: str
    resident_id: str
    status: str
    pieces: int
    offered_at: datetime
    work_minutes: float | None = None
    override_rules: tuple[str, ...] = ()
    override_reason: str | None = None


@dataclass(frozen=True)
class ResidentRow:
    """A resident's limits: open lots, skills and levels, weekly hours (weekday, start, end minute), speeds."""

    id: str
    max_open_lots: int
    skills: Mapping[str, int] = field(default_factory=dict)
    availability: tuple[tuple[int, int, int], ...] = ()
    pieces_per_hour: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryRow:
    """A ledger line (台账) in integer fen."""

    entry_key: str
    kind: str
    resident_id: str
    community_id: str
    period_id: str
    pieces: int
    amount_fen: int
    posted_at: datetime
    reverses_entry_key: str | None = None
    rate_centifen: int = 0  # the exact rate of priced lines, 0.0001 yuan (schemas.rates); 0 otherwise
    lot_id: str | None = None  # the lot of lines priced on a lot's pieces; None for adjustments, top-ups, carries


@dataclass(frozen=True)
class ClosedPeriod:
    """A community's closed pay period: its frozen total, when it closed and the period after it."""

    community_id: str
    period_id: str
    total_fen: int
    closed_at: datetime
    next_period_id: str
