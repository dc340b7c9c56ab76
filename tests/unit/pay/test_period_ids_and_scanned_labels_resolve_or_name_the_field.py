"""A period id says which policy cut it; a scanned lot label resolves to its lot or the error names `qr`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.orders.labels import lot_check_code, lot_qr_payload
from domain.pay import PayInputError
from schemas import commands as c
from usecases.errors import Rejected
from usecases.queries.period_work import parse_period
from usecases.work import scanned_lot_id

SECRET = "label-secret"


@pytest.mark.parametrize(("period_id", "starts_utc"), [
    ("2026-11-B", datetime(2026, 11, 15, 16, tzinfo=UTC)),  # the 16th at Shanghai midnight
    ("2026-12", datetime(2026, 11, 30, 16, tzinfo=UTC)),
    ("2026-W48", datetime(2026, 11, 22, 16, tzinfo=UTC)),
])
def test_each_period_id_parses_by_its_own_policy(period_id: str, starts_utc: datetime) -> None:
    period = parse_period(period_id)
    assert period.period_id == period_id and period.starts_at == starts_utc


def test_a_malformed_period_id_names_the_field() -> None:
    with pytest.raises(PayInputError) as bad:
        parse_period("2026-13-A")
    assert bad.value.field == "period_id"


def test_a_genuine_label_gives_its_lot() -> None:
    label = lot_qr_payload("lot-7", lot_check_code("lot-7", SECRET))
    assert scanned_lot_id(c.IssueMaterials(qr=label, resident_id="r", pieces=1), SECRET) == "lot-7"
    assert scanned_lot_id(c.IssueMaterials(lot_id="lot-7", resident_id="r", pieces=1), SECRET) == "lot-7"


@pytest.mark.parametrize(("qr", "lot_id", "field"), [
    (lot_qr_payload("lot-7", lot_check_code("lot-7", "other-secret")), None, "qr"),
    ("https://example.com/lot-7", None, "qr"),
    (lot_qr_payload("lot-7", lot_check_code("lot-7", SECRET)), "lot-8", "lot_id"),
    (None, None, "lot_id"),
])
def test_a_forged_foreign_mismatched_or_missing_label_is_refused(qr: str | None, lot_id: str | None,
                                                                  field: str) -> None:
    with pytest.raises(Rejected) as refused:
        scanned_lot_id(c.IssueMaterials(qr=qr, lot_id=lot_id, resident_id="r", pieces=1), SECRET)
    assert refused.value.field == field
