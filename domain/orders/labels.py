"""Lot labels (批次标签): a short check code and a QR code that ties paper to the lot record."""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode
from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import qrcode
import qrcode.constants

QR_PREFIX = "MF1"
CODE_LENGTH = 6
# Crockford's base32 leaves out I, L, O and U, so a code read aloud or typed is unambiguous.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_CROCKFORD = str.maketrans(_RFC4648, _CROCKFORD)
_TYPO_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class LotQrError(ValueError):
    """A scanned QR payload that is not one of our lot labels."""


def lot_check_code(lot_id: str, secret: str) -> str:
    """A 6-character code only the holder of `secret` can produce, so labels cannot be forged."""
    if not secret:
        raise ValueError("the label secret must not be empty")
    digest = hmac.new(secret.encode(), lot_id.encode(), hashlib.sha256).digest()
    return b32encode(digest).decode().translate(_TO_CROCKFORD)[:CODE_LENGTH]


def verify_lot_code(lot_id: str, code: str, secret: str) -> bool:
    """True when `code` (as typed or scanned, any case) belongs to `lot_id`."""
    typed = code.strip().upper().translate(_TYPO_FIXES)
    if not typed.isascii():  # compare_digest refuses non-ASCII str
        return False
    return hmac.compare_digest(typed, lot_check_code(lot_id, secret))


def lot_qr_payload(lot_id: str, code: str) -> str:
    """The text inside a lot's QR code: 'MF1:<lot_id>:<code>'."""
    if not lot_id or ":" in lot_id:
        raise ValueError(f"lot id must be non-empty and contain no ':', got {lot_id!r}")
    return f"{QR_PREFIX}:{lot_id}:{code}"


def parse_lot_qr(payload: str) -> tuple[str, str]:
    """(lot_id, code) from a scanned payload, or LotQrError saying what is wrong with it."""
    parts = payload.strip().split(":")
    if parts[0] != QR_PREFIX:
        raise LotQrError(f"not a lot label: expected it to start with '{QR_PREFIX}:'")
    if len(parts) != 3:
        raise LotQrError(f"expected '{QR_PREFIX}:<lot_id>:<code>', got {len(parts)} parts")
    _, lot_id, code = parts
    if not lot_id:
        raise LotQrError("the lot id is empty")
    if len(code) != CODE_LENGTH or any(c not in _CROCKFORD for c in code):
        raise LotQrError(f"the check code must be {CODE_LENGTH} characters from {_CROCKFORD}")
    return lot_id, code


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules (True = dark), without the quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def lot_label_svg(*, lot_id: str, code: str, product_name: str, pieces: int, due_at: datetime,
                  short_code: str | None = None) -> str:
    """A printable 90 x 40 mm SVG label: QR code on the left, lot facts in Chinese on the right.

    The lot is named by its short code (批次简码, what people type) when it has one; the QR code carries the long id.
    """
    matrix = qr_matrix(lot_qr_payload(lot_id, code))
    size = len(matrix)
    lines = [
        ("批次", short_code or lot_id),
        ("产品", _shorten(product_name, 16)),
        ("数量", f"{pieces} 件"),
        ("交期", _local(due_at).strftime("%Y-%m-%d %H:%M")),
        ("校验码", code),
    ]
    text = "".join(
        f'<text x="34" y="{8 + 7 * i}">{escape(label)}：{escape(value)}</text>'
        for i, (label, value) in enumerate(lines)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="90mm" height="40mm" viewBox="0 0 90 40">'
        '<rect width="90" height="40" fill="#fff"/>'
        # A 4-module quiet zone around the code keeps it scannable next to the text.
        f'<svg x="2" y="6" width="28" height="28" viewBox="-4 -4 {size + 8} {size + 8}">'
        f'<path fill="#000" d="{_modules_path(matrix)}"/></svg>'
        '<g font-family="Noto Sans CJK SC, Source Han Sans SC, sans-serif" font-size="3.6">'
        f"{text}</g></svg>"
    )


def _local(at: datetime) -> datetime:
    """The due time as people read it on paper: Asia/Shanghai (the store keeps UTC)."""
    return at.astimezone(ZoneInfo("Asia/Shanghai")) if at.tzinfo else at


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _modules_path(matrix: list[list[bool]]) -> str:
    return "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
