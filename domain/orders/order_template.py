"""An enterprise's own order template: the import's columns under their Chinese headers, filled with its data.

Pure: what the enterprise is (id, credit code), where it may send work (communities, sites) and what it makes
(products) come in; a header and example rows go out, ready for CSV or a workbook. The import reads these
Chinese headers as the English columns (domain.orders.csv_columns), so a filled-in template imports as is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from domain.orders.csv_columns import ORDER_COLUMNS

DUE_FORMAT = "%Y-%m-%d %H:%M"  # Asia/Shanghai wall time, as the import reads it


def order_template(*, enterprise_id: str, uscc: str, community_ids: Sequence[str], site_ids: Sequence[str],
                   product_codes: Sequence[str], due_local: datetime) -> tuple[list[str], list[list[str]]]:
    """The Chinese header row and one example row per product (at least one row, even with no product).

    The example asks for 100 pieces, due at `due_local` (naive or aware local time, written as DUE_FORMAT),
    sent to every community given, picked up at the first site; the order number column is left for the
    enterprise's own purchase-order number. Raises nothing: empty inputs give empty cells.
    """
    header = [c.zh[0] for c in ORDER_COLUMNS]
    values = {
        "order_ref": "", "enterprise_id": enterprise_id, "uscc": uscc, "quantity": "100",
        "piece_rate_yuan": "", "due_at": due_local.strftime(DUE_FORMAT),
        "eligible_communities": ";".join(community_ids), "eligible_sites": "", "take_home_allowed": "是",
        "min_level": "1", "training_required": "否", "pickup_site_id": site_ids[0] if site_ids else "",
        "quality_bonus_yuan": "0",
    }
    rows = [[(code if c.name == "product_code" else values.get(c.name, "")) for c in ORDER_COLUMNS]
            for code in (product_codes or [""])]
    return header, rows


def template_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel and WPS open the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
