"""Lot labels: check codes need the secret, QR payloads round-trip, the SVG shows the lot."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from domain.orders.labels import (
    LotQrError,
    lot_check_code,
    lot_label_svg,
    lot_qr_payload,
    parse_lot_qr,
    qr_matrix,
    verify_lot_code,
)

SECRET = "label-secret-for-tests"
LOT = "PO-2025-0001-L001"


def test_check_code_is_six_unambiguous_characters() -> None:
    code = lot_check_code(LOT, SECRET)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{6}", code)
    assert lot_check_code(LOT, SECRET) == code


def test_a_code_verifies_only_for_its_lot_and_secret() -> None:
    code = lot_check_code(LOT, SECRET)
    assert verify_lot_code(LOT, code, SECRET)
    assert not verify_lot_code("PO-2025-0001-L002", code, SECRET)
    assert not verify_lot_code(LOT, code, "another-secret")


def test_typed_codes_forgive_case_and_look_alike_letters() -> None:
    code = lot_check_code(LOT, SECRET)
    typed = code.lower().replace("0", "o").replace("1", "l")
    assert verify_lot_code(LOT, f" {typed} ", SECRET)


def test_garbage_codes_are_rejected_not_crashed() -> None:
    assert not verify_lot_code(LOT, "批次码", SECRET)
    assert not verify_lot_code(LOT, "", SECRET)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        lot_check_code(LOT, "")


def test_qr_payload_round_trips() -> None:
    code = lot_check_code(LOT, SECRET)
    payload = lot_qr_payload(LOT, code)
    assert payload == f"MF1:{LOT}:{code}"
    assert parse_lot_qr(payload) == (LOT, code)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("https://example.com/x", "not a lot label"),
        ("MF1:PO-1-L001", "got 2 parts"),
        ("MF1::ABC123", "lot id is empty"),
        ("MF1:PO-1-L001:ABC", "check code must be 6"),
        ("MF1:PO-1-L001:ABCDEI", "check code must be 6"),
    ],
)
def test_parsing_a_foreign_payload_says_what_is_wrong(payload: str, reason: str) -> None:
    with pytest.raises(LotQrError, match=reason):
        parse_lot_qr(payload)


def test_lot_ids_with_the_separator_are_refused() -> None:
    with pytest.raises(ValueError):
        lot_qr_payload("PO:1", "ABC123")


def test_label_is_svg_with_the_lot_facts_in_chinese() -> None:
    code = lot_check_code(LOT, SECRET)
    svg = lot_label_svg(
        lot_id=LOT, code=code, product_name="串珠<手链>", pieces=100, due_at=datetime(2025, 7, 1, 18, 0)
    )
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == [
        f"批次：{LOT}",
        "产品：串珠<手链>",
        "数量：100 件",
        "交期：2025-07-01 18:00",
        f"校验码：{code}",
    ]


def test_label_draws_exactly_the_qr_modules_of_the_payload() -> None:
    code = lot_check_code(LOT, SECRET)
    svg = lot_label_svg(lot_id=LOT, code=code, product_name="串珠", pieces=1, due_at=datetime(2025, 7, 1))
    [path] = ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path")
    drawn = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)", path.attrib["d"])}
    matrix = qr_matrix(lot_qr_payload(LOT, code))
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert drawn == expected
