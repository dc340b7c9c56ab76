"""A resident's offer card says the due time as people mean it: a lot due at 00:00 (Asia/Shanghai) is due by the end
of the day before, '2026/12/2 24:00', never '2026/12/3 00:00' (new-user trial: the card read 00:00)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bench.dashboard_pages import shown_text
from bench.dashboard_world import actor
from store.db import transaction
from store.tables import Lot

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _due(world, at: datetime) -> None:  # noqa: ANN001
    with transaction(world.engine) as s:
        lot = s.get(Lot, world.offered_lot)
        assert lot is not None
        lot.due_at = at
        s.add(lot)


def test_a_lot_due_at_midnight_is_due_by_the_end_of_the_day_before(world, open_page) -> None:
    _due(world, datetime(2026, 12, 3, 0, 0, tzinfo=SHANGHAI))
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    text = shown_text(open_page("views/resident.py", me))
    assert "交期：2026/12/2 24:00" in text
    assert "00:00" not in text


def test_any_other_due_time_is_shown_as_it_is(world, open_page) -> None:
    _due(world, datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI))
    me = actor(world.offered_to, "resident", resident_id=world.offered_to, community_ids=frozenset({"comm-002"}))
    assert "交期：2026/12/3 18:00" in shown_text(open_page("views/resident.py", me))
