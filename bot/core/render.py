"""Readable Markdown/plain rendering of an answer (CLI and Teams share it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.core.types import VERDICT_LABELS, Answer, Span

EVIDENCE_CHARS = 160
"""A span longer than this is shown cut at a word (the answer object keeps it whole)."""
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")


def citation_numbers(answer: Answer) -> dict[str, int]:
    """Citation id → its 1-based marker number, in the order the answer lists citations."""
    return {c.id: n for n, c in enumerate(answer.citations, start=1)}


def markdown_escape(text: str) -> str:
    """User text made inert in Markdown (Teams): no emphasis, link, heading or HTML from it."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


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


def you_said(spans: Sequence[Span], quote: Callable[[str], str]) -> str:
    """The user's words behind a reason, briefly: _you said_ “…” · “…”."""
    return " · ".join(f"“{quote(shorten(s.text, EVIDENCE_CHARS))}”" for s in spans)


def render_markdown(
    answer: Answer, *, sources: bool = True, escape: Callable[[str], str] = str
) -> str:
    """The answer as Markdown; `escape` makes the user's words safe for the target (Teams)."""
    numbers = citation_numbers(answer)
    lines = [
        f"**{VERDICT_LABELS[answer.verdict]}** (confidence {answer.confidence:.0%})",
        "",
        answer.summary,
    ]
    if answer.notice:
        lines += ["", f"_{answer.notice}_"]
    if answer.reasons:
        lines += ["", "**Why**"]
        for reason in answer.reasons:
            marks = "".join(f"[{numbers[c]}]" for c in reason.citations if c in numbers)
            lines.append(f"- {reason.text} {marks}".rstrip())
            if reason.evidence:
                lines.append(f"  _you said_ {you_said(reason.evidence, escape)}")
    if sources and answer.citations:
        lines += ["", "**Sources**"]
        for citation in answer.citations:
            by = ", ".join(x for x in (citation.author, citation.date) if x)
            lines.append(
                f"[{numbers[citation.id]}] “{citation.quote}” — {citation.title}"
                + (f" ({by})" if by else "")
            )
    if answer.follow_up_questions:
        lines += ["", "**To sharpen this**"]
        lines += [f"- {q}" for q in answer.follow_up_questions]
    return "\n".join(lines)
