"""A lot's lifecycle (批次): matched, accepted, worked, inspected until every piece has its final outcome.

    open ◀──release── offered ──accept──▶ accepted ──issue──▶ in_work ──inspect──▶ done
     │ ▲escalate        ▲ │                  │release             ▲  ◀─inspect──┘ (a correction sends
     ▼ │                │ └──────────────────┘                    │               pieces back for rework)
    escalated ──offer───┘
    open / offered / escalated / accepted / in_work with nothing issued ──close──▶ cancelled | expired

A lot is done when each of its pieces passed or was finally rejected (rejected without rework). Pieces sent
back for rework are still to make: they are handed in again, and counted apart (`resubmitted`) from first
hand-ins (`submitted`), so a lot never reports more pieces handed in than it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from domain.lifecycle.machine import Machine, TransitionRefused


class LotStatus(StrEnum):
    """Where a lot stands."""

    OPEN = "open"
    OFFERED = "offered"
    ESCALATED = "escalated"
    ACCEPTED = "accepted"
    IN_WORK = "in_work"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


_L = LotStatus
MATCHABLE: tuple[LotStatus, ...] = (_L.OPEN, _L.ESCALATED)  # waiting for the matcher
HOLDING: tuple[LotStatus, ...] = (_L.ACCEPTED, _L.IN_WORK)  # a resident holds it and works on it
SEATED: tuple[LotStatus, ...] = (_L.OFFERED, *HOLDING)  # takes a seat at its site if worked on-site
UNFINISHED: tuple[LotStatus, ...] = (_L.OPEN, _L.OFFERED, _L.ESCALATED, *HOLDING)  # not in a final status
MACHINE = Machine("a lot", LotStatus, {
    "offer": MATCHABLE,
    "dispatch": (*MATCHABLE, _L.OFFERED),  # a pending offer to someone else is withdrawn first
    "escalate": MATCHABLE,
    "accept": (_L.OFFERED,),
    "release": (_L.OFFERED, *HOLDING),  # back to matching, only while no materials are out
    "issue": HOLDING,
    "hand in": HOLDING,
    "inspect": (_L.IN_WORK, _L.DONE),  # DONE: a correction of an earlier inspection
    "close": UNFINISHED,  # its order was cancelled or expired before any materials went out
})


@dataclass(frozen=True, slots=True, kw_only=True)
class LotCounts:
    """A lot's pieces: how many it holds, and where they are.

    `submitted` counts first hand-ins (never more than `issued`), `resubmitted` hand-ins of pieces sent back
    for rework; `pending` await inspection; `rejected` are finally rejected (rework pieces are not counted).
    """

    pieces: int
    issued: int = 0
    submitted: int = 0
    resubmitted: int = 0
    pending: int = 0
    passed: int = 0
    rejected: int = 0

    @property
    def awaiting_rework(self) -> int:
        """Pieces sent back for rework and not yet handed in again (negative: the counts contradict each other).

        Each piece handed in first is now pending, passed, finally rejected or back with the resident for rework
        (a resubmission is the same piece again), so what is back with the resident is the first hand-ins less
        the others.
        """
        return self.submitted - self.pending - self.passed - self.rejected

    @property
    def can_hand_in(self) -> int:
        """Pieces the resident may hand in now: issued ones never handed in, and rework."""
        return self.issued - self.submitted + self.awaiting_rework

    @property
    def finished(self) -> bool:
        """Every piece passed or was finally rejected."""
        return self.passed + self.rejected >= self.pieces


@dataclass(frozen=True, slots=True)
class HandIn:
    """How a hand-in of pieces splits: `first` hand-ins and pieces handed in `again` after rework."""

    first: int
    again: int


def offer(current: str) -> LotStatus:
    """open or escalated → offered."""
    return MACHINE.move(current, "offer", _L.OFFERED)


def check_dispatch(current: str) -> LotStatus:
    """A coordinator may dispatch a lot that is open, escalated or offered (to someone else); returns it."""
    return MACHINE.check(current, "dispatch")


def escalate(current: str) -> LotStatus:
    """open or escalated (for another reason) → escalated: nobody can take it now."""
    return MACHINE.move(current, "escalate", _L.ESCALATED)


def accept(current: str) -> LotStatus:
    """offered → accepted by the resident it was offered to."""
    return MACHINE.move(current, "accept", _L.ACCEPTED)


def release(current: str, *, pieces_issued: int) -> LotStatus:
    """offered, accepted or in work → open again for matching, only while no materials are out."""
    return MACHINE.move(current, "release", _L.OPEN, why="materials were issued" if pieces_issued else "")


def issue(current: str) -> LotStatus:
    """accepted or in work → in work: materials were handed out."""
    return MACHINE.move(current, "issue", _L.IN_WORK)


def hand_in(current: str, counts: LotCounts, pieces: int) -> HandIn:
    """Split `pieces` handed in into rework handed in again (first) and first hand-ins; refuse too many."""
    MACHINE.check(current, "hand in")
    if pieces <= 0 or pieces > counts.can_hand_in:
        raise TransitionRefused(what="a lot", move=f"hand in {pieces} pieces of", current=str(current),
                                allowed=[f"hand in 1 to {counts.can_hand_in} pieces"],
                                why=f"{counts.issued - counts.submitted} issued and not handed in, "
                                    f"{counts.awaiting_rework} back for rework")
    again = min(pieces, counts.awaiting_rework)
    return HandIn(first=pieces - again, again=again)


def after_inspection(current: str, counts: LotCounts) -> LotStatus:
    """in work or done → done when every piece passed or was finally rejected, else in work."""
    MACHINE.check(current, "inspect")
    return _L.DONE if counts.finished else _L.IN_WORK


def close(current: str, *, pieces_issued: int, because: Literal["cancelled", "expired"]) -> LotStatus:
    """An unfinished lot with no materials out → cancelled or expired, as its order was."""
    MACHINE.check(current, "close", why="materials were issued; it is finished and paid" if pieces_issued else "")
    return _L.CANCELLED if because == "cancelled" else _L.EXPIRED


def releasable(current: str, *, pieces_issued: int) -> bool:
    """True when a coordinator may take the lot back to matching now (offered or held, no materials out)."""
    return current in MACHINE.moves["release"] and not pieces_issued
