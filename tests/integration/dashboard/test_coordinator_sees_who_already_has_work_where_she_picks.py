"""代办接单 (new-user trial): the picker of residents without a phone named them only, so the coordinator could not
tell who already had work. Each now carries her load as the matching rules count it (usecases.workload.plates:
lots held and offers not yet answered, with their pieces), or 空闲."""

from __future__ import annotations

from sqlmodel import select

from bench.dashboard_world import COORD1
from domain.lifecycle.offer import OfferStatus
from store.db import reading
from store.tables import Offer, Resident


def test_the_proxy_picker_shows_each_resident_s_load_or_free(world, open_page) -> None:
    with reading(world.engine) as s:
        offer = s.exec(select(Offer).where(Offer.lot_id == world.proxy_lot,
                                           Offer.status == OfferStatus.PENDING)).one()
        phoneless = {r: s.get(Resident, r).name for r in world.phoneless["comm-001"]}
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "proxy"
    at.run()
    assert not at.exception
    shown = at.selectbox(key="proxy_resident").options
    busy = f"{phoneless[world.proxy_for]} · 在手 1 批 {offer.pieces} 件（含待答复 1 批）"
    assert busy in shown, shown
    free = [f"{name} · 空闲" for r, name in phoneless.items() if r != world.proxy_for]
    assert free and all(f in shown for f in free), shown


def test_the_proxy_picker_opens_on_a_resident_with_an_offer_to_answer(world, open_page) -> None:
    """It opened on the first name (胡明华 · 空闲, nothing to answer) while 高志德's offer waited further down."""
    at = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "proxy"
    at.run()
    assert at.selectbox(key="proxy_resident").value == world.proxy_for
    assert at.button(key=f"accept-{_offer_id(world)}") is not None  # her offer card, ready to answer


def _offer_id(world) -> str:  # noqa: ANN001
    with reading(world.engine) as s:
        return str(s.exec(select(Offer.id).where(Offer.lot_id == world.proxy_lot,
                                                 Offer.status == OfferStatus.PENDING)).one())
