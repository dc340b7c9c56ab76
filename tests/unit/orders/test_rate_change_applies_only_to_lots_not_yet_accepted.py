"""Rate changes: a lot keeps the rate in force when it was accepted; open lots get the newest."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.orders.rates import RateVersion, add_rate_version, rate_for_lot

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
V1 = RateVersion(version=1, piece_rate_centifen=3500, reason="order posted", effective_at=T0)
V2 = RateVersion(version=2, piece_rate_centifen=4000, reason="harder beads", effective_at=T0 + timedelta(days=3))
HISTORY = (V1, V2)


def test_a_lot_accepted_before_the_change_keeps_the_old_rate() -> None:
    assert rate_for_lot(HISTORY, accepted_at=T0 + timedelta(days=1)) == 3500


def test_a_lot_accepted_after_the_change_gets_the_new_rate() -> None:
    assert rate_for_lot(HISTORY, accepted_at=T0 + timedelta(days=4)) == 4000


def test_a_change_is_in_force_from_its_effective_instant() -> None:
    assert rate_for_lot(HISTORY, accepted_at=V2.effective_at) == 4000


def test_a_lot_not_yet_accepted_gets_the_newest_rate() -> None:
    assert rate_for_lot(HISTORY, accepted_at=None) == 4000


def test_order_of_the_history_does_not_matter() -> None:
    assert rate_for_lot((V2, V1), accepted_at=T0 + timedelta(days=1)) == 3500


def test_acceptance_before_any_rate_is_an_error() -> None:
    with pytest.raises(ValueError, match="before the first rate"):
        rate_for_lot(HISTORY, accepted_at=T0 - timedelta(seconds=1))


def test_add_rate_version_numbers_versions() -> None:
    history = add_rate_version((), piece_rate_centifen=3500, reason="posted", effective_at=T0)
    history = add_rate_version(history, piece_rate_centifen=3800, reason=" rework ", effective_at=T0)
    assert [(v.version, v.piece_rate_centifen, v.reason) for v in history] == [
        (1, 3500, "posted"),
        (2, 3800, "rework"),
    ]


@pytest.mark.parametrize(
    ("rate", "reason", "effective_at"),
    [(0, "free", T0 + timedelta(days=5)), (40, " ", T0 + timedelta(days=5)), (40, "backdated", T0)],
)
def test_add_rate_version_refuses_bad_changes(rate: int, reason: str, effective_at: datetime) -> None:
    with pytest.raises(ValueError):
        add_rate_version(HISTORY, piece_rate_centifen=rate, reason=reason, effective_at=effective_at)
