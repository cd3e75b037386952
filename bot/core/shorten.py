"""Cutting text to a limit at a word, for every renderer (and the offline composer)."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """`text`, whitespace collapsed, cut at a word boundary to fit `limit` (ellipsis included)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a word boundary near the end; else a hard cut beats a stub
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS
