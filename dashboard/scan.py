"""Reading a lot's QR label from a photo (st.camera_input), with zxing-cpp: a maintained decoder, no system library."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, UnidentifiedImageError


def qr_texts(photo: bytes) -> list[str]:
    """The text of every QR code found in `photo` (JPEG/PNG bytes); [] when none is found or it is no image."""
    try:
        image = Image.open(io.BytesIO(photo))
        image.load()
    except (UnidentifiedImageError, OSError):
        return []
    found = zxingcpp.read_barcodes(image.convert("L"))
    return [r.text for r in found if r.valid and r.text and r.format == zxingcpp.BarcodeFormat.QRCode]
