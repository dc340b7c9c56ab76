"""A coordinator records the rating a resident without a phone gives them, in the 代办 section (issue 17)."""

from __future__ import annotations

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from bench.dashboard_world import COORD1
from store.db import reading
from store.tables import OutboxEvent, ServiceRating, User


def test_a_coordinator_records_a_phoneless_resident_s_rating_of_an_act_done_for_them(world, open_page) -> None:
    at: AppTest = open_page("views/coordinator.py", COORD1)
    at.session_state["co_section"] = "proxy"
    at.run()
    at.selectbox(key="proxy_resident").select(world.proxy_for).run()
    offer_key = next(b.key for b in at.button if b.key and b.key.startswith("accept-"))
    at.button(key=offer_key).click().run()  # an act on the resident's behalf: now it may be rated
    card = f"offer-{offer_key.removeprefix('accept-')}"
    with reading(world.engine) as s:  # issue 15: the helper by the name people know, not the login
        me = s.exec(select(User).where(User.username == "coord1")).one()
    helpers = [c.value for c in at.caption if c.value.startswith("代办人：")]
    assert me.display_name and helpers and set(helpers) == {f"代办人：{me.display_name}"}
    # Nothing chosen for her: no stars pre-picked, and the send button waits for a choice (a tap sent five before).
    assert at.radio(key=f"stars-{card}").value is None and at.button(key=f"rate-{card}").disabled
    assert "请先点选满意程度（几颗星）" in [c.value for c in at.caption]
    at.radio(key=f"stars-{card}").set_value(2).run()
    assert not at.button(key=f"rate-{card}").disabled
    at.text_input(key=f"comment-{card}").set_value("希望早点通知")
    at.button(key=f"rate-{card}").click().run()
    assert not at.exception, at.exception
    with reading(world.engine) as s:
        rating = s.exec(select(ServiceRating)).one()
        event = s.exec(select(OutboxEvent).where(OutboxEvent.type == "service.rated")).one()
    assert (rating.resident_id, rating.stars, rating.comment, rating.via, rating.recorded_by, rating.helper) == (
        world.proxy_for, 2, "希望早点通知", "coordinator", "coord1", "coord1")
    assert '"self_recorded":true' in event.payload and world.proxy_for not in event.payload  # no points, no name
    assert f"rate-{card}" not in [b.key for b in at.button]
