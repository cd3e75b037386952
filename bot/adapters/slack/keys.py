"""Names the Slack adapter derives from payloads: thread keys, de-duplication keys, clean text.

Thread keys are `slack:{team}:{channel}:{thread_ts}` — the root message's `ts` names a Slack
thread, so a mention, its follow-ups and a slash command's answer thread all map to one stored
conversation. The team is the envelope's (the installation's), which stays the same for every
event of a shared channel, whichever workspace the author belongs to.
"""

from __future__ import annotations

import re

PLATFORM = "slack"
_BOT_MENTION = r"<@{bot}(?:\|[^>]*)?>"
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def thread_key(team: str, channel: str, thread_ts: str) -> str:
    return f"slack:{team}:{channel}:{thread_ts}"


def thread_place(key: str) -> tuple[str, str] | None:
    """(channel, thread_ts) of a Slack thread key; None if `key` is not one."""
    parts = key.split(":")
    if len(parts) != 4 or parts[0] != PLATFORM or not all(parts[2:]):
        return None
    return parts[2], parts[3]


def thread_team(key: str) -> str:
    """The workspace of a Slack thread key; "" if `key` is not one."""
    parts = key.split(":")
    return parts[1] if len(parts) == 4 and parts[0] == PLATFORM else ""


def scope(team: str) -> str:
    """A workspace as the core's statistics and notes name it (`Said.scope`)."""
    return f"{PLATFORM}:{team}"


def assistant_key(channel: str, thread_ts: str) -> str:
    """One assistant thread's start: greeted once, however often Slack delivers the event."""
    return f"slack:assistant:{channel}:{thread_ts}"


def correction_key(view_id: str) -> str:
    """One submission of one correction form: Slack names each opened modal by its view id."""
    return f"slack:correction:{view_id}"


def event_key(event_id: str) -> str:
    """Slack gives a retried delivery the same `event_id`."""
    return f"slack:event:{event_id}"


def message_key(channel: str, ts: str) -> str:
    """One user message can arrive twice under different event ids (app_mention + message)."""
    return f"slack:msg:{channel}:{ts}"


def feedback_key(thread: str, user: str, message_ts: str) -> str:
    """One vote per person per answer message, so repeated clicks don't skew the counts."""
    return f"slack:feedback:{thread}:{user}:{message_ts}"


def clean_text(text: str, bot_user_id: str | None) -> str:
    """What the user wrote, as the core should read it.

    Slack sends message text with `&`, `<`, `>` escaped and links as `<url|label>`; the engine
    wants plain words, so the bot's own mention is removed, links become their label (or URL)
    and the three entities are decoded. Escaping again is the renderer's job.
    """
    if bot_user_id:
        text = re.sub(_BOT_MENTION.format(bot=re.escape(bot_user_id)), " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]+", " ", text).strip()
