"""A pay slip line on the resident's phone names a hand-made line by its reason, as the Excel slip does (issue 15)."""

from __future__ import annotations

from dashboard.resident_parts import slip_line_text
from domain.pay.slips import SlipLine


def test_a_bonus_reads_as_a_bonus_with_its_reason() -> None:
    line = SlipLine("adjustment", None, "", 0, 0, 2000, note="本月质量奖")
    assert slip_line_text(line) == "奖励：本月质量奖 ¥20.00"
    assert "×" not in slip_line_text(line) and "/件" not in slip_line_text(line)


def test_a_recovery_reads_as_taken_back() -> None:
    line = SlipLine("adjustment", None, "", 0, 0, -500, note="多发退回")
    assert slip_line_text(line) == "扣回：多发退回 −¥5.00"
    assert slip_line_text(line, "en") == "Taken back: 多发退回 −¥5.00"


def test_a_top_up_has_no_pieces_and_a_lot_keeps_them() -> None:
    assert slip_line_text(SlipLine("wage_top_up", None, "", 0, 0, 300)) == "最低工资补足 ¥3.00"
    lot = SlipLine("piece_pay", "lot-1", "网兜-1129-03", 30, 350, 105)
    assert slip_line_text(lot) == "网兜-1129-03 · 30 × ¥0.035/件 = ¥1.05"
