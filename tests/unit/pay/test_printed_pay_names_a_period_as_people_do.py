"""What is printed for people names a pay period as they do ('2026年11月下半月', domain.pay.periods.period_name, the
words dashboard.names.period_label shows), never by its id ('2026-11-B'): the pay slip's PDF, the enterprise's
settlement statement, and a carried debt's line on the slip (its stored memo, 'debt carried in from 2026-10-B', stays
as written: the note is rendered from the pair's period ids when the slip is shown)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from domain.pay import build_pay_slip, carry_drafts, period_by_id, slip_to_pdf
from domain.pay.carry import carry_note
from domain.pay.model import PayInputError
from domain.pay.periods import period_name
from domain.pay.statement_pdf import StatementRow, statement_to_pdf
from tests.unit.pay.pdf_text import pdf_lines

PERIOD_ID = re.compile(r"\b\d{4}-(?:\d{2}-[AB]|W\d{2})\b")


@pytest.mark.parametrize(("period_id", "zh", "en"), [
    ("2026-11-B", "2026年11月下半月", "2026-11 second half"),
    ("2026-01-A", "2026年1月上半月", "2026-1 first half"),
    ("2026-10", "2026年10月", "2026-10"),
    ("2026-W04", "2026年第4周", "2026 week 4"),
])
def test_a_period_id_reads_as_people_name_the_period(period_id: str, zh: str, en: str) -> None:
    assert (period_name(period_id), period_name(period_id, "en")) == (zh, en)


def test_something_that_is_no_period_id_is_shown_as_it_is() -> None:
    assert period_name("上个月") == "上个月"


def _debt_slip(period_id: str, *, lang: str = "zh") -> list[str]:
    drafts = carry_drafts(resident_id="res-1", community_id="com-1", period_id="2026-10-B",
                          next_period_id="2026-11-A", carried_on_fen=1050)
    notes = {d.entry_key: carry_note(d.entry_kind, "2026-11-A" if d.entry_kind == "carry_forward" else "2026-10-B")
             for d in drafts}
    slip = build_pay_slip(resident_id="res-1", resident_name="高珍英", period=period_by_id(period_id),
                          entries=drafts, lot_labels={}, final=True, notes=notes)
    return pdf_lines(slip_to_pdf(slip, lang="en" if lang == "en" else "zh"))


def test_the_slip_pdf_names_its_period_and_the_period_a_debt_came_from() -> None:
    lines = _debt_slip("2026-11-A")
    assert "结算周期：2026年11月上半月（2026-11-01 – 2026-11-15）" in lines
    assert "上期结转欠款" in lines and "来自2026年10月下半月" in lines  # the carried_in line: kind, then where from
    assert [x for x in lines if PERIOD_ID.search(x)] == []


def test_the_closing_slip_names_the_period_its_debt_is_carried_into() -> None:
    lines = _debt_slip("2026-10-B")
    assert "结算周期：2026年10月下半月（2026-10-16 – 2026-10-31）" in lines and "转入2026年11月上半月" in lines
    assert [x for x in lines if PERIOD_ID.search(x)] == []


def test_an_english_slip_names_its_period_in_english() -> None:
    assert "Period：2026-11 first half (2026-11-01 – 2026-11-15)" in _debt_slip("2026-11-A", lang="en")


def test_the_stored_memo_of_a_carried_debt_is_left_as_written() -> None:
    memos = [d.memo for d in carry_drafts(resident_id="res-1", community_id="com-1", period_id="2026-10-B",
                                          next_period_id="2026-11-A", carried_on_fen=1050)]
    assert memos == ["欠款结转下期 debt carried to 2026-11-A", "上期结转欠款 debt carried in from 2026-10-B"]


def test_a_carry_note_is_only_for_the_two_halves_of_a_carried_debt() -> None:
    with pytest.raises(PayInputError) as refused:
        carry_note("adjustment", "2026-10-B")
    assert refused.value.field == "kind"


def test_the_settlement_statement_names_its_period() -> None:
    pdf = statement_to_pdf(enterprise_name="某某服饰", uscc="91350100M000100Y43", period_id="2026-12-A", final=True,
                           rows=[StatementRow(order="PO-2026-118", pieces_passed=450, residents_pay_fen=56_250,
                                              service_fee_fen=4_500, total_fen=60_750)],
                           issued_at=datetime(2026, 12, 16, 2, tzinfo=UTC))
    lines = pdf_lines(pdf)
    assert "结算期：2026年12月上半月" in lines
    assert [x for x in lines if PERIOD_ID.search(x)] == []
