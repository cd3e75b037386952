"""The Teams app icons, drawn in code so the package needs no binary assets or imaging library.

Teams wants a 192×192 full-colour icon and a 32×32 outline icon that is white on a transparent
background. Both show the same glyph — a fork, one stem splitting into two branches (retrieval
or fine-tuning) — drawn as anti-aliased strokes and encoded as RGBA PNG by hand.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Sequence

ACCENT = (0x4F, 0x46, 0xE5)  # also the manifest's accentColor
WHITE = (0xFF, 0xFF, 0xFF)

Point = tuple[float, float]
# The glyph in unit coordinates (0..1, y downwards): a stem and two branches, with round ends.
_SEGMENTS: tuple[tuple[Point, Point], ...] = (
    ((0.50, 0.80), (0.50, 0.52)),
    ((0.50, 0.52), (0.28, 0.24)),
    ((0.50, 0.52), (0.72, 0.24)),
)
_NODES: tuple[Point, ...] = ((0.50, 0.80), (0.28, 0.24), (0.72, 0.24))


def color_icon(size: int = 192) -> bytes:
    """Accent background filling the square, the glyph in white within the central area
    (Teams crops the colour icon to a rounded square and asks for padding around the symbol)."""
    return _render(size, stroke=0.045, node=0.11, background=(*ACCENT, 255), scale=0.72)


def outline_icon(size: int = 32) -> bytes:
    """White glyph, transparent elsewhere (Teams tints it for light and dark themes)."""
    return _render(size, stroke=0.09, node=0.2, background=(*WHITE, 0))


def _render(
    size: int, *, stroke: float, node: float, background: tuple[int, ...], scale: float = 1.0
) -> bytes:
    """`scale` shrinks the glyph about the centre (stroke widths are given after scaling)."""
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type 0 (None) for every row
        for x in range(size):
            ux = 0.5 + ((x + 0.5) / size - 0.5) / scale
            uy = 0.5 + ((y + 0.5) / size - 0.5) / scale
            coverage = _coverage(ux, uy, stroke / scale, node / scale, size * scale)
            row += _blend(background, coverage)
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _coverage(x: float, y: float, stroke: float, node: float, size: float) -> float:
    """How much of the pixel at (x, y) the glyph covers, 0..1 (a one-pixel soft edge)."""
    edge = min(
        min(_distance((x, y), a, b) - stroke / 2 for a, b in _SEGMENTS),
        min(math.dist((x, y), centre) - node / 2 for centre in _NODES),
    )
    return min(1.0, max(0.0, 0.5 - edge * size))


def _distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.dist(p, (ax + t * dx, ay + t * dy))


def _blend(background: Sequence[int], coverage: float) -> bytes:
    """White glyph over the background; on a transparent background only alpha changes."""
    r, g, b, alpha = background
    if alpha == 0:
        return bytes((*WHITE, round(255 * coverage)))
    mix = [round(c + (255 - c) * coverage) for c in (r, g, b)]
    return bytes((*mix, alpha))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
