"""A correction of frozen pay as coordinators make it (issue 16): one asks with a reason, a second approves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from schemas import commands as c
from usecases import corrections
from usecases.actors import Actor

# A second coordinator of comm-001 (coord1 is the first): the one who approves what coord1 asks for.
SECOND = Actor(username="coord1b", role="coordinator", community_ids=frozenset({"comm-001"}))


def corrected_with_approval(world: Any, corrects: str, *, passed: int, rejected: int, at: datetime,
                            defect_codes: list[str] | None = None, reason: str = "复检发现质量问题") -> str:
    """coord1 asks for the correction, coord1b approves it; the id of the correcting inspection."""
    request, _ = world.run(corrections.request_correction, c.RequestCorrection(
        corrects_inspection_id=corrects, passed=passed, rejected=rejected,
        defect_codes=defect_codes if defect_codes is not None else (["LOOSE"] if rejected else []), reason=reason),
        at=at)
    decided, _ = world.run(corrections.decide_correction, request.id, c.DecideCorrection(decision="approve"),
                           actor=SECOND, at=at)
    return str(decided.correction_inspection_id)
