"""Events of the work itself: materials issued (发料), output submitted (交货), inspection (验收)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.envelope import Event


class MaterialsIssued(Event):
    """A coordinator handed a resident materials for some pieces of a lot."""

    topic = "mf.work.v1"
    type: Literal["work.materials_issued"] = "work.materials_issued"
    schema_version: int = 1
    issue_id: str
    lot_id: str
    resident_id: str
    pieces: int = Field(gt=0)
    actor: str


class MaterialsReturned(Event):
    """Unused materials or scrap came back; custody balance changes, pay never does."""

    topic = "mf.work.v1"
    type: Literal["work.materials_returned"] = "work.materials_returned"
    schema_version: int = 1
    return_id: str
    lot_id: str
    resident_id: str
    unused_pieces: int = Field(ge=0)
    scrap_pieces: int = Field(ge=0)
    actor: str


class OutputSubmitted(Event):
    """Finished pieces were handed in for inspection (partial submissions allowed)."""

    topic = "mf.work.v1"
    type: Literal["work.output_submitted"] = "work.output_submitted"
    schema_version: int = 1
    submission_id: str
    lot_id: str
    resident_id: str
    pieces: int = Field(gt=0)
    actor: str
    on_behalf: bool = False


class InspectionRecorded(Event):
    """A submission was inspected: passed and rejected pieces, with defect codes."""

    topic = "mf.work.v1"
    type: Literal["work.inspection_recorded"] = "work.inspection_recorded"
    schema_version: int = 1
    inspection_id: str
    submission_id: str
    lot_id: str
    resident_id: str
    passed: int = Field(ge=0)
    rejected: int = Field(ge=0)
    defect_codes: list[str] = Field(default_factory=list)
    corrects_inspection_id: str | None = None
    automatic: bool = Field(default=False, description="Auto-accepted after the inspection delay.")
    actor: str
