"""Events about sites (微工厂/家庭微车间) and residents (居民)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.envelope import Event
from schemas.wire import Slot


class SiteRegistered(Event):
    """A coordinator registered a micro-factory or a home workshop."""

    topic = "mf.people.v1"
    type: Literal["site.registered"] = "site.registered"
    schema_version: int = 1
    site_id: str
    kind: Literal["micro_factory", "home_workshop"]
    seats: int = Field(ge=0)


class ResidentRegistered(Event):
    """A coordinator registered a resident who wants piecework."""

    topic = "mf.people.v1"
    type: Literal["resident.registered"] = "resident.registered"
    schema_version: int = 1
    resident_id: str
    work_mode: Literal["onsite", "home", "either"]
    skills: dict[str, int]
    priority_group: bool = False


class AvailabilityChanged(Event):
    """A resident (or a coordinator for them) changed weekly availability."""

    topic = "mf.people.v1"
    type: Literal["resident.availability_changed"] = "resident.availability_changed"
    schema_version: int = 1
    resident_id: str
    availability: list[Slot] = Field(description="(weekday 0=Mon, start minute, end minute)")
