"""Block Kit builders: an `Answer` in, Slack messages out. Pure functions, tested directly.

Slack rejects a whole message over its limits (`invalid_blocks`), so the limits are enforced
here rather than discovered in production: a long answer is split over several sections and,
past 50 blocks, over several messages — never truncated away or refused.

Everything that did not come from this module (the user's words, the engine's summary, quotes
and titles from the knowledge store) is escaped, so no text can ping `@channel`, mention
someone or smuggle a link into the bot's message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot import messages
from bot.adapters.slack.correction import CORRECT_ACTION, correct_value
from bot.core.reading_code import reading_code
from bot.core.render import UNDERSTOOD, citation_numbers, understood, you_said, you_set
from bot.core.types import VERDICT_LABELS, Answer, Citation, Verdict

Block = dict[str, Any]

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
CONTEXT_LIMIT = 2000
"""Context text may be 3,000 characters too; the margin keeps a quote and its byline together."""
HEADER_LIMIT = 150
MESSAGE_CHAR_BUDGET = 12_000
"""Per message, across blocks: well under the size at which Slack starts refusing payloads."""
FALLBACK_LIMIT = 3000
PLAIN_LIMIT = 3900
"""Slack recommends at most 4,000 characters of `text` per message."""

FEEDBACK_BLOCK = "feedback"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"

VERDICT_EMOJI: dict[Verdict, str] = {
    Verdict.RAG: ":books:",
    Verdict.FINE_TUNING: ":control_knobs:",
    Verdict.BOTH: ":jigsaw:",
    Verdict.PROMPT_ENGINEERING: ":pencil2:",
    Verdict.CLARIFY: ":question:",
}


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage worth: the notification/fallback `text` and its blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Asked:
    """Who asked what, echoed above a slash command's answer (the channel never saw it)."""

    user: str
    text: str


def escape(text: str) -> str:
    """Slack's three control characters; everything else renders as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inert(text: str) -> str:
    """User text with no mrkdwn effect: escaped, and emphasis marks turned into look-alikes
    so a `*` or `_` the user typed can't open or close the bot's own formatting."""
    return escape(text).translate(_LOOKALIKES)


_LOOKALIKES = str.maketrans({"*": "∗", "_": "＿", "~": "∼", "`": "ˋ"})


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line or word break if possible.

    A hard cut never lands inside an `&amp;`-style entity, which would render as garbage.
    """
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut < limit // 2:
            cut = limit
            amp = text.rfind("&", max(0, cut - 5), cut)
            if amp > 0 and ";" not in text[amp:cut]:
                cut = amp
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    if text or not pieces:
        pieces.append(text)
    return pieces


def _mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def sections(text: str) -> list[Block]:
    return [{"type": "section", "text": _mrkdwn(p)} for p in split_text(text, SECTION_LIMIT)]


def context(text: str) -> list[Block]:
    return [{"type": "context", "elements": [_mrkdwn(p)]} for p in split_text(text, CONTEXT_LIMIT)]


def _packed(heading: str, lines: list[str]) -> list[Block]:
    """A heading and bullet lines, as few sections as the limit allows."""
    blocks: list[Block] = []
    current = heading
    for line in lines:
        if len(current) + 1 + len(line) > SECTION_LIMIT:
            blocks += sections(current)
            current = line
        else:
            current = f"{current}\n{line}"
    return blocks + sections(current)


def _quoted(text: str) -> str:
    return "\n".join(f">{line}" for line in escape(text).splitlines() or [""])


def asked_blocks(asked: Asked) -> list[Block]:
    """One section at most: a 40,000-character command must not become a 41,000-character
    placeholder (the engine still reads all of it)."""
    echo = f"{messages.SLACK_ASKED.format(user=asked.user)}\n{_quoted(asked.text)}"
    return sections(_clip(echo, SECTION_LIMIT))


def working_message(asked: Asked) -> SlackMessage:
    """The slash command's placeholder: its `ts` names the thread before the answer exists."""
    fallback = f"{messages.SLACK_ASKED.format(user=asked.user)} {escape(asked.text)}"
    return SlackMessage(
        text=_clip(fallback, FALLBACK_LIMIT),
        blocks=asked_blocks(asked) + context(messages.SLACK_WORKING),
    )


def _link(citation: Citation) -> str:
    title = escape(citation.title)
    url = citation.url or ""
    safe = url.startswith(("https://", "http://")) and not any(c in url for c in "|<> \n")
    return f"<{url}|{title}>" if safe else f"_{title}_"


def _source_line(number: int, citation: Citation) -> str:
    byline = ", ".join(escape(x) for x in (citation.author, citation.date) if x)
    return f"*[{number}]* “{escape(citation.quote)}” — {_link(citation)}" + (
        f" · {byline}" if byline else ""
    )


def _marks(answer: Answer, ids: list[str]) -> str:
    numbers = citation_numbers(answer)
    return "".join(f"[{numbers[c]}]" for c in ids if c in numbers)


def feedback_value(thread: str | None, verdict: str) -> str:
    """The button's payload: compact JSON, far below Slack's 2,000-character value limit."""
    return json.dumps({"t": thread, "v": verdict}, separators=(",", ":"))


def parse_feedback_value(value: str) -> tuple[str | None, str]:
    """(thread, verdict) from a button value; ValueError if it is not one of ours."""
    data = json.loads(value)
    if not isinstance(data, dict) or not isinstance(data.get("v"), str):
        raise ValueError("not a feedback value")
    thread = data.get("t")
    return (thread if isinstance(thread, str) else None), data["v"]


def feedback_blocks(value: str, extra: Block | None = None) -> list[Block]:
    def button(label: str, action_id: str) -> Block:
        text = {"type": "plain_text", "text": label, "emoji": True}
        return {"type": "button", "text": text, "action_id": action_id, "value": value}

    return [
        *context(messages.SLACK_FEEDBACK_PROMPT),
        {
            "type": "actions",
            "block_id": FEEDBACK_BLOCK,
            "elements": [
                button(messages.SLACK_FEEDBACK_UP, FEEDBACK_UP),
                button(messages.SLACK_FEEDBACK_DOWN, FEEDBACK_DOWN),
                *([extra] if extra else []),
            ],
        },
    ]


def understood_blocks(answer: Answer) -> list[Block]:
    """One context block: the reading in a line (the user's words inert), within its limit."""
    line = understood(answer, _inert)
    if not line:
        return []
    text = _clip(line.replace(UNDERSTOOD, f"*{UNDERSTOOD}*", 1), CONTEXT_LIMIT)
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]}]


def correct_button(answer: Answer) -> Block | None:
    """The *Correct my reading* button, or None (a `clarify` answer, or no thread to answer in)."""
    if answer.verdict is Verdict.CLARIFY or not answer.thread or not answer.reading:
        return None
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": messages.SLACK_CORRECT, "emoji": True},
        "action_id": CORRECT_ACTION,
        "value": correct_value(answer.thread, reading_code(answer)),
    }


def answer_blocks(
    answer: Answer, *, asked: Asked | None = None, feedback: bool = True
) -> list[Block]:
    """Every block of an answer, in reading order; may exceed one message (see `paginate`)."""
    label = f"{VERDICT_EMOJI[answer.verdict]} {VERDICT_LABELS[answer.verdict]}"
    glance = messages.SLACK_CONFIDENCE.format(confidence=answer.confidence)
    if answer.turn > 1:
        glance += " · " + messages.SLACK_TURN.format(turn=answer.turn)
    blocks: list[Block] = asked_blocks(asked) if asked else []
    blocks.append(
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(label, HEADER_LIMIT), "emoji": True},
        }
    )
    blocks += context(glance)
    if answer.notice:
        blocks += context(f":information_source: {escape(answer.notice)}")
    blocks += sections(escape(answer.summary))
    if answer.reasons:
        lines = [
            f"• {escape(r.text)} {_marks(answer, r.citations)}".rstrip()
            + (
                f"\n      _{messages.SLACK_YOU_SAID}_ {you_said(r.evidence, _inert)}"
                if r.evidence
                else f"\n      _{messages.SLACK_YOU_SET}_ {you_set(r.set_by_user)}"
                if r.set_by_user
                else ""
            )
            for r in answer.reasons
        ]
        blocks += _packed(messages.SLACK_WHY, lines)
    if answer.citations:
        blocks += sections(messages.SLACK_SOURCES)
        numbers = citation_numbers(answer)
        for citation in answer.citations:
            blocks += context(_source_line(numbers[citation.id], citation))
    if answer.follow_up_questions:
        lines = [f"• {escape(q)}" for q in answer.follow_up_questions]
        blocks += _packed(messages.SLACK_FOLLOW_UPS, lines)
    elif answer.turn <= 1:
        blocks += context(messages.SLACK_REPLY_HINT)
    blocks += understood_blocks(answer)
    if feedback:
        value = feedback_value(answer.thread, answer.verdict.value)
        blocks += feedback_blocks(value, correct_button(answer))
    return blocks


def _size(block: Block) -> int:
    return len(json.dumps(block, ensure_ascii=False))


def paginate(blocks: list[Block], first_text: str) -> list[SlackMessage]:
    """Blocks over as many messages as the limits need; the feedback buttons stay last."""
    pages: list[list[Block]] = [[]]
    used = 0
    for block in blocks:
        size = _size(block)
        if pages[-1] and (len(pages[-1]) >= MAX_BLOCKS or used + size > MESSAGE_CHAR_BUDGET):
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += size
    texts = [first_text] + [messages.SLACK_CONTINUED] * (len(pages) - 1)
    return [SlackMessage(text=t, blocks=p) for t, p in zip(texts, pages, strict=True)]


def fallback_text(answer: Answer) -> str:
    """The notification line: verdict and summary (what a person acts on)."""
    head = f"{VERDICT_LABELS[answer.verdict]} ({answer.confidence:.0%}): {answer.summary}"
    return _clip(escape(head), FALLBACK_LIMIT)


def answer_messages(
    answer: Answer, *, asked: Asked | None = None, feedback: bool = True
) -> list[SlackMessage]:
    return paginate(answer_blocks(answer, asked=asked, feedback=feedback), fallback_text(answer))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else split_text(text, limit - 1)[0] + "…"
