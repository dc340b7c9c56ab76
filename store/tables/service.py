"""Rows for service to residents (issue 17): ratings of service (服务评价), volunteer tasks (志愿服务), the helpers'
points ledger, and the assessment of coordinators (社区工作者考核): scores entered by the city and each district's
weights and thresholds.

Points are never money: nothing here is read by pay slips, settlements or the money ledger.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import utc_column


class ServiceRating(SQLModel, table=True):
    """A resident's rating (1–5 and a short comment) of one act of service: a lot paid or an act on their behalf.

    One per resident and act (`act_key`, e.g. "offer:ofr_…"); `helper` is who acted for them (None for a lot paid).
    Shown to coordinators without `resident_id` (usecases.queries.ratings).
    """

    __tablename__ = "service_rating"
    __table_args__ = (UniqueConstraint("resident_id", "act_key", name="uq_service_rating_resident_act"),)
    id: str = Field(primary_key=True)
    act_key: str
    act_kind: str  # lot | offer | submission | redemption
    act_id: str
    resident_id: str = Field(index=True)
    community_id: str = Field(index=True)
    helper: str | None = Field(default=None, index=True)
    stars: int
    comment: str = ""
    via: str  # phone | coordinator
    recorded_by: str
    rated_at: datetime = Field(sa_column=utc_column(index=True))
    withdrawn_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))  # then it counts no more
    withdrawn_by: str | None = None


class VolunteerTask(SQLModel, table=True):
    """A volunteer task (志愿服务) a resident did, recorded by a coordinator; withdrawn, its points are reversed."""

    __tablename__ = "volunteer_task"
    id: str = Field(primary_key=True)
    community_id: str = Field(index=True)
    resident_id: str = Field(index=True)
    task: str
    minutes: int
    done_at: datetime = Field(sa_column=utc_column())
    recorded_by: str
    recorded_at: datetime = Field(sa_column=utc_column())
    withdrawn_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    withdrawn_by: str | None = None
    withdraw_reason: str = ""


class HelperPointEntry(SQLModel, table=True):
    """One append-only line of a helper's points (代办 acts rated by the residents served), in integer points."""

    __tablename__ = "helper_point_entry"
    __table_args__ = (Index("ix_helper_point_entry_helper_month", "helper", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    entry_key: str = Field(unique=True)
    kind: str  # act | act_reversal
    helper: str  # the username of who acted on the resident's behalf
    community_id: str = Field(index=True)
    month: str  # "YYYY-MM", Asia/Shanghai
    points: int
    uncapped: int = 0
    rating_id: str | None = Field(default=None, index=True)
    reverses_entry_key: str | None = None
    rule_version: int | None = None
    posted_at: datetime = Field(sa_column=utc_column())


class AssessmentScore(SQLModel, table=True):
    """The street office's and the peers' scores (0–100) of a coordinator for a period, entered by the city role."""

    __tablename__ = "assessment_score"
    __table_args__ = (UniqueConstraint("coordinator", "period", name="uq_assessment_score_coordinator_period"),)
    id: int | None = Field(default=None, primary_key=True)
    coordinator: str = Field(index=True)
    period: str  # "2026-11", "2026-Q4" or "2026"
    street_score: int
    peer_score: int
    entered_by: str
    entered_at: datetime = Field(sa_column=utc_column())


class AssessmentPolicy(SQLModel, table=True):
    """A district's weights (percent, summing to 100), minimum raters and grade thresholds (defaults without one)."""

    __tablename__ = "assessment_policy"
    district: str = Field(primary_key=True)
    resident_weight_pct: int
    street_weight_pct: int
    peer_weight_pct: int
    min_raters: int
    excellent_from: int
    competent_from: int
    basic_from: int
    set_by: str
    set_at: datetime = Field(sa_column=utc_column())
