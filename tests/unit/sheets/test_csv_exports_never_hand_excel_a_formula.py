"""Attack on the exports: a resident imported from a spreadsheet as "=cmd|' /C calc'!A0" (the import takes it) reached
the payout batch's CSV (GET /communities/{id}/payout-batches/{period}?format=csv, written by sheet_to_csv) as it
was, and Excel or WPS opening it would run it as a formula (CSV injection). Such a cell now starts with an
apostrophe, so it shows as the text it is; amounts like -1.50 and a lone '-' stay as they are."""

from __future__ import annotations

import csv
import io

from domain.sheets import Sheet
from usecases.queries.exports import sheet_to_csv


def test_names_that_look_like_formulas_are_text_in_a_csv_sheet() -> None:
    sheet = Sheet("发放清单", ["姓名", "金额"], [["=cmd|' /C calc'!A0", "-1.50"], ["@SUM(1+1)", "3"], ["王秀英", "-"]])
    rows = list(csv.reader(io.StringIO(sheet_to_csv(sheet))))
    assert rows[1:] == [["'=cmd|' /C calc'!A0", "-1.50"], ["'@SUM(1+1)", "3"], ["王秀英", "-"]]
