"""Rows for pay changed by hand (issue 16): adjustments (调整) and corrections waiting for a second coordinator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from store.types import FEN_SUM, json_column, utc_column


class PayAdjustment(SQLModel, table=True):
    """A bonus (+) or recovery (−) posted by a coordinator with a reason; its one ledger entry is `entry_key`."""

    __tablename__ = "pay_adjustment"
    id: str = Field(primary_key=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    community_id: str = Field(index=True)
    kind: str  # "bonus" or "recovery" (domain.pay.adjustments)
    amount_fen: int = Field(sa_type=FEN_SUM)  # signed, as posted to the ledger
    reason: str
    period_id: str
    entry_key: str = Field(unique=True)
    actor: str
    at: datetime = Field(sa_column=utc_column())
    # The client's idempotency key (issue 16): a retry with the same reference answers this row, never a second
    # bonus. Unique where given; NULL for adjustments posted without one.
    reference: str | None = Field(default=None, index=True, unique=True)


class CorrectionRequest(SQLModel, table=True):
    """A correcting inspection that waits for a second coordinator before anything is recorded or paid."""

    __tablename__ = "correction_request"
    id: str = Field(primary_key=True)
    inspection_id: str = Field(foreign_key="inspection.id", index=True)  # the inspection to correct
    submission_id: str = Field(foreign_key="submission.id")
    lot_id: str = Field(foreign_key="lot.id")
    resident_id: str = Field(foreign_key="resident.id", index=True)
    community_id: str = Field(index=True)
    passed: int
    rejected: int
    defect_codes: list[Any] = Field(default_factory=list, sa_column=json_column())
    rework: bool = False
    photo_ref: str | None = None
    reason: str
    why_approval: str  # "closed_period" or "automatic" (domain.lifecycle.correction.needs_second_approval)
    status: str = Field(default="pending", index=True)  # domain.lifecycle.correction.CorrectionStatus
    requested_by: str
    requested_at: datetime = Field(sa_column=utc_column())
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    decision_note: str = ""
    correction_inspection_id: str | None = None  # the inspection recorded on approval
