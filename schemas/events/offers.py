"""Events of offers (派单): made by the matcher, answered by residents, expired, withdrawn."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from schemas.envelope import Event, upcaster
from schemas.rates import CENTIFEN_PER_FEN
from schemas.wire import WireDatetime


class OfferMade(Event):
    """The matcher (or a coordinator by hand) offered a lot to a resident."""

    topic = "mf.offers.v1"
    type: Literal["offer.made"] = "offer.made"
    schema_version: int = 2
    offer_id: str
    lot_id: str
    resident_id: str
    pieces: int = Field(gt=0)
    piece_rate_centifen: int = Field(gt=0, description="Exact rate in 0.0001 yuan per piece (schemas.rates).")
    expires_at: WireDatetime
    explanation_zh: str
    explanation_en: str
    dispatched_by: str | None = Field(default=None, description="Coordinator who dispatched by hand.")


class OfferAccepted(Event):
    """The resident (or a coordinator on their behalf) accepted an offer."""

    topic = "mf.offers.v1"
    type: Literal["offer.accepted"] = "offer.accepted"
    schema_version: int = 2
    offer_id: str
    lot_id: str
    resident_id: str
    piece_rate_centifen: int = Field(gt=0, description="Exact rate in 0.0001 yuan per piece (schemas.rates).")
    actor: str
    on_behalf: bool = False


class OfferDeclined(Event):
    """The resident declined; the lot goes back to matching."""

    topic = "mf.offers.v1"
    type: Literal["offer.declined"] = "offer.declined"
    schema_version: int = 1
    offer_id: str
    lot_id: str
    resident_id: str
    actor: str
    on_behalf: bool = False
    reason: str = ""


class OfferExpired(Event):
    """Nobody answered in time; the lot goes back to matching."""

    topic = "mf.offers.v1"
    type: Literal["offer.expired"] = "offer.expired"
    schema_version: int = 1
    offer_id: str
    lot_id: str
    resident_id: str


class OfferWithdrawn(Event):
    """A coordinator withdrew an offer or an accepted lot (reassign)."""

    topic = "mf.offers.v1"
    type: Literal["offer.withdrawn"] = "offer.withdrawn"
    schema_version: int = 1
    offer_id: str
    lot_id: str
    resident_id: str
    actor: str
    reason: str


@upcaster("offer.made", 1)
@upcaster("offer.accepted", 1)
def _exact_rate(data: dict[str, Any]) -> dict[str, Any]:
    """v1 carried a whole-fen rate; v2 the exact rate in centifen (issue 16): 35 fen → 3,500."""
    data["piece_rate_centifen"] = data.pop("piece_rate_fen") * CENTIFEN_PER_FEN
    return data
