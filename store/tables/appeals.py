"""Rows for appeals (申诉): a resident disputes a rejection; an upheld appeal becomes a correction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.types import utc_column


class Appeal(SQLModel, table=True):
    """An appeal against an inspection's rejected pieces, filed within the appeal window."""

    id: str = Field(primary_key=True)
    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    submission_id: str = Field(foreign_key="submission.id")
    lot_id: str = Field(foreign_key="lot.id")
    resident_id: str = Field(foreign_key="resident.id", index=True)
    community_id: str = Field(index=True)
    reason: str
    status: str = Field(default="open", index=True)
    filed_by: str
    on_behalf: bool = False
    filed_at: datetime = Field(sa_column=utc_column())
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    decision_reason: str = ""
    correction_inspection_id: str | None = None
