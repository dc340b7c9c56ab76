"""A row of a spreadsheet import as the preview shows it: under the template's headers (docs/spreadsheets.md: 姓名,
手机号, …), each value as people write it (技能: 包装 2级; 可工作时间: 周一 09:00–11:30; 是/否; ¥), never a Python
value ('None', "{'packing': 2}", 'Slot(weekday=0, …)') or a field name (new-user trial)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dashboard.format import due, money, rate
from domain.matching.explain import SKILL_NAMES_ZH
from domain.orders.csv_columns import ORDER_COLUMNS, RESIDENT_COLUMNS, SITE_COLUMNS, Column
from domain.orders.csv_fields import Slot
from domain.orders.masking import mask_id_number, mask_phone

COLUMNS = {"residents": RESIDENT_COLUMNS, "sites": SITE_COLUMNS, "orders": ORDER_COLUMNS}
# A row's field under the column that fills it, where the names differ.
COLUMN_OF = {"reachable_site_ids": "reachable_sites", "eligible_community_ids": "eligible_communities",
             "eligible_site_ids": "eligible_sites", "piece_rate_centifen": "piece_rate_yuan",
             "quality_bonus_fen_per_piece": "quality_bonus_yuan"}
WORDS = {  # coded cell values as the template's Chinese readers write them
    "work_mode": {"onsite": "到场", "home": "居家", "either": "均可"},
    "kind": {"workshop": "社区微工厂", "home": "家庭微车间"},
}
WEEKDAYS = {"zh": tuple(f"周{d}" for d in "一二三四五六日"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def preview_row(kind: str, row: Any, lang: str = "zh") -> dict[str, str]:
    """`row` (a ResidentRow, SiteRow or OrderRow) as {template header: value as people read it}, in column order."""
    fields = dataclasses.asdict(row)
    if "draft" in fields:  # an order line: its reference, then the order as drafted
        fields = {"order_ref": fields["order_ref"], **fields["draft"]}
    per = int(fields.pop("rate_per", 1) or 1)
    values = {COLUMN_OF.get(name, name): cell(name, value, lang, per=per) for name, value in fields.items()}
    columns: tuple[Column, ...] = COLUMNS[kind]
    return {c.name if lang == "en" else c.zh[0]: values[c.name] for c in columns if c.name in values}


def cell(name: str, value: Any, lang: str = "zh", *, per: int = 1) -> str:
    """One value of a parsed row as text: '' for nothing, 是/否, names for codes, masked phone and ID numbers."""
    zh = lang != "en"
    if value is None or value == "" or value == () or value == {}:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if name == "phone":
        return mask_phone(value)
    if name == "id_number":
        return mask_id_number(value)
    if name == "skills":
        return skills(value, lang)
    if name in ("availability", "opening_hours"):
        return slots(value, lang)
    if name == "piece_rate_centifen":
        return rate(int(value), per, lang)
    if name == "quality_bonus_fen_per_piece":
        return money(int(value), lang)
    if isinstance(value, datetime):
        return due(value, lang)
    if name in WORDS and zh:
        return WORDS[name].get(value, value)
    if isinstance(value, list | tuple):
        return ("、" if zh else ", ").join(str(v) for v in value)
    return str(value)


def skills(levels: Mapping[str, int], lang: str = "zh") -> str:
    """{'packing': 2, 'sewing': 1} → '包装 2级；缝纫 1级' ('packing level 2; sewing level 1' in English)."""
    if lang == "en":
        return "; ".join(f"{skill} level {level}" for skill, level in levels.items())
    return "；".join(f"{SKILL_NAMES_ZH.get(skill, skill)} {level}级" for skill, level in levels.items())


def slots(windows: Any, lang: str = "zh") -> str:
    """Weekly windows → '周一 09:00–11:30；周三 14:00–17:00', days in a row with the same hours as one:
    '周一至周五 13:30–16:30' ('Mon–Fri 13:30–16:30' in English)."""
    en = lang == "en"
    names = WEEKDAYS["en" if en else "zh"]
    hours: dict[tuple[int, int], list[int]] = {}
    for s in map(_slot, windows):
        hours.setdefault((s.start_minute, s.end_minute), []).append(s.weekday)
    parts = []
    for (start, end), days in hours.items():
        days = sorted(days)
        if len(days) > 1 and days == list(range(days[0], days[-1] + 1)):
            named = f"{names[days[0]]}{'–' if en else '至'}{names[days[-1]]}"
        else:
            named = (", " if en else "、").join(names[d] for d in days)
        parts.append(f"{named} {_clock(start)}–{_clock(end)}")
    return ("; " if en else "；").join(parts)


def _slot(window: Any) -> Slot:
    return window if isinstance(window, Slot) else Slot(*window)  # asdict turns a Slot into a plain tuple


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
