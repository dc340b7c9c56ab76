"""A number of pieces someone typed (件数), checked on the page before any use case runs: one rule for every form
that takes a count — the coordinator's 发料 and 代交货, the resident's 交货.

Its inputs have no min_value/max_value: with them the browser clamps or empties what she typed (300 against
'最多 80 件' came back as an empty field and nothing said), so the page says what is wrong instead.
"""

from __future__ import annotations

from dashboard import ui


def checked(value: object, *, most: int, field: str) -> int | str:
    """`value` as a count of 1 to `most` pieces, or why it is not one, as one sentence naming the field
    ('交货件数：300 件太多了：最多 80 件。')."""
    if value is None or value == "":
        return ui.t("count.need", field=field)
    if not isinstance(value, int | float) or isinstance(value, float) and not value.is_integer():
        return ui.t("count.whole", field=field, n=value)
    n = int(value)
    if n < 1:
        return ui.t("count.too_few", field=field, n=n)
    if n > most:
        return ui.t("count.too_many", field=field, n=n, most=most)
    return n
