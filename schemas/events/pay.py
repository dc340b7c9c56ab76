"""Events of pay: earnings posted to the ledger (台账), periods closed, payouts."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import Event


class EarningPosting(BaseModel):
    """What one inspection appended to the ledger: its entries' keys and their net amount."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    inspection_id: str
    resident_id: str
    entry_keys: list[str] = Field(min_length=1)
    amount_fen: int = Field(description="Net amount of the entries, in fen (may be negative).")
    period_id: str


class EarningsPosted(Event):
    """Ledger entries were appended for a community's inspections (piece pay, bonus, reversals).

    One event per community for each batch the earnings consumer commits (at most MAX_POSTINGS
    inspections each), not one per inspection: at thousands of inspections a second an event
    each doubled what the outbox and the broker carry, for readers who want the lines anyway.
    """

    MAX_POSTINGS: ClassVar[int] = 1000  # ≈ 150 KB of JSON, well under a broker's 1 MB message limit

    topic = "mf.ledger.v1"
    type: Literal["ledger.earnings_posted"] = "ledger.earnings_posted"
    schema_version: int = 1
    postings: list[EarningPosting] = Field(min_length=1, max_length=MAX_POSTINGS)


class PayPeriodClosed(Event):
    """A community's pay period was frozen; pay slips exist from now on."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.period_closed"] = "ledger.period_closed"
    schema_version: int = 1
    period_id: str
    total_fen: int
    residents: int = Field(ge=0)
    actor: str


class PayoutRecorded(Event):
    """Money reached a resident (method and reference); recording it twice changes nothing."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.payout_recorded"] = "ledger.payout_recorded"
    schema_version: int = 1
    payout_id: str
    resident_id: str
    period_id: str
    amount_fen: int = Field(gt=0)
    method: str
    reference: str
    actor: str


class AppealFiled(Event):
    """A resident (or a coordinator for them) disputed an inspection's rejected pieces (申诉)."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.appeal_filed"] = "ledger.appeal_filed"
    schema_version: int = 1
    appeal_id: str
    inspection_id: str
    resident_id: str
    reason: str
    actor: str
    on_behalf: bool = False


class AppealDecided(Event):
    """A coordinator decided an appeal: upheld (a correcting inspection follows) or rejected with a reason."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.appeal_decided"] = "ledger.appeal_decided"
    schema_version: int = 1
    appeal_id: str
    inspection_id: str
    resident_id: str
    decision: Literal["upheld", "rejected"]
    reason: str
    correction_inspection_id: str | None = None
    actor: str


class AdjustmentPosted(Event):
    """A coordinator posted a bonus (+) or a recovery (−) for a resident, with the reason (one ledger entry)."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.adjustment_posted"] = "ledger.adjustment_posted"
    schema_version: int = 1
    adjustment_id: str
    resident_id: str
    kind: Literal["bonus", "recovery"]
    amount_fen: int = Field(description="Signed, as posted: negative for a recovery (fen).")
    period_id: str
    reason: str
    actor: str


class CorrectionRequested(Event):
    """A correction of frozen pay (closed period or auto-acceptance) waits for a second coordinator."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.correction_requested"] = "ledger.correction_requested"
    schema_version: int = 1
    request_id: str
    inspection_id: str
    resident_id: str
    passed: int
    rejected: int
    reason: str
    why_approval: Literal["closed_period", "automatic"]
    actor: str


class CorrectionDecided(Event):
    """A second coordinator approved (the correcting inspection follows) or rejected a correction request."""

    topic = "mf.ledger.v1"
    type: Literal["ledger.correction_decided"] = "ledger.correction_decided"
    schema_version: int = 1
    request_id: str
    inspection_id: str
    resident_id: str
    decision: Literal["approved", "rejected"]
    correction_inspection_id: str | None = None
    actor: str
