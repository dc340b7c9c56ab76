"""Things named as people name them: lots by short code and product, people by name, periods in words.

No raw ids reach the page: a lot without a short code (made before codes existed) reads '串珠手链-第3批'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from dashboard import ui
from dashboard.coordinator_text import t
from domain.orders import lot_codes
from domain.pay.periods import period_name
from domain.people import telling_tail
from domain.workload import Plate
from usecases.queries.views import LotView, ResidentView


def lot_code(lot: LotView) -> str:
    """'网兜-1129-03'; an older lot without a code by its product and number (domain.orders.lot_codes.lot_code, which
    the pay slips print too)."""
    return lot_codes.lot_code(short_code=lot.short_code, product_name=lot.product_name, lot_no=lot.lot_no)


def lot_label(lot: LotView, people: dict[str, str]) -> str:
    """For pickers: '网兜-1129-03 · 编织网兜 · 王秀英' (the resident holding or offered it, when there is one)."""
    parts = [lot_code(lot), lot.product_name]
    if lot.resident_id:
        parts.append(people.get(lot.resident_id, ""))
    return " · ".join(p for p in parts if p)


def people_names(residents: Iterable[ResidentView]) -> dict[str, str]:
    """resident id → the name to show; two people of one name are told apart by the last four digits of the phone
    ('王秀英（尾号5678）'), where those are the same by the phone as masked for the coordinator
    ('王秀英（138****5678）'), and where that is the same too, or she has no phone, by a number
    ('王秀英（无手机·2）')."""
    rows = list(residents)
    phones: dict[str, list[str | None]] = {}
    for r in rows:
        phones.setdefault(r.name, []).append(r.phone)
    out: dict[str, str] = {}
    for r in rows:
        if len(phones[r.name]) == 1:
            out[r.id] = r.name
            continue
        others = [p for p in phones[r.name] if p != r.phone]
        tail = telling_tail(r.phone, others)
        if tail:
            out[r.id] = f"{r.name}（尾号{tail}）"
        elif r.phone and r.phone not in others:  # masked ('138****6417'): the same last digits, another start
            out[r.id] = f"{r.name}（{r.phone}）"
        else:
            out[r.id] = f"{r.name}（{r.phone or '无手机'}·{_n(out, r.name)}）"
    return out


def distinct_names(named: Iterable[tuple[str, str, str]], *, en: bool = False) -> dict[str, str]:
    """(id, name, hint) → {id: what to show}: the name alone, as people name a community, site or product; a name
    two of them share gets its hint — something a person knows, such as the street — in brackets:
    '第1社区（桃源街道）', and a number after the hint when the hints are the same too. Never the id."""
    rows = list(named)
    names, both = Counter(n for _, n, _ in rows), Counter((n, h) for _, n, h in rows)
    left, right = (" (", ")") if en else ("（", "）")
    out: dict[str, str] = {}
    count: Counter[tuple[str, str]] = Counter()
    for key, name, hint in rows:
        if names[name] == 1:
            out[key] = name
            continue
        count[(name, hint)] += 1
        extra = [hint] if hint else []
        if both[(name, hint)] > 1:
            extra.append(str(count[(name, hint)]))
        out[key] = f"{name}{left}{'·'.join(extra)}{right}"
    return out


def _n(out: dict[str, str], name: str) -> int:
    return 1 + sum(1 for v in out.values() if v.startswith(name))


def period_label(period_id: str) -> str:
    """'2026-10-B' → '2026年10月下半月', '2026-10' → '2026年10月', '2026-W44' → '2026年第44周', in the page's language:
    domain.pay.periods.period_name, which the files and slips the domain prints use too."""
    return period_name(period_id, ui.lang())


def load_label(plate: Plate | None) -> str:
    """A resident's load as the matching rules count it (domain.workload.Plate): '在手 2 批 150 件（含待答复 1 批）',
    or '空闲' for nothing held or offered."""
    if plate is None or plate.lots == 0:
        return t("load.free")
    text = t("load.busy", lots=plate.lots, pieces=plate.pieces)
    return text + (t("load.offered", n=plate.offered) if plate.offered else "")
