"""Events of service to residents (issue 17): a service rated (服务评价) and volunteer tasks (志愿服务).

They travel on mf.ledger.v1, beside the earnings the points consumer already reads, so the points consumer
scores service from the same topic. A rating event names the helper, never the resident who rated.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.envelope import Event
from schemas.wire import WireDatetime


class ServiceRated(Event):
    """A resident rated an act of service (a lot paid, or an act a helper did on their behalf, 代办)."""

    topic = "mf.ledger.v1"
    type: Literal["service.rated"] = "service.rated"
    schema_version: int = 1
    rating_id: str
    act_kind: Literal["lot", "offer", "submission", "redemption"]
    act_id: str
    helper: str | None = Field(default=None, description="Who acted on the resident's behalf; None for a lot paid.")
    stars: int = Field(ge=1, le=5)
    self_recorded: bool = Field(default=False, description="The helper recorded the rating of their own act.")


class RatingWithdrawn(Event):
    """The resident who gave a rating (or the city) withdrew it; the points it earned its helper are reversed."""

    topic = "mf.ledger.v1"
    type: Literal["service.rating_withdrawn"] = "service.rating_withdrawn"
    schema_version: int = 1
    rating_id: str
    actor: str
    reason: str


class VolunteerTaskRecorded(Event):
    """A coordinator recorded a volunteer task a resident did."""

    topic = "mf.ledger.v1"
    type: Literal["service.volunteer_recorded"] = "service.volunteer_recorded"
    schema_version: int = 1
    task_id: str
    resident_id: str
    minutes: int = Field(gt=0)
    done_at: WireDatetime
    actor: str


class VolunteerTaskWithdrawn(Event):
    """A volunteer task was withdrawn (recorded in error); its points are reversed."""

    topic = "mf.ledger.v1"
    type: Literal["service.volunteer_withdrawn"] = "service.volunteer_withdrawn"
    schema_version: int = 1
    task_id: str
    resident_id: str
    actor: str
    reason: str
