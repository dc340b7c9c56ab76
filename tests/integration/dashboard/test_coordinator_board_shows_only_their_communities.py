"""A coordinator's board lists what waits in their communities, and nothing of anyone else's."""

from __future__ import annotations

from sqlmodel import select

from bench.dashboard_pages import metrics, shown_text
from bench.dashboard_world import COORD1, COORD2
from store.db import reading
from store.tables import Lot, Offer, Resident, Submission


def named(world, *, lot: str | None = None, resident: str | None = None) -> str:
    """What the board calls a lot (its short code) or a person (their name): no ids are shown."""
    with reading(world.engine) as s:
        if lot is not None:
            return str(s.get(Lot, lot).short_code)
        return str(s.get(Resident, resident).name)


def test_board_counts_match_the_database(world, open_page) -> None:
    with reading(world.engine) as s:
        pending = s.exec(select(Offer).where(Offer.status == "pending", Offer.community_id == "comm-001")).all()
        queue = s.exec(select(Submission).where(Submission.status == "pending")).all()
    at = open_page("views/coordinator.py", COORD1)
    assert not at.exception
    shown = metrics(at)
    assert shown["待确认派单"] == str(len(pending)) == "1"
    assert shown["待验收"] == str(len(queue)) == "1"
    text = shown_text(at)
    assert named(world, lot=world.proxy_lot) in text and named(world, resident=world.worker) in text
    assert world.proxy_lot not in text and world.submission_pending not in text, "ids are not for people"


def test_board_shows_nothing_of_another_community(world, open_page) -> None:
    text = shown_text(open_page("views/coordinator.py", COORD1))
    offered_to, worker = named(world, resident=world.offered_to), named(world, resident=world.worker)
    assert named(world, lot=world.offered_lot) not in text and offered_to not in text
    assert "comm-002" not in text and "第2社区" not in text
    other = shown_text(open_page("views/coordinator.py", COORD2))
    assert offered_to in other and worker not in other


def test_phone_numbers_are_masked_on_the_board(world, open_page) -> None:
    at = open_page("views/coordinator.py", COORD1)
    options = [str(o) for s in at.selectbox for o in s.options]
    assert not any(ch.isdigit() and len(ch) == 11 for ch in options)
    from store.tables import Resident
    with reading(world.engine) as s:
        phones = [r.phone for r in s.exec(select(Resident)) if r.phone]
    text = shown_text(at)
    assert not any(phone in text for phone in phones)


def test_another_role_is_turned_away_with_a_sentence(world, open_page) -> None:
    from bench.dashboard_world import ENT1
    at = open_page("views/coordinator.py", ENT1)
    assert not at.exception
    assert [e.value for e in at.error] == ["此页面不对你的角色开放。"]
    assert not at.metric
