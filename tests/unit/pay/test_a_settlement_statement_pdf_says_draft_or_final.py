"""An enterprise's settlement statement as a PDF: Chinese, its figures, and marked 草稿 (draft) or 正式 (final)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.pay.statement_pdf import StatementRow, statement_to_pdf

ROWS = [StatementRow(order="PO-2026-118", pieces_passed=450, residents_pay_fen=56_250, service_fee_fen=4_500,
                     total_fen=60_750)]
AT = datetime(2026, 12, 16, 2, 0, tzinfo=UTC)


def has_text(pdf: bytes, text: str) -> bool:
    """Every character of `text` is in the PDF's map from glyphs to text (so it renders and can be copied)."""
    return all(b"<%04X>" % ord(ch) in pdf for ch in text if not ch.isascii())


def test_a_draft_and_a_final_statement_say_which_they_are() -> None:
    draft = statement_to_pdf(enterprise_name="某某服饰", uscc="91350100M000100Y43", period_id="2026-12-A",
                             final=False, rows=ROWS, issued_at=AT)
    final = statement_to_pdf(enterprise_name="某某服饰", uscc="91350100M000100Y43", period_id="2026-12-A",
                             final=True, rows=ROWS, issued_at=AT)
    assert draft.startswith(b"%PDF") and b"NotoSansCJK" in draft
    assert has_text(draft, "企业结算单草稿合计") and not has_text(draft, "正式")
    assert has_text(final, "企业结算单正式")
    assert draft == statement_to_pdf(enterprise_name="某某服饰", uscc="91350100M000100Y43", period_id="2026-12-A",
                                     final=False, rows=ROWS, issued_at=AT)  # reproducible: the time is an argument
