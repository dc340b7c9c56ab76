"""The text of a PDF as fpdf2 writes it, for tests: each line's glyph ids read back through the font's ToUnicode map.

fpdf2 writes a CJK line as one `(…) Tj` of two-byte glyph ids and embeds a subset font whose ToUnicode CMap maps
each id to its character; no PDF library is needed to read that back.
"""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PAIR = re.compile(rb"<([0-9A-F]{4})> <([0-9A-F]{4,8})>")
_LINE = re.compile(rb"\((?P<ids>(?:\\.|[^\\)])*)\) Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in _STREAM.findall(pdf):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _unescape(literal: bytes) -> bytes:
    return re.sub(rb"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), literal, flags=re.S)


def pdf_lines(pdf: bytes) -> list[str]:
    """Every `Tj` of the PDF as text, in the order drawn (the title, each header line, each table cell)."""
    streams = _streams(pdf)
    glyphs = {int(k, 16): chr(int(v, 16)) for s in streams if b"beginbfchar" in s for k, v in _PAIR.findall(s)}
    lines = []
    for s in streams:
        for m in _LINE.finditer(s):
            ids = _unescape(m["ids"])
            lines.append("".join(glyphs.get(int.from_bytes(ids[i:i + 2], "big"), "\ufffd")
                                 for i in range(0, len(ids) - 1, 2)))
    return lines
