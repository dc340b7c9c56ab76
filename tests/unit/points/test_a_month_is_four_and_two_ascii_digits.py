"""month_bounds takes "YYYY-MM" in ASCII digits and nothing that int() would also read as a number."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.points import month_bounds
from domain.points.rules import TZ


@pytest.mark.parametrize("month", ["+026-11", " 202-11", "２０２６-11", "2026-１1", "-026-11", "2026-+1", "0000-01",
                                   "2026-00", "2026-13", "2026-1", "202611", "2026-11\n", "2026_11", ""])
def test_what_is_not_a_month_is_refused(month: str) -> None:
    with pytest.raises(ValueError, match="not a month"):
        month_bounds(month)


def test_a_month_runs_from_its_first_to_the_next_month_s_first_in_shanghai() -> None:
    assert month_bounds("2026-12") == (datetime(2026, 12, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ))
    assert month_bounds("0001-01")[0] == datetime(1, 1, 1, tzinfo=TZ)
