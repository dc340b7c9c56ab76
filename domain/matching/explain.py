"""Why an offer was made, in plain words a resident can read on a phone (Chinese by default)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Literal

from domain.matching.availability import zone
from domain.matching.model import Proposal, Reason

Lang = Literal["zh", "en"]
TZ = "Asia/Shanghai"
SKILL_NAMES_ZH = {
    "beading": "串珠",
    "sewing": "缝纫",
    "weaving": "编织",
    "net_bag": "编网兜",
    "knitting": "针织",
    "embroidery": "刺绣",
    "assembly": "组装",
    "packing": "包装",
    "gluing": "粘贴",
    "trimming": "剪线头",
}
_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def explain(proposal: Proposal, lang: Lang = "zh", *, skill_names: Mapping[str, str] | None = None) -> str:
    """The proposal's reasons as one sentence in `lang`, most decisive reason first."""
    names = {**SKILL_NAMES_ZH, **(skill_names or {})} if lang == "zh" else dict(skill_names or {})
    render = _ZH if lang == "zh" else _EN
    parts = [render[r.code](r, names) for r in proposal.reasons if r.code in render]
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def date_zh(at: datetime) -> str:
    """11月27日（周五）, in Shanghai time."""
    local = at.astimezone(zone(TZ))
    return f"{local.month}月{local.day}日（周{_WEEKDAYS_ZH[local.weekday()]}）"


def date_en(at: datetime) -> str:
    """Fri 27 Nov, in Shanghai time."""
    local = at.astimezone(zone(TZ))
    return f"{_WEEKDAYS_EN[local.weekday()]} {local.day} {_MONTHS_EN[local.month - 1]}"


def _when(reason: Reason, key: str) -> datetime:
    return datetime.fromisoformat(str(reason.param(key)))


def _minutes(reason: Reason) -> float:
    return float(str(reason.param("minutes") or 0))


Renderer = Callable[[Reason, Mapping[str, str]], str]

_ZH: dict[str, Renderer] = {
    "dispatched_by_coordinator": lambda r, n: "社区工作者把这批活指派给你",
    "skill": lambda r, n: f"你有{n.get(str(r.param('skill')), r.param('skill'))}{r.param('level')}级技能",
    "below_fair_share": lambda r, n: "你本期每小时收入比同技能的邻居低",
    "priority_group": lambda r, n: "你属于优先照顾的人群",
    "can_finish_by": lambda r, n: (
        f"你可以在{date_zh(_when(r, 'due_at'))}前完成（预计{date_zh(_when(r, 'finish_at'))}做完）"
    ),
    "take_home": lambda r, n: "可以带回家做",
    "short_travel": lambda r, n: (  # a trip under a minute is not "0分钟"
        f"到微工厂只要{r.param('minutes')}分钟" if _minutes(r) >= 1 else "到微工厂不到1分钟"
    ),
    "travel": lambda r, n: f"到微工厂要{r.param('minutes')}分钟",
}

_EN: dict[str, Renderer] = {
    "dispatched_by_coordinator": lambda r, n: "your community coordinator assigned this lot to you",
    "skill": lambda r, n: (
        f"you have the skill ({n.get(str(r.param('skill')), r.param('skill'))}, level {r.param('level')})"
    ),
    "below_fair_share": lambda r, n: (
        "your income per hour offered this period is below that of neighbours with the same skill"
    ),
    "priority_group": lambda r, n: "you are in a priority group",
    "can_finish_by": lambda r, n: (
        f"you can finish by {date_en(_when(r, 'due_at'))} (expected {date_en(_when(r, 'finish_at'))})"
    ),
    "take_home": lambda r, n: "you can work on it at home",
    "short_travel": lambda r, n: (
        f"the workshop is only {r.param('minutes')} minutes away" if _minutes(r) >= 1
        else "the workshop is less than a minute away"
    ),
    "travel": lambda r, n: f"the workshop is {r.param('minutes')} minutes away",
}
