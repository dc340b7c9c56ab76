"""An appeal's lifecycle (申诉): open until a coordinator upholds it (a correcting inspection follows) or
rejects it with a reason; decided appeals are final."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from domain.lifecycle.machine import Machine


class AppealStatus(StrEnum):
    """Where an appeal stands."""

    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


MACHINE = Machine("an appeal", AppealStatus, {"decide": (AppealStatus.OPEN,)})


def decide(current: str, decision: Literal["uphold", "reject"]) -> AppealStatus:
    """open → upheld or rejected, as the coordinator decided."""
    MACHINE.check(current, "decide")
    return AppealStatus.UPHELD if decision == "uphold" else AppealStatus.REJECTED
