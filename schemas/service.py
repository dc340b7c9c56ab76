"""Commands of service to residents (issue 17): rating a service, volunteer tasks, and the coordinators'
assessment (scores the city enters, a district's weights and thresholds). The API's request bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.commands import Command, Keyed
from schemas.wire import WireDatetime

ActKind = Literal["lot", "offer", "submission", "redemption"]


class RateService(Command):
    """A resident rates a service: a lot of theirs that was paid, or an act done on their behalf (代办).

    On the phone the resident rates for themself; a coordinator records a rating the resident gives them
    (`resident_id` needed). One rating per resident and act.
    """

    act_kind: ActKind
    act_id: str = Field(min_length=1, max_length=64)
    stars: int = Field(ge=1, le=5, description="1 (poor) to 5 (very satisfied)")
    comment: str = Field(default="", max_length=200)
    resident_id: str | None = Field(default=None, max_length=64, description="needed when a coordinator records")


class WithdrawRating(Command):
    """Withdraw a rating (the resident who gave it, or the city on a complaint); the act stays rated once."""

    reason: str = Field(min_length=1, max_length=200)


class RecordVolunteerTask(Keyed):
    """A coordinator records a volunteer task (志愿服务) a resident of their community did."""

    resident_id: str = Field(min_length=1, max_length=64)
    task: str = Field(min_length=1, max_length=100)
    minutes: int = Field(gt=0, le=24 * 60)
    done_at: WireDatetime | None = None


class WithdrawVolunteerTask(Command):
    """Withdraw a volunteer task recorded in error; its points are reversed."""

    reason: str = Field(min_length=1, max_length=200)


class EnterAssessmentScores(Command):
    """The city role enters the street office's and the peers' scores (0–100) of a coordinator for a period."""

    coordinator: str = Field(min_length=1, max_length=64)
    period: str = Field(min_length=4, max_length=7, description="2026-11, 2026-Q4 or 2026")
    street_score: int = Field(ge=0, le=100)
    peer_score: int = Field(ge=0, le=100)


class SetAssessmentPolicy(Command):
    """A district's weights (percent, summing to 100), minimum raters and grade thresholds."""

    district: str = Field(min_length=1, max_length=100)
    resident_weight_pct: int = Field(default=60, ge=0, le=100)
    street_weight_pct: int = Field(default=30, ge=0, le=100)
    peer_weight_pct: int = Field(default=10, ge=0, le=100)
    min_raters: int = Field(default=10, ge=1, le=100_000)
    excellent_from: int = Field(default=90, ge=0, le=100)
    competent_from: int = Field(default=70, ge=0, le=100)
    basic_from: int = Field(default=60, ge=0, le=100)
