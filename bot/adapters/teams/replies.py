"""Outgoing Teams activities: the answer (Markdown with `[n]` markers, native citations, AI
label, feedback buttons, what was understood and a card to correct it) and the fixed-text
replies.

The answer text is `render_markdown` without its sources list: Teams draws the references
itself from the citation entity, and printing them twice would bury the verdict. Fixed strings
(welcome, usage, apology) are not labelled AI-generated — they are not.
"""

from __future__ import annotations

from botbuilder.schema import Activity, ActivityTypes

from bot import messages
from bot.adapters.teams.cards import correct_button
from bot.adapters.teams.entities import AIMessageEntity, limit_citations
from bot.core.render import markdown_escape, render_markdown
from bot.core.types import Answer


def answer_reply(answer: Answer, *, mention_hint: bool = False) -> Activity:
    """`mention_hint`: in channels and group chats the bot only sees messages that mention it,
    so the user is told how to follow up."""
    answer = limit_citations(answer)
    text = render_markdown(answer, sources=False, escape=markdown_escape)
    if mention_hint:
        text += "\n\n" + messages.TEAMS_MENTION_HINT
    button = correct_button(answer)
    return Activity(
        type=ActivityTypes.message,
        text=text,
        text_format="markdown",
        entities=[AIMessageEntity.for_answer(answer)],
        channel_data={"feedbackLoopEnabled": True},
        attachments=[button] if button else None,
    )


def text_reply(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="markdown")


def typing() -> Activity:
    return Activity(type=ActivityTypes.typing)
