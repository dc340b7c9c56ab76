"""An enterprise's settlement statement (企业结算单) for one pay period as a PDF, marked draft or final.

Pure: the figures come in, bytes go out. Amounts are integer fen, printed as yuan; the CJK font is embedded
(the same Noto Sans CJK the pay slips use) so Chinese renders on any reader. A statement is final once every
community the period's work was done in has closed that period; before that it is a draft whose figures may
still change (late inspections, corrections).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from domain.pay.periods import period_name
from domain.pay.slips import DEFAULT_FONT_INDEX, DEFAULT_FONT_PATH, format_fen

HEADERS = ("订单", "合格件数", "居民计件工资", "服务费", "合计")


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One order's line: its name as the enterprise knows it, pieces passed and the fen owed."""

    order: str
    pieces_passed: int
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int


def statement_to_pdf(*, enterprise_name: str, uscc: str, period_id: str, final: bool,
                     rows: Sequence[StatementRow], issued_at: datetime,
                     font_path: str = DEFAULT_FONT_PATH) -> bytes:
    """The statement on A4: who, which period, draft or final, one line per order and the totals.

    `issued_at` (aware) is printed and used as the PDF's creation date, so the same input gives the same bytes.
    Raises FileNotFoundError when the CJK font is missing.
    """
    pdf = FPDF(format="A4")
    pdf.set_creation_date(issued_at)
    pdf.add_font("cjk", fname=font_path,
                 collection_font_number=DEFAULT_FONT_INDEX if font_path == DEFAULT_FONT_PATH else 0)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(text=f"企业结算单（{'正式' if final else '草稿'}）", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=11)
    for line in (f"企业：{enterprise_name}", f"统一社会信用代码：{uscc}", f"结算期：{period_name(period_id)}",
                 f"出具时间：{issued_at:%Y-%m-%d %H:%M}",
                 "状态：各社区均已结算，金额为最终金额" if final else "状态：草稿——本期尚未全部结算，金额可能变动"):
        pdf.cell(text=line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    headings = FontFace(emphasis="", fill_color=(235, 235, 235))
    with pdf.table(col_widths=(50, 24, 36, 28, 32), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                   headings_style=headings) as table:
        table.row(HEADERS)
        for r in rows:
            table.row((r.order, str(r.pieces_passed), format_fen(r.residents_pay_fen), format_fen(r.service_fee_fen),
                       format_fen(r.total_fen)))
        table.row(("合计", str(sum(r.pieces_passed for r in rows)), format_fen(sum(r.residents_pay_fen for r in rows)),
                   format_fen(sum(r.service_fee_fen for r in rows)), format_fen(sum(r.total_fen for r in rows))))
    return bytes(pdf.output())
