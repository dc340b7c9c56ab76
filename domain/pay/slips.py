"""Pay slips (工资条): what a resident earned in a period, as data, CSV and a Chinese PDF."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from domain.pay.carry import CARRY_FORWARD, CARRY_KINDS, DEFAULT_RECOVERY_CAP_BPS, period_balance, recovery
from domain.pay.model import EntryDraft, EntryKind
from domain.pay.money import format_rate
from domain.pay.periods import PayPeriod, period_name
from domain.people import telling_tail
from domain.sheets import csv_safe

if TYPE_CHECKING:
    from fpdf import FPDF

try:
    from babel.numbers import format_currency
except ImportError:  # Babel is optional; format_fen prints the same form without it
    format_currency = None  # type: ignore[assignment]

Lang = Literal["zh", "en"]
DEFAULT_FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# Face 2 of Debian's NotoSansCJK-Regular.ttc is "Noto Sans CJK SC" (simplified Chinese glyphs).
DEFAULT_FONT_INDEX = 2
CHINA = ZoneInfo("Asia/Shanghai")  # the day a payout is dated by

KIND_LABELS: Mapping[EntryKind, tuple[str, str]] = {
    "piece_pay": ("计件工资", "Piece pay"),
    "quality_bonus": ("质量奖", "Quality bonus"),
    "reversal": ("更正冲销", "Correction"),
    "wage_top_up": ("最低工资补足", "Minimum-wage top-up"),
    "adjustment": ("调整", "Adjustment"),
    "carried_in": ("上期结转欠款", "Debt carried in"),
    "carry_forward": ("欠款结转下期", "Debt carried to next period"),
}
# Kinds whose lines have no pieces or rate to print.
NO_PIECES: frozenset[str] = frozenset({"wage_top_up", *CARRY_KINDS})
HEADERS: Mapping[Lang, tuple[str, ...]] = {
    "zh": ("批次", "产品", "类型", "合格件数", "单价", "金额"),
    "en": ("Lot", "Product", "Kind", "Pieces passed", "Rate", "Amount"),
}
WORDS: Mapping[Lang, Mapping[str, str]] = {
    "zh": {"title": "工资条", "name": "姓名", "community": "社区", "period": "结算周期", "total": "合计",
           "debt": "欠款", "recovered": "本期扣回", "carried_on": "结转下期"},
    "en": {
        "title": "Pay slip",
        "name": "Name",
        "community": "Community",
        "period": "Period",
        "total": "Total",
        "debt": "Debt",
        "recovered": "Recovered",
        "carried_on": "Carried on",
    },
}


@dataclass(frozen=True)
class SlipLine:
    """One line of a slip: a lot's pay of one kind at one rate, or one correction."""

    kind: EntryKind
    lot_id: str | None
    label: str
    pieces: int
    rate_centifen: int  # exact rate per piece, 0.0001 yuan (schemas.rates)
    amount_fen: int
    rate_per: int = 1  # pieces the enterprise quoted its price for (1, 100, 1000): shown as posted
    note: str = ""  # why, for a line made by hand: an adjustment's or an approved correction's reason (issue 16)
    lot_code: str = ""  # the 批次 column: the lot as people name it ('网兜-1129-03', domain.orders.lot_codes.lot_code)


# How a payout was made, as the coordinator chose it (schemas.commands.RecordPayout.method).
PAY_METHODS: Mapping[str, tuple[str, str]] = {
    "bank": ("银行转账", "bank transfer"), "wechat": ("微信", "WeChat"), "alipay": ("支付宝", "Alipay"),
    "cash": ("现金", "cash"),
}


def method_name(method: str, lang: Lang = "zh") -> str:
    """A payout method as people say it ('bank' → 银行转账 / bank transfer); an unknown one as recorded."""
    return PAY_METHODS.get(method, (method, method))[0 if lang == "zh" else 1]


@dataclass(frozen=True)
class SlipPayment:
    """A payout recorded against the slip's period: how much, when (aware), how and its reference (e.g. a bank's)."""

    amount_fen: int
    at: datetime
    method: str
    reference: str = ""


def paid_text(payments: Sequence[SlipPayment], lang: Lang = "zh") -> str | None:
    """What was paid, as the slip says it: '已发放 ¥1,234.56（2026-12-01，银行转账，YH20261201-0001）', payouts
    joined by '；'; None when nothing was paid. Dates are Asia/Shanghai days."""
    if not payments:
        return None
    parts = []
    for p in payments:
        at = p.at if p.at.tzinfo else p.at.replace(tzinfo=UTC)  # a store without zones keeps UTC
        day = at.astimezone(CHINA).date().isoformat()
        method = method_name(p.method, lang)
        details = [x for x in (day, method, p.reference) if x]
        parts.append(f"{format_fen(p.amount_fen, lang)}（{'，'.join(details)}）" if lang == "zh"
                     else f"{format_fen(p.amount_fen, lang)} ({', '.join(details)})")
    return ("已发放 " + "；".join(parts)) if lang == "zh" else ("Paid " + "; ".join(parts))


@dataclass(frozen=True)
class PaySlip:
    """A resident's pay for one period; total is the sum of every line, corrections included."""

    resident_id: str
    resident_name: str
    community_ids: tuple[str, ...]
    period: PayPeriod
    lines: tuple[SlipLine, ...]
    corrections: tuple[SlipLine, ...]
    top_ups: tuple[SlipLine, ...]
    total_fen: int
    carries: tuple[SlipLine, ...] = ()  # debt carried in (−) and carried on (+), one line each
    debt_fen: int = 0  # carried in plus what corrections of earlier periods take back (≥ 0)
    recovered_fen: int = 0  # taken back from this period's pay (projected until the period closes)
    carried_on_fen: int = 0  # left to recover in the next period (projected until the period closes)
    # What a printed slip says (new-user trial: '高珍英（comm-001-r001）' and 'comm-001'): the name as people use it,
    # told apart only where two of the community share it (shown_name, see slip_name), and community_ids' names.
    shown_name: str = ""
    community_names: tuple[str, ...] = ()
    payments: tuple[SlipPayment, ...] = ()  # payouts recorded against the period (paid_text), oldest first

    @property
    def printed_name(self) -> str:
        """The resident as the slip names her: shown_name, else her name."""
        return self.shown_name or self.resident_name

    @property
    def printed_communities(self) -> tuple[str, ...]:
        """The communities by name (by id only for a slip built without their names)."""
        return self.community_names or self.community_ids

    @property
    def all_lines(self) -> tuple[SlipLine, ...]:
        """Every line in slip order."""
        return (*self.lines, *self.corrections, *self.top_ups, *self.carries)

    @property
    def payable_fen(self) -> int:
        """What is paid for the period: the total once closed; before, the total the close will leave."""
        has_forward = any(x.kind == CARRY_FORWARD for x in self.carries)
        return self.total_fen if has_forward else self.total_fen + self.carried_on_fen


def build_pay_slip(
    *,
    resident_id: str,
    resident_name: str,
    period: PayPeriod,
    entries: Iterable[EntryDraft],
    lot_labels: Mapping[str, str],
    final: bool = False,
    recovery_cap_bps: int = DEFAULT_RECOVERY_CAP_BPS,
    floor_fen: int = 0,
    notes: Mapping[str, str] | None = None,
    rate_bases: Mapping[str, int] | None = None,
    shown_name: str = "",
    community_names: Mapping[str, str] | None = None,
    lot_codes: Mapping[str, str] | None = None,
) -> PaySlip:
    """A resident's entries posted in the period: pay grouped per lot, corrections one by one.

    An entry reversed within the same period is left out together with its reversal (they
    cancel to the fen), so the slip shows what was earned; corrections lines are changes to
    pay already shown on an earlier slip. Debt lines (carried in, carried on) come last; a slip of a
    period not yet ``final`` projects the recovery with ``recovery_cap_bps`` and ``floor_fen``
    (see ``domain.pay.carry.recovery``); a final one reads it from the carry_forward entry.
    ``rate_bases`` (lot id → 1, 100 or 1000) shows each lot's rate per the pieces its order was quoted for.
    ``shown_name`` (see ``slip_name``) and ``community_names`` (community id → name) are what the printed slip says;
    ``lot_codes`` (lot id → the lot as people name it, domain.orders.lot_codes.lot_code) fill its 批次 column, and
    ``lot_labels`` (lot id → product) the column beside it: a slip never prints a lot id.
    A lot's line is the sum of its postings, each already rounded so that a lot's lines add up to its
    pieces × rate rounded half-up to the fen (domain.pay.money); the slip itself rounds nothing.
    """
    mine = [e for e in entries if e.resident_id == resident_id and e.period_id == period.period_id]
    keys = {e.entry_key for e in mine}
    cancelled = {e.reverses_entry_key for e in mine if e.reverses_entry_key in keys}
    grouped: defaultdict[tuple[str, EntryKind, int], list[EntryDraft]] = defaultdict(list)
    corrections: list[SlipLine] = []
    top_ups: list[SlipLine] = []
    carries: list[SlipLine] = []
    paired: set[str] = set()  # entry keys of the pairs folded into their lot's line
    for entry in mine:
        if entry.entry_key in cancelled or entry.reverses_entry_key in cancelled:
            # A lot's pay is rounded once (domain.pay.money), so a reversal can take back a fen more or less than
            # its original posted: the pair folds into the lot's line, netting to that fen, rather than vanish.
            kind = (entry.reverses_entry_key or entry.entry_key).rsplit(":", 1)[-1]
            if kind in ("piece_pay", "quality_bonus"):
                grouped[(entry.lot_id or "", kind, entry.rate_centifen)].append(entry)  # type: ignore[index]
                paired.add(entry.entry_key)
            continue
        if entry.entry_kind in ("piece_pay", "quality_bonus"):
            grouped[(entry.lot_id or "", entry.entry_kind, entry.rate_centifen)].append(entry)
        else:
            line = _line(entry.entry_kind, entry.lot_id, lot_labels, [entry], codes=lot_codes or {})
            # `notes` (by entry key) carry an approved correction's reason; an adjustment's reason is its memo.
            note = (notes or {}).get(entry.entry_key) or (entry.memo if entry.entry_kind == "adjustment" else "")
            line = replace(line, note=note) if note else line
            target = carries if entry.entry_kind in CARRY_KINDS else corrections
            (top_ups if entry.entry_kind == "wage_top_up" else target).append(line)
    bases = rate_bases or {}
    lines = [_line(kind, lot or None, lot_labels, group, bases.get(lot, 1) if kind == "piece_pay" else 1,
                   codes=lot_codes or {})
             for (lot, kind, _), group in sorted(grouped.items())
             if not _cancels_out(group, paired)]
    balance = period_balance(mine)
    forward = sum(e.amount_fen for e in mine if e.entry_kind == CARRY_FORWARD)
    communities = tuple(sorted({e.community_id for e in mine}))
    carried_on = forward if final or forward else recovery(
        debt_fen=balance.debt_fen, gross_fen=balance.gross_fen, floor_fen=floor_fen,
        cap_bps=recovery_cap_bps).carried_on_fen
    return PaySlip(
        resident_id=resident_id,
        resident_name=resident_name,
        community_ids=communities,
        period=period,
        lines=tuple(lines),
        corrections=tuple(sorted(corrections, key=lambda c: (c.lot_id or "", c.kind))),
        top_ups=tuple(top_ups),
        total_fen=sum(e.amount_fen for e in mine),
        carries=tuple(sorted(carries, key=lambda c: c.kind)),  # "carried_in" sorts before "carry_forward"
        debt_fen=balance.debt_fen,
        recovered_fen=balance.debt_fen - carried_on,
        carried_on_fen=carried_on,
        shown_name=shown_name,
        community_names=tuple(community_names.get(c, c) for c in communities) if community_names else (),
    )


def slip_name(name: str, *, namesakes: Collection[str | None], phone: str | None, resident_id: str) -> str:
    """The resident as a printed slip names her: her name; where other residents of her community have the same
    name (`namesakes`: their phones, None for one without), told apart by the last four digits of her phone
    ('王秀英（尾号5678）', as the dashboard does; more digits where a namesake's phone ends the same, see
    domain.people.telling_tail) or, without a phone, by her resident number, which is no personal data."""
    if not namesakes:
        return name
    tail = telling_tail(phone, namesakes)
    return f"{name}（尾号{tail}）" if tail else f"{name}（编号{resident_id}）"


def slip_header(slip: PaySlip, lang: Lang = "zh") -> list[tuple[str, str]]:
    """The lines above a slip's table, as (label, value): who, where, which period."""
    words = WORDS[lang]
    last_day = slip.period.ends_at - timedelta(days=1)
    return [
        (words["name"], slip.printed_name),
        (words["community"], ("、" if lang == "zh" else ", ").join(slip.printed_communities)),
        (words["period"], _bracket(period_name(slip.period.period_id, lang),  # '2026年11月下半月（2026-11-16 – …）'
                                   f"{slip.period.starts_at:%Y-%m-%d} – {last_day:%Y-%m-%d}", lang)),
    ]


def _cancels_out(group: Sequence[EntryDraft], paired: set[str]) -> bool:
    """A line made only of entries and their reversals, netting to nothing: left off the slip."""
    return (all(e.entry_key in paired for e in group) and sum(e.amount_fen for e in group) == 0
            and sum(e.pieces for e in group) == 0)


def _line(
    kind: EntryKind, lot_id: str | None, labels: Mapping[str, str], group: Sequence[EntryDraft], per: int = 1, *,
    codes: Mapping[str, str],
) -> SlipLine:
    label = labels.get(lot_id, "") if lot_id else ""
    pieces = sum(e.pieces for e in group)
    return SlipLine(kind, lot_id, label, pieces, group[0].rate_centifen, sum(e.amount_fen for e in group), per,
                    lot_code=codes.get(lot_id, "") if lot_id else "")


def format_fen(fen: int, lang: Lang = "zh") -> str:
    """Fen as yuan for people: "¥1,234.56", "-¥3.00"; Babel when installed, same result without."""
    if format_currency is None:
        return f"{'-' if fen < 0 else ''}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"
    # en would print "CN¥"; residents know the plain "¥" sign, so pin the pattern.
    locale = "zh_CN" if lang == "zh" else "en"
    return str(format_currency(Decimal(fen).scaleb(-2), "CNY", locale=locale, format="¥#,##0.00;-¥#,##0.00"))


def _yuan(fen: int) -> str:
    """Plain yuan for spreadsheets: "1234.56", exact."""
    return f"{Decimal(fen).scaleb(-2):.2f}"


def _rate_yuan(rate_centifen: int) -> str:
    """A rate per piece as plain yuan for spreadsheets, exact: "0.035", "0.35" (2 to 4 decimals)."""
    text = f"{Decimal(rate_centifen).scaleb(-4):.4f}".rstrip("0")
    return text if len(text.split(".")[1]) >= 2 else f"{Decimal(rate_centifen).scaleb(-4):.2f}"


def _label(line: SlipLine) -> str:
    """The product, and the reason of a line made by hand (an adjustment, an approved correction)."""
    return f"{line.label}（{line.note}）" if line.label and line.note else line.label or line.note


def _bracket(text: str, aside: str, lang: Lang) -> str:
    return f"{text} ({aside})" if lang == "en" else f"{text}（{aside}）"


def _kind(kind: EntryKind, lang: Lang) -> str:
    return KIND_LABELS[kind][0 if lang == "zh" else 1]


def slip_to_csv(slip: PaySlip, lang: Lang = "zh") -> str:
    """The slip's lines as CSV (amounts in yuan), ending with the total; prefix a BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[lang])
    for line in slip.all_lines:
        pieces = str(line.pieces) if line.kind not in NO_PIECES else ""
        rate = _rate_yuan(line.rate_centifen) if line.kind not in NO_PIECES else ""
        writer.writerow(
            [csv_safe(line.lot_code), csv_safe(_label(line)), _kind(line.kind, lang), pieces, rate,
             _yuan(line.amount_fen)]
        )
    writer.writerow([WORDS[lang]["total"], "", "", "", "", _yuan(slip.total_fen)])
    for key, fen in _debt_rows(slip):
        writer.writerow([WORDS[lang][key], "", "", "", "", _yuan(fen)])
    return out.getvalue()


def _debt_rows(slip: PaySlip) -> list[tuple[str, int]]:
    """The debt summary under the total (not ledger lines): debt, recovered now, carried on; none without debt."""
    if slip.debt_fen == 0:
        return []
    return [("debt", slip.debt_fen), ("recovered", slip.recovered_fen), ("carried_on", slip.carried_on_fen)]


def slip_to_pdf(
    slip: PaySlip,
    font_path: str = DEFAULT_FONT_PATH,
    *,
    font_index: int | None = None,
    lang: Lang = "zh",
    issued_at: datetime | None = None,
) -> bytes:
    """One slip as a PDF with an embedded CJK font, so Chinese renders on any reader."""
    return slips_to_pdf([slip], font_path, font_index=font_index, lang=lang, issued_at=issued_at)


def slips_to_pdf(
    slips: Sequence[PaySlip],
    font_path: str = DEFAULT_FONT_PATH,
    *,
    font_index: int | None = None,
    lang: Lang = "zh",
    issued_at: datetime | None = None,
) -> bytes:
    """Many slips, one per page: the CJK font is parsed once, which dominates the cost."""
    from fpdf import FPDF  # here, not at the top: a third of a second of every process's start (worker, relay, API)

    if font_index is None:
        font_index = DEFAULT_FONT_INDEX if font_path == DEFAULT_FONT_PATH else 0
    pdf = FPDF(format="A4")
    # The clock is an argument here too: default to the period's end, so output is reproducible.
    pdf.set_creation_date(
        issued_at or (slips[0].period.ends_at if slips else datetime(2000, 1, 1, tzinfo=UTC))
    )
    pdf.add_font("slip", fname=font_path, collection_font_number=font_index)
    for slip in slips:
        _draw_slip(pdf, slip, lang)
    return bytes(pdf.output())


def _draw_slip(pdf: FPDF, slip: PaySlip, lang: Lang) -> None:
    """One page: who, where, when, then the lines and the total."""
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    words = WORDS[lang]
    pdf.add_page()
    pdf.set_font("slip", size=18)
    pdf.cell(text=words["title"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("slip", size=11)
    for label, value in slip_header(slip, lang):
        pdf.cell(text=f"{label}：{value}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    align = ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT")
    # Regular weight headings: only one face of the CJK font is embedded.
    headings = FontFace(emphasis="", fill_color=(235, 235, 235))
    widths = (22, 40, 22, 18, 18, 24)
    with pdf.table(col_widths=widths, text_align=align, headings_style=headings) as table:
        table.row(HEADERS[lang])
        for line in slip.all_lines:
            top_up = line.kind in NO_PIECES
            table.row(
                (
                    line.lot_code,
                    _label(line),
                    _kind(line.kind, lang),
                    "" if top_up else str(line.pieces),
                    "" if top_up or not line.rate_centifen else format_rate(line.rate_centifen, line.rate_per, lang),
                    format_fen(line.amount_fen, lang),
                )
            )
        table.row((words["total"], "", "", "", "", format_fen(slip.total_fen, lang)))
        for key, fen in _debt_rows(slip):
            table.row((words[key], "", "", "", "", format_fen(fen, lang)))
    paid = paid_text(slip.payments, lang)
    if paid:
        pdf.ln(2)
        pdf.multi_cell(w=0, text=paid, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
