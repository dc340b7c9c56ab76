"""A due at 00:00 Asia/Shanghai is the end of the day before on every page that shows it, not only on the resident's
cards (d601433): the coordinator's lot tables and the enterprise's orders read '2026/11/28 24:00', never
'2026/11/29 00:00', which reads as the 29th was still free (left over from the new-user trial)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1, ENT1
from store.db import transaction
from store.tables import Lot, Order

# in the past, so the coordinator's 已逾期 table lists the lots people hold
MIDNIGHT = datetime(2026, 11, 29, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _everything_due_at_midnight(world) -> None:  # noqa: ANN001
    with transaction(world.engine) as s:
        for row in [*s.exec(select(Order)).all(), *s.exec(select(Lot)).all()]:
            row.due_at = MIDNIGHT
            s.add(row)


def test_the_coordinator_s_lot_tables_read_a_midnight_due_as_the_end_of_the_day_before(world, open_page) -> None:
    _everything_due_at_midnight(world)
    text = shown_text(open_page("views/coordinator.py", COORD1))
    assert "2026/11/28 24:00" in text
    assert "2026/11/29 00:00" not in text


def test_the_enterprise_s_orders_read_a_midnight_due_as_the_end_of_the_day_before(world, open_page) -> None:
    _everything_due_at_midnight(world)
    text = shown_text(open_page("views/enterprise.py", ENT1))
    assert "2026/11/28 24:00" in text
    assert "2026/11/29 00:00" not in text
