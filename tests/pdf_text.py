"""The text a PDF made by fpdf2 shows, for tests: its glyph codes mapped back through the font's ToUnicode map.

fpdf2 writes each run of text as 2-byte glyph codes in a literal string ('(...) Tj') of a zlib-compressed content
stream, and maps the codes it used to Unicode in an uncompressed 'beginbfchar' table; nothing else is needed."""

from __future__ import annotations

import re
import zlib

_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, its backslash escapes undone (octal ones included)."""
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(raw[i + 1:i + 2], raw[i + 1:i + 2])
            i += 2
            continue
        out += raw[i:i + 1]
        i += 1
    return bytes(out)


def pdf_lines(pdf: bytes) -> list[str]:
    """Each text run the PDF draws, in drawing order."""
    to_unicode: dict[int, str] = {}
    for table in re.findall(rb"beginbfchar(.*?)endbfchar", pdf, re.S):
        for code, char in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", table):
            to_unicode[int(code, 16)] = bytes.fromhex(char.decode()).decode("utf-16-be")
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            codes = _literal(raw)
            lines.append("".join(to_unicode.get(int.from_bytes(codes[i:i + 2], "big"), "?")
                                 for i in range(0, len(codes) - 1, 2)))
    return lines
