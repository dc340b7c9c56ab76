"""A correction request's lifecycle (更正审批): a correction of pay already frozen waits for a second coordinator.

Correcting an inspection whose pay is in a closed (or paid) period, or one that passed automatically, moves money
nobody can take back quietly, so it needs a reason and the approval of another coordinator of the same community
(two people, 双人复核). pending → approved (the correcting inspection is recorded then, and only then does the
ledger move) or rejected; both are final.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from domain.lifecycle.machine import Machine, TransitionRefused


class CorrectionStatus(StrEnum):
    """Where a correction request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


MACHINE = Machine("a correction request", CorrectionStatus, {"decide": (CorrectionStatus.PENDING,)})


def decide(current: str, decision: Literal["approve", "reject"], *, requested_by: str, decided_by: str
           ) -> CorrectionStatus:
    """pending → approved or rejected, by a coordinator other than the one who asked.

    Raises TransitionRefused when the request is already decided, or when `decided_by` is `requested_by`
    (nobody approves or rejects their own correction: the point is a second pair of eyes).
    """
    if requested_by == decided_by:
        raise TransitionRefused(what="a correction request", move="decide", current=current, allowed=(),
                                why="申请人不能审批自己的更正，须由另一位社区工作者审批 / the coordinator who asked "
                                    "for a correction cannot decide it; another coordinator must")
    MACHINE.check(current, "decide")
    return CorrectionStatus.APPROVED if decision == "approve" else CorrectionStatus.REJECTED


def needs_second_approval(*, period_closed: bool, automatic: bool) -> str | None:
    """Why correcting an inspection needs a second coordinator, or None when it does not.

    ``period_closed``: the corrected inspection's pay is in a period already closed (paid or not);
    ``automatic``: the corrected inspection was an automatic acceptance (自动验收), which no person looked at.
    Returns "closed_period" or "automatic" (the first that applies).
    """
    if period_closed:
        return "closed_period"
    if automatic:
        return "automatic"
    return None
