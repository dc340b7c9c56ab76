"""Money is shown as yuan with the ¥ sign and two decimals, computed from integer fen."""

from __future__ import annotations

import pytest

from domain.pay import format_fen


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (123_456, "¥1,234.56"),
        (-300, "-¥3.00"),
        (5, "¥0.05"),
        (0, "¥0.00"),
        (10**14 + 1, "¥1,000,000,000,000.01"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fen_are_shown_as_yuan(fen: int, shown: str, lang: str) -> None:
    assert format_fen(fen, lang) == shown  # type: ignore[arg-type]


def test_the_fallback_without_babel_prints_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    import domain.pay.slips as slips

    monkeypatch.setattr(slips, "format_currency", None)
    assert [format_fen(f) for f in (123_456, -300, 5)] == ["¥1,234.56", "-¥3.00", "¥0.05"]
