"""Readable Markdown/plain rendering of an answer (CLI and Teams share it)."""

from __future__ import annotations

from bot.core.types import VERDICT_LABELS, Answer


def citation_numbers(answer: Answer) -> dict[str, int]:
    """Citation id → its 1-based marker number, in the order the answer lists citations."""
    return {c.id: n for n, c in enumerate(answer.citations, start=1)}


def render_markdown(answer: Answer, *, sources: bool = True) -> str:
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
