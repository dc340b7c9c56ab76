"""Administrative divisions (行政区划, GB/T 2260): a six-digit code, or a Chinese name as people write it.

"历下区", "历下", "济南市历下区", "济南历下" and "370102" are one division; the pinyin city keys the product
used before ("jinan") are aliases. A name two listed divisions share ("市中区") is refused as ambiguous, naming
both, rather than taken for one of them. Pure: the names come in as text (usecases reads the data file).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

# The two digits a GB/T 2260 code starts with: its province (or Taiwan, Hong Kong, Macao). A code outside them
# names nothing ("000000" and "999999" were taken as divisions and given minimum wages).
PROVINCES = frozenset(["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                       "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
                       "65", "71", "81", "82"])
# Longest first, so "浦东新区" loses "新区" and not only "区".
SUFFIXES = ("自治县", "新区", "省", "市", "区", "县")


class UnknownDivision(ValueError):
    """The text names no listed division, or more than one; `reason` says which in Chinese, then English."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def short(name: str) -> str:
    """A name without its 省/市/区/县 ending ("济南市" → "济南"); a name that is only a suffix stays as it is."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def canonical(text: str) -> str:
    """Full-width to ASCII, spaces out, lower case: how a typed division is compared."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass(frozen=True)
class Divisions:
    """Codes to names, and every spelling (name, short name, with its city or province before it) to codes."""

    names: Mapping[str, str]
    spellings: Mapping[str, frozenset[str]]

    def resolve(self, text: str) -> str:
        """The six-digit code `text` means; raises UnknownDivision (Chinese first) when none or several."""
        key = canonical(text)
        if len(key) == 6 and key.isascii() and key.isdigit() and key[:2] in PROVINCES:
            return key
        codes = self.spellings.get(key, frozenset())
        if len(codes) == 1:
            return next(iter(codes))
        if codes:
            both = "、".join(f"{self.full_name(c)}（{c}）" for c in sorted(codes))
            raise UnknownDivision(f"「{text}」有多个同名行政区划：{both}，请写上所属城市或填六位代码 "
                                  f"({text!r} names several divisions: give the city too, or the code)")
        raise UnknownDivision(f"未知的行政区划「{text}」，请填六位行政区划代码 (GB/T 2260) 或区县全称 "
                              f"(unknown division {text!r}: give the six-digit GB/T 2260 code or the full name)")

    def full_name(self, code: str) -> str:
        """'山东省济南市历下区' for 370102, from the names listed (a code not listed is shown as itself)."""
        parts = dict.fromkeys((code[:2] + "0000", code[:4] + "00", code))
        return "".join(self.names.get(c, "") for c in parts) or code


def parse_divisions(text: str) -> Divisions:
    """Divisions from a file in divisions.csv's columns: code, name, aliases ('|'-separated); '#' lines skipped."""
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(keepends=True)
                                              if not line.lstrip().startswith("#"))))
    names = {r["code"].strip(): r["name"].strip() for r in rows}
    spellings: defaultdict[str, set[str]] = defaultdict(set)
    aliases = _aliases(text)
    for code, name in names.items():
        parents = [names[p] for p in dict.fromkeys((code[:2] + "0000", code[:4] + "00")) if p != code and p in names]
        own = {name, short(name)}
        before = {*parents, *map(short, parents), "".join(parents), "".join(map(short, parents))}
        for spelling in own | {p + o for p in before for o in own}:
            spellings[canonical(spelling)].add(code)
        for alias in aliases.get(code, ()):
            spellings[canonical(alias)].add(code)
    return Divisions(names=names, spellings={k: frozenset(v) for k, v in spellings.items()})


def _aliases(text: str) -> dict[str, list[str]]:
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(keepends=True)
                                              if not line.lstrip().startswith("#"))))
    return {r["code"].strip(): [a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()] for r in rows}
