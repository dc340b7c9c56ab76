"""The coordinator's camera reads a lot's label: the QR modules the label draws decode back to its payload."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

from dashboard.scan import qr_texts
from domain.orders.labels import lot_check_code, lot_qr_payload, qr_matrix


def photo_of(matrix: list[list[bool]], *, module_px: int = 9, margin: int = 60) -> bytes:
    """The label's code as a phone would photograph it: grey paper, a quiet zone, a little blur, JPEG."""
    size = len(matrix) * module_px + 2 * margin
    image = Image.new("L", (size, size), 225)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                left, top = margin + x * module_px, margin + y * module_px
                draw.rectangle((left, top, left + module_px - 1, top + module_px - 1), fill=30)
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1.2)).rotate(4, fillcolor=225).save(out, "JPEG", quality=70)
    return out.getvalue()


def test_the_label_s_code_decodes_to_the_lot_and_its_check_code() -> None:
    lot_id = "ord-019ab3c4d5e6b9c0ffee-L003"
    payload = lot_qr_payload(lot_id, lot_check_code(lot_id, "a deployment's secret"))
    assert qr_texts(photo_of(qr_matrix(payload))) == [payload]


def test_a_photo_without_a_code_or_not_an_image_reads_nothing() -> None:
    blank = io.BytesIO()
    Image.new("L", (200, 200), 200).save(blank, "PNG")
    assert qr_texts(blank.getvalue()) == []
    assert qr_texts(b"not an image at all") == []
