"""A resident's workload (在手工作): every lot they hold or have been offered, and whether it all fits in time.

One definition of "committed" serves the matcher, accepting an offer, a coordinator's dispatch and the live
audit: lots accepted or in work count with the pieces still to make, pending offers (dispatched ones included)
with all their pieces. Whether it fits is the earliest-due-first test: for every due date, the work due by then
must fit in the resident's available minutes from now until then. Ordering work by due date is optimal for one
person working alone (Jackson's rule, 1955), so if this test fails no order of work finishes everything in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from domain.matching.availability import available_minutes, local_minutes, week_windows

EPSILON_MINUTES = 1e-6  # rounding slack: the matcher, accept, dispatch and the audit agree on exact fits
Kind = Literal["offered", "held"]


@dataclass(frozen=True, slots=True)
class Commitment:
    """One lot on a resident's plate: `minutes` of work (at their speed) still to do before `due_at` (aware), the
    `pieces` they stand for (a held lot's still to make, an offer's all)."""

    lot_id: str
    due_at: datetime
    minutes: float
    kind: Kind
    pieces: int = 0


@dataclass(frozen=True, slots=True)
class Lateness:
    """Work due by `due_at` that does not fit: `needed` minutes against `available` ones (both from `now`)."""

    lot_id: str
    due_at: datetime
    needed: float
    available: float


@dataclass(frozen=True, slots=True)
class Plate:
    """A resident's load as the matching rules count it (domain.matching.rules.Load): `lots` held or offered (the
    open-lots limit counts both), `pieces` still to make in them, `minutes` of work at her speed; `offered` of the
    lots are offers she has not answered yet. An empty plate (lots == 0) is a free resident (空闲)."""

    lots: int = 0
    pieces: int = 0
    minutes: float = 0.0
    offered: int = 0


def plate(commitments: Iterable[Commitment]) -> Plate:
    """The commitments of one resident summed as a Plate (an empty one for none)."""
    items = list(commitments)
    return Plate(lots=len(items), pieces=sum(c.pieces for c in items), minutes=committed_minutes(items),
                 offered=sum(1 for c in items if c.kind == "offered"))


def pieces_per_hour(*, observed: float | None, standard_minutes_per_piece: float) -> float:
    """The resident's observed speed for the skill, else the product's standard speed (60 / standard minutes)."""
    if observed is not None and observed > 0:
        return observed
    if standard_minutes_per_piece <= 0:
        raise ValueError("standard_minutes_per_piece must be positive")
    return 60.0 / standard_minutes_per_piece


def minutes_for(pieces: int, speed_per_hour: float) -> float:
    """Working minutes to make `pieces` at `speed_per_hour` pieces an hour (0 for no pieces)."""
    if pieces < 0 or speed_per_hour <= 0:
        raise ValueError(f"pieces must be >= 0 and speed > 0, got {pieces} at {speed_per_hour}/h")
    return pieces * 60.0 / speed_per_hour


def pieces_left(*, pieces: int, passed: int, rejected_final: int) -> int:
    """Pieces of a held lot still to make: rejected pieces sent back for rework are still to make."""
    return max(0, pieces - passed - rejected_final)


def committed_minutes(commitments: Iterable[Commitment]) -> float:
    """All committed work in minutes, whatever its due date (the matcher's conservative load)."""
    return sum(c.minutes for c in commitments)


def late(commitments: Sequence[Commitment], *, weekly_availability: tuple[tuple[int, int, int], ...],
         now: datetime, tz: str = "Asia/Shanghai") -> list[Lateness]:
    """Each due date by which the work due does not fit in the resident's hours from `now` (earliest first).

    `weekly_availability` is (weekday 0=Mon, start minute, end minute) in local time of `tz`. An empty list
    means every commitment can be finished in time by working earliest-due first.
    """
    windows = week_windows(tuple(weekly_availability))
    start = local_minutes(now, tz)
    found: list[Lateness] = []
    needed = 0.0
    for c in sorted(commitments, key=lambda c: (c.due_at, c.lot_id)):
        needed += c.minutes
        available = available_minutes(windows, start, local_minutes(c.due_at, tz))
        if needed > available + EPSILON_MINUTES:
            found.append(Lateness(lot_id=c.lot_id, due_at=c.due_at, needed=needed, available=available))
    return found


def late_with(commitments: Sequence[Commitment], new: Commitment, *,
              weekly_availability: tuple[tuple[int, int, int], ...], now: datetime,
              tz: str = "Asia/Shanghai") -> list[Lateness]:
    """The due dates that do not fit once `new` is on the plate and that `new` bears on.

    `new` replaces any commitment for the same lot in `commitments`. Earliest-due-first works `new` after the
    work due before it, so only due dates from `new`'s own on can be made late by it; lateness of earlier-due
    work is not this lot's doing and is left out.
    """
    others = [c for c in commitments if c.lot_id != new.lot_id]
    key = (new.due_at, new.lot_id)
    return [x for x in late([*others, new], weekly_availability=weekly_availability, now=now, tz=tz)
            if (x.due_at, x.lot_id) >= key]


def change_of_hours(commitments: Sequence[Commitment], *, before: tuple[tuple[int, int, int], ...],
                    after: tuple[tuple[int, int, int], ...], now: datetime, keep: Iterable[str] = (),
                    tz: str = "Asia/Shanghai") -> tuple[list[str], list[Lateness]]:
    """What new weekly hours do to a plate: (lots whose pending offers to release, held work made late).

    Held work the new hours would make late (and the old did not) is returned, and nothing is released: the
    caller refuses the change until a coordinator reassigns. Otherwise pending offers go, latest due first and
    never those in `keep` (a coordinator overrode time for them), until the new hours make nothing late that
    the old hours did not.
    """
    def newly_late(plate: Sequence[Commitment]) -> list[Lateness]:
        was = {x.lot_id for x in late(plate, weekly_availability=before, now=now, tz=tz)}
        return [x for x in late(plate, weekly_availability=after, now=now, tz=tz) if x.lot_id not in was]

    broken = newly_late([c for c in commitments if c.kind == "held"])
    if broken:
        return [], broken
    plate, released, kept = list(commitments), [], set(keep)
    for offer in sorted((c for c in commitments if c.kind == "offered" and c.lot_id not in kept),
                        key=lambda c: (c.due_at, c.lot_id), reverse=True):
        if not newly_late(plate):
            break
        plate.remove(offer)
        released.append(offer.lot_id)
    return released, []
