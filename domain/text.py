"""Free text people type (reasons, notes): what of it can be seen."""

from __future__ import annotations

import unicodedata


def visible_text(raw: str) -> str:
    """`raw` without surrounding space and without invisible characters (zero-width, controls, BOM).

    A reason made only of spaces or zero-width characters is no reason: callers refuse an empty result.
    """
    kept = "".join(c for c in raw if unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cn"))
    return kept.strip()
