"""Outgoing Teams activities: the answer (Markdown with `[n]` markers, native citations, AI
label, feedback buttons, what was understood and a card to correct it), the fixed-text
replies, and the pieces of a Teams stream (informative updates, the final message's marks).

The answer text is `answer_text.answer_markdown`. Fixed strings (welcome, usage, apology) are
not labelled AI-generated — they are not.
"""

from __future__ import annotations

import copy

from botbuilder.schema import Activity, ActivityTypes

from bot import messages
from bot.adapters.teams.answer_text import answer_markdown
from bot.adapters.teams.cards import correct_button
from bot.adapters.teams.entities import AIMessageEntity, StreamInfoEntity, limit_citations
from bot.core.types import Answer

_STREAM_FIELDS = frozenset({"streamType", "streamId", "streamSequence"})


def answer_reply(answer: Answer, *, mention_hint: bool = False) -> Activity:
    """`mention_hint`: in channels and group chats the bot only sees messages that mention it,
    so the user is told to mention it again; a personal chat's answer says a reply will do."""
    answer = limit_citations(answer)
    cue = messages.TEAMS_MENTION_HINT if mention_hint else messages.TEAMS_REPLY_HINT
    text = answer_markdown(answer, cue=cue)
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


def informative(text: str, sequence: int, stream_id: str | None = None) -> Activity:
    """An informative update of a Teams stream: a typing activity with text, numbered from 1;
    the first has no stream id yet (the connector's answer to it is the id). channelData
    repeats the stream fields for clients older than the entity. The activity's own `id` is
    not the stream's: botbuilder clears it on every send, and Teams reads the entity."""
    entity = StreamInfoEntity("informative", stream_id=stream_id, sequence=sequence)
    data: dict[str, object] = {"streamType": "informative", "streamSequence": sequence}
    if stream_id is not None:
        data["streamId"] = stream_id
    return Activity(
        type=ActivityTypes.typing,
        text=text,
        entities=[entity],
        channel_data=data,
    )


def as_final(activity: Activity, stream_id: str) -> Activity:
    """A copy of `activity` as the final message of the stream `stream_id`."""
    final = copy.copy(activity)
    stream = {"streamType": "final", "streamId": stream_id}
    final.channel_data = {**(activity.channel_data or {}), **stream}
    final.entities = [StreamInfoEntity("final", stream_id=stream_id), *(activity.entities or [])]
    return final


def without_stream(activity: Activity) -> Activity:
    """A copy of a final message made an ordinary one again (the connector refused the stream)."""
    plain = copy.copy(activity)
    channel_data = {
        k: v for k, v in (activity.channel_data or {}).items() if k not in _STREAM_FIELDS
    }
    plain.channel_data = channel_data or None
    entities = [e for e in activity.entities or [] if not isinstance(e, StreamInfoEntity)]
    plain.entities = entities or None
    return plain


def is_streamed(activity: Activity) -> bool:
    return any(isinstance(e, StreamInfoEntity) for e in activity.entities or [])
