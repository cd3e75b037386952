"""Readable Markdown/plain rendering of an answer (CLI and Teams share it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.core.shorten import shorten
from bot.core.triage.dimensions import BY_NAME, DECISIVE
from bot.core.types import VERDICT_LABELS, Answer, ReadingItem, Span, Verdict

EVIDENCE_CHARS = 160
"""A span longer than this is shown cut at a word (the answer object keeps it whole)."""
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")


def citation_numbers(answer: Answer) -> dict[str, int]:
    """Citation id → its 1-based marker number, in the order the answer lists citations."""
    return {c.id: n for n, c in enumerate(answer.citations, start=1)}


def markdown_escape(text: str) -> str:
    """User text made inert in Markdown (Teams): no emphasis, link, heading or HTML from it."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def you_said(spans: Sequence[Span], quote: Callable[[str], str]) -> str:
    """The user's words behind a reason, briefly: _you said_ “…” · “…”."""
    return " · ".join(f"“{quote(shorten(s.text, EVIDENCE_CHARS))}”" for s in spans)


def you_set(dimensions: Sequence[str]) -> str:
    """What the user set in the form behind a reason, by label: _you set_ fixed output format."""
    return " · ".join(BY_NAME[d].label if d in BY_NAME else d for d in dimensions)


UNDERSTOOD = "What I understood:"
MARKS = {"yes": "✔", "no": "✗", "unknown": "?"}
UNDERSTOOD_WORDS_CHARS = 48
"""Each dimension's words are cut to this: the line must stay one glance long."""
MAX_UNSAID = 3
YOU_SET = "(you set)"


def understood_items(answer: Answer) -> list[ReadingItem]:
    """What the compact line shows: every dimension read `yes` or `no`, every one the user set,
    and the decisive ones nobody has said (at most `MAX_UNSAID`); none for `clarify`."""
    if answer.verdict is Verdict.CLARIFY:
        return []
    said = [r for r in answer.reading if r.state != "unknown" or r.source == "user"]
    named = {r.dimension for r in said}
    unsaid = [r for r in answer.reading if r.dimension in DECISIVE and r.dimension not in named][
        :MAX_UNSAID
    ]
    return [*said, *unsaid]


def understood(answer: Answer, quote: Callable[[str], str] = str) -> str:
    """The reading in one line: "knowledge changes often ✔ “change weekly” · fixed output
    format ✗ · a particular tone or voice ?". `quote` makes the user's words safe for the
    target; "" when there is nothing to show."""
    parts = []
    quoted: set[str] = set()
    for item in understood_items(answer):
        dim = BY_NAME.get(item.dimension)
        part = f"{dim.label if dim else item.dimension} {MARKS[item.state]}"
        words = shorten(item.evidence[0].text, UNDERSTOOD_WORDS_CHARS) if item.evidence else ""
        if words and words not in quoted:  # the same words behind two dimensions: quoted once
            quoted.add(words)
            part += f" “{quote(words)}”"
        if item.source == "user":
            part += f" {YOU_SET}"
        parts.append(part)
    return f"{UNDERSTOOD} " + " · ".join(parts) if parts else ""


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
            elif reason.set_by_user:
                lines.append(f"  _you set_ {you_set(reason.set_by_user)}")
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
    line = understood(answer, escape)
    if line:
        lines += ["", line]
    return "\n".join(lines)
