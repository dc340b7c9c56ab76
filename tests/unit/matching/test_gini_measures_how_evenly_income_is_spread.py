"""The Gini coefficient is 0 for equal incomes and grows as income concentrates."""

import pytest

from domain.matching.fairness import gini


def test_equal_incomes_have_a_gini_of_zero() -> None:
    assert gini([500, 500, 500]) == 0.0
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0


def test_one_person_earning_everything_approaches_one() -> None:
    assert gini([0, 0, 0, 100]) == pytest.approx(0.75)


def test_a_known_distribution() -> None:
    assert gini([1, 2, 3, 4, 5]) == pytest.approx(0.2666666, rel=1e-5)
