"""Defect codes (缺陷代码) with their Chinese names: a product's entry reads 'D01 松结' (code, space, name).

A product registered with bare codes ('LOOSE') still works: the code is the entry, and its name comes from the
common names below, or is the code itself when nobody has named it. Inspections record the code alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_PAPER_CODE = re.compile(r"^[A-Za-z]{0,2}\d{1,4}$")  # D01, Q12, 07

# Names for the bare codes earlier products were registered with, so an inspector never meets an English word.
COMMON_NAMES: dict[str, str] = {
    "LOOSE": "松脱", "WRONG_COLOR": "颜色不符", "BROKEN": "破损", "KNOT": "结头不良", "SIZE": "尺寸不符",
    "DIRTY": "脏污", "MISSING": "缺件", "SEAL": "封口不良", "STITCH": "线迹不良", "STAIN": "污渍",
    "SCRATCH": "划痕", "COLOR": "颜色不符", "CRACK": "裂纹", "BURR": "毛刺",
}


@dataclass(frozen=True)
class Defect:
    """One of a product's defect codes: `code` as recorded, `name` as shown (Chinese)."""

    code: str
    name: str

    @property
    def label(self) -> str:
        """For a picker: 'D01 松结' when the code is a short number people write on paper; the name alone when the
        code is a word ('LOOSE'), so no English reaches the inspector."""
        if self.name == self.code or not _PAPER_CODE.match(self.code):
            return self.name
        return f"{self.code} {self.name}"


def parse_defect(entry: str) -> Defect:
    """'D01 松结' → Defect('D01', '松结'); a bare 'LOOSE' → Defect('LOOSE', '松脱'). ValueError on an empty entry."""
    code, _, name = entry.strip().partition(" ")
    if not code:
        raise ValueError("a defect code must not be empty")
    return Defect(code=code, name=name.strip() or COMMON_NAMES.get(code.upper(), code))


def product_defects(entries: Iterable[str]) -> list[Defect]:
    """A product's defect codes, in the order the product lists them."""
    return [parse_defect(str(e)) for e in entries if str(e).strip()]


def codes_of(given: Sequence[str], entries: Iterable[str]) -> tuple[list[str], list[str]]:
    """(codes, unknown): each given code or whole entry ('D01' or 'D01 松结') as its code; unknown ones apart."""
    by_entry = {}
    for d in product_defects(entries):
        by_entry[d.code] = d.code
        by_entry[f"{d.code} {d.name}"] = d.code
    codes = [by_entry[g.strip()] for g in given if g.strip() in by_entry]
    unknown = [g for g in given if g.strip() not in by_entry]
    return list(dict.fromkeys(codes)), unknown


def defect_names(codes: Iterable[str], entries: Iterable[str]) -> list[str]:
    """The Chinese names of recorded `codes` for a product with these `entries` (a code it lacks named as common)."""
    known = {d.code: d.name for d in product_defects(entries)}
    return [known.get(code) or parse_defect(code).name for code in codes]
