"""A submission's lifecycle (交货): pending until inspected by a coordinator, or passed automatically when nobody
inspected it in time; an inspected submission may be inspected again (a correction, e.g. an upheld appeal).
"""

from __future__ import annotations

from enum import StrEnum

from domain.lifecycle.machine import Machine


class SubmissionStatus(StrEnum):
    """Where a submission stands."""

    PENDING = "pending"
    INSPECTED = "inspected"
    AUTO_ACCEPTED = "auto_accepted"


_S = SubmissionStatus
MACHINE = Machine("a submission", SubmissionStatus, {
    "inspect": (_S.PENDING, _S.INSPECTED, _S.AUTO_ACCEPTED),
    "pass automatically": (_S.PENDING,),
})


def inspect(current: str, *, automatic: bool = False) -> SubmissionStatus:
    """pending (or inspected, for a correction) → inspected; pending → auto_accepted when `automatic`."""
    if automatic:
        MACHINE.check(current, "pass automatically")
        return _S.AUTO_ACCEPTED
    return MACHINE.move(current, "inspect", _S.INSPECTED)
