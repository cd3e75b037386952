"""The answer's text as a Teams user reads it: plain words first, reasons as short paragraphs.

Teams turns `[n]` markers into citation pills only in plain paragraph text — inside a list item
they stay literal `[1][2]` and the quotes cannot be opened — so each reason is a paragraph of
its own: a bold lead-in of two or three words, the reason, then its markers (each its own pill).
The message starts with plain words, not Markdown, because the chat list previews its first
characters (`**RAG…` otherwise); the verdict is a paragraph of its own, apart from the summary,
and the answer ends with the cue that a reply refines it. The sources list is left out: Teams
draws the references itself from the citation entity.
"""

from __future__ import annotations

from bot import messages
from bot.core.render import citation_numbers, markdown_escape, understood, you_said, you_set
from bot.core.types import VERDICT_LABELS, Answer, Reason, Verdict

HARD_BREAK = "  \n"
"""A line break inside a paragraph (Markdown's two trailing spaces): the user's words go on the
line under the reason without leaving its paragraph. A bare newline is only a space there."""


def answer_markdown(answer: Answer, *, cue: str) -> str:
    """The whole answer; `cue` ends it (how to follow up where the answer was posted)."""
    numbers = citation_numbers(answer)
    verdict = (
        messages.TEAMS_VERDICT_CLARIFY
        if answer.verdict is Verdict.CLARIFY
        else messages.TEAMS_VERDICT.format(
            label=VERDICT_LABELS[answer.verdict], confidence=answer.confidence
        )
    )
    paragraphs = [verdict, answer.summary]
    if answer.notice:
        paragraphs.append(f"_{answer.notice}_")
    if answer.reasons:
        paragraphs.append(messages.TEAMS_WHY)
        paragraphs += [reason_paragraph(r, numbers) for r in answer.reasons]
    if answer.follow_up_questions:
        paragraphs.append(
            "\n".join([messages.TEAMS_SHARPEN, *(f"- {q}" for q in answer.follow_up_questions)])
        )
    line = understood(answer, markdown_escape)
    if line:
        paragraphs.append(line)
    paragraphs.append(cue)
    return "\n\n".join(paragraphs)


def reason_paragraph(reason: Reason, numbers: dict[str, int]) -> str:
    """`**Lead-in.** The reason. [1] [2]`, then the user's words behind it on the next line."""
    markers = " ".join(f"[{numbers[c]}]" for c in reason.citations if c in numbers)
    lead = f"**{reason.lead}.** " if reason.lead else ""
    text = f"{lead}{reason.text} {markers}".rstrip()
    if reason.evidence:
        text += (
            f"{HARD_BREAK}{messages.TEAMS_YOU_SAID} {you_said(reason.evidence, markdown_escape)}"
        )
    elif reason.set_by_user:
        text += f"{HARD_BREAK}{messages.TEAMS_YOU_SET} {you_set(reason.set_by_user)}"
    return text
