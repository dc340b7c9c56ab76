"""A pay slip (工资条): lines per lot, corrections, total; as Chinese CSV and as a PDF with a CJK font."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from domain.pay import (
    EntryDraft,
    InspectionFact,
    PaySlip,
    build_pay_slip,
    period_by_id,
    slip_to_csv,
    slip_to_pdf,
    slips_to_pdf,
    top_up_draft,
)
from domain.pay.slips import DEFAULT_FONT_PATH

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]

LABELS = {"lot-1": "编织网兜", "lot-2": "串珠手链"}
CODES = {"lot-1": "网兜-1110-01", "lot-2": "手链-1110-01"}  # the lots as people name them (批次简码)


@pytest.fixture(scope="module")
def ledger(fact: FactBuilder, apply: Applier) -> list[EntryDraft]:
    """First half: two lots, one corrected within the half; second half: a late correction and a top-up."""
    entries: dict[str, EntryDraft] = {}
    apply(entries, fact(passed=90, quality_bonus_fen_per_piece=2))
    apply(entries, fact(inspection_id="insp-2", lot_id="lot-2", passed=12, piece_rate_centifen=12000))
    apply(entries, fact(inspection_id="insp-3", passed=80, corrects_inspection_id="insp-1"))
    late = fact(
        inspection_id="insp-4", lot_id="lot-2", passed=10, piece_rate_centifen=12000, corrects_inspection_id="insp-2"
    )
    apply(entries, late, "2026-11-B")
    apply(entries, fact(inspection_id="insp-5", resident_id="res-other", passed=1_000))
    top = top_up_draft(resident_id="res-1", community_id="com-1", period_id="2026-11-B", amount_fen=709)
    assert top is not None
    return [*entries.values(), top]


def _slip(ledger: list[EntryDraft], period_id: str) -> PaySlip:
    return build_pay_slip(
        resident_id="res-1",
        resident_name="王秀英",
        period=period_by_id(period_id),
        entries=ledger,
        lot_labels=LABELS,
        lot_codes=CODES,
    )


@pytest.fixture(scope="module")
def first_half(ledger: list[EntryDraft]) -> PaySlip:
    return _slip(ledger, "2026-11-A")


@pytest.fixture(scope="module")
def second_half(ledger: list[EntryDraft]) -> PaySlip:
    return _slip(ledger, "2026-11-B")


def test_slip_shows_what_was_earned_when_a_correction_lands_in_the_same_period(first_half: PaySlip) -> None:
    slip = first_half
    assert [(x.label, x.kind, x.pieces, x.amount_fen) for x in slip.lines] == [
        ("编织网兜", "piece_pay", 80, 4_000),
        ("串珠手链", "piece_pay", 12, 1_440),
    ]
    assert slip.corrections == ()
    assert slip.total_fen == 5_440


def test_a_correction_of_an_earlier_slip_is_its_own_line_and_the_total_adds_up(second_half: PaySlip) -> None:
    slip = second_half
    assert [(x.kind, x.pieces, x.amount_fen) for x in slip.corrections] == [("reversal", -12, -1_440)]
    assert [(x.kind, x.amount_fen) for x in slip.top_ups] == [("wage_top_up", 709)]
    assert slip.total_fen == 1_200 - 1_440 + 709
    assert slip.total_fen == sum(x.amount_fen for x in slip.all_lines)


def test_another_residents_pay_never_appears_on_the_slip(first_half: PaySlip) -> None:
    assert all(x.amount_fen < 100_000 for x in first_half.all_lines)


def test_csv_has_chinese_headers_yuan_amounts_and_a_total_row(second_half: PaySlip) -> None:
    rows = list(csv.reader(io.StringIO(slip_to_csv(second_half))))
    assert rows[0] == ["批次", "产品", "类型", "合格件数", "单价", "金额"]
    assert rows[1] == ["手链-1110-01", "串珠手链", "计件工资", "10", "1.20", "12.00"]  # the lot's code, never its id
    assert rows[2] == ["手链-1110-01", "串珠手链", "更正冲销", "-12", "1.20", "-14.40"]
    assert rows[3] == ["", "", "最低工资补足", "", "", "7.09"]
    # Under the total, not ledger lines: the correction nets to −¥2.40 (a debt: −14.40 + 12.00), of which at most
    # 20% of the other pay (the ¥7.09 top-up → ¥1.41, rounded down) is projected to come back, ¥0.99 carried on.
    assert rows[4:] == [["合计", "", "", "", "", "4.69"], ["欠款", "", "", "", "", "2.40"],
                        ["本期扣回", "", "", "", "", "1.41"], ["结转下期", "", "", "", "", "0.99"]]


def test_csv_speaks_english_on_request(first_half: PaySlip) -> None:
    rows = list(csv.reader(io.StringIO(slip_to_csv(first_half, lang="en"))))
    assert rows[0][:4] == ["Lot", "Product", "Kind", "Pieces passed"]
    assert rows[-1] == ["Total", "", "", "", "", "54.40"]


@pytest.fixture(scope="module")
def pdf(second_half: PaySlip) -> bytes:
    return slip_to_pdf(second_half)


def test_pdf_embeds_the_chinese_font(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    assert b"/BaseFont /" in pdf and b"NotoSansCJKSC" in pdf
    assert b"/FontFile3" in pdf or b"/FontFile2" in pdf, "the font program itself is embedded"


def test_pdf_maps_its_glyphs_to_the_chinese_text_so_it_renders_and_can_be_copied(pdf: bytes) -> None:
    for char in "工资条王秀英合格件数金额计更正冲销¥":
        assert b"<%04X>" % ord(char) in pdf, char


def test_pdf_is_reproducible_because_the_issue_time_is_an_argument(pdf: bytes, second_half: PaySlip) -> None:
    assert slip_to_pdf(second_half) == pdf


def test_many_slips_print_as_one_pdf_one_page_each(first_half: PaySlip, second_half: PaySlip) -> None:
    many = slips_to_pdf([first_half, second_half], DEFAULT_FONT_PATH)
    assert many.count(b"/Type /Page\n") == 2
