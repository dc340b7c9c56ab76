"""An enterprise's own order template: the import's columns under their Chinese headers, filled with its data.

Pure: what the enterprise is (id, credit code), where it may send work (communities, sites) and what it makes
(products) come in; a Sheet goes out, written as CSV or a workbook by the same writers as every other template
(usecases.queries.exports.sheet_to_csv, domain.sheets.write_xlsx). The header and the cells come from the one
column list the import reads (domain.orders.csv_columns.ORDER_COLUMNS), so the file imports as it was
downloaded once the enterprise has written its order number and rate into the row (issue 15).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.orders.csv_columns import ORDER_COLUMNS
from domain.sheets import Sheet

DUE_FORMAT = "%Y-%m-%d %H:%M"  # Asia/Shanghai wall time, as the import reads it
SHEET_TITLE = "订单"
# The cells only the enterprise can fill in: its own purchase-order number and the rate it pays.
LEFT_FOR_THE_ENTERPRISE = ("order_ref", "piece_rate_yuan")


def order_template(*, enterprise_id: str, uscc: str, community_ids: Sequence[str], site_ids: Sequence[str],
                   product_codes: Sequence[str], due_local: datetime) -> Sheet:
    """The template as one sheet: the Chinese header row of ORDER_COLUMNS and ONE order row to fill in.

    One row, not one per product: a file whose other rows were left as downloaded could never import (the import
    takes every row or none), so the enterprise copies the row for another product. The row asks for 100 pieces of
    the first product, due at `due_local` (naive or aware local time, written as DUE_FORMAT), sent to every
    community given, picked up at the first site; LEFT_FOR_THE_ENTERPRISE stay empty. Every column is text, so a
    credit code or a date is kept as typed when the workbook is saved again. Raises nothing: empty inputs give
    empty cells.
    """
    values = {
        "enterprise_id": enterprise_id, "uscc": uscc, "product_code": product_codes[0] if product_codes else "",
        "quantity": "100", "due_at": due_local.strftime(DUE_FORMAT),
        "eligible_communities": ";".join(community_ids), "take_home_allowed": "是", "min_level": "1",
        "training_required": "否", "pickup_site_id": site_ids[0] if site_ids else "", "quality_bonus_yuan": "0",
    }
    header = [c.zh[0] for c in ORDER_COLUMNS]
    row: list[str | None] = [values.get(c.name, "") for c in ORDER_COLUMNS]
    return Sheet(title=SHEET_TITLE, header=header, rows=[row], text_columns=frozenset(range(len(header))))
