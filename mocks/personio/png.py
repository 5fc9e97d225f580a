"""Profile pictures: a real PNG (an avatar silhouette on a colour of the employee) of any width, made with zlib.

Rows are built as byte spans (background / figure / background), so even a 1024 px picture takes a few ms.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib

_PALETTE = [
    (0x3B, 0x82, 0xF6),
    (0x10, 0xB9, 0x81),
    (0xF5, 0x9E, 0x0B),
    (0xEF, 0x44, 0x44),
    (0x8B, 0x5C, 0xF6),
    (0x06, 0xB6, 0xD4),
    (0xEC, 0x48, 0x99),
    (0x64, 0x74, 0x8B),
]
_FIGURE = bytes((0xF8, 0xFA, 0xFC))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _span(width: float, center: float, half: float) -> tuple[int, int]:
    start = max(0, int(round(center - half)))
    return start, min(int(width), int(round(center + half)))


@functools.lru_cache(maxsize=64)
def avatar(width: int, colour_index: int) -> bytes:
    """A square RGB PNG: a head and shoulders on a coloured background."""
    background = bytes(_PALETTE[colour_index % len(_PALETTE)])
    size = width
    head_y, head_r = size * 0.38, size * 0.2
    body_y, body_rx, body_ry = size * 1.02, size * 0.36, size * 0.38
    rows = []
    for y in range(size):
        spans = []
        dy = y + 0.5 - head_y
        if abs(dy) < head_r:
            spans.append(_span(size, size / 2, math.sqrt(head_r * head_r - dy * dy)))
        dy = y + 0.5 - body_y
        if abs(dy) < body_ry:
            spans.append(_span(size, size / 2, body_rx * math.sqrt(1 - (dy / body_ry) ** 2)))
        if spans:
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
            row = background * start + _FIGURE * (end - start) + background * (size - end)
        else:
            row = background * size
        rows.append(b"\x00" + row)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + _chunk(b"IEND", b"")
    )


def dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG (for tests and sanity checks)."""
    return struct.unpack(">II", data[16:24])
