"""The feedback buttons under an answer: one vote per person per answer message, thanked
ephemerally through the interaction's `response_url`.

The vote is written to the store before the click is acked (a few milliseconds of Slack's 3
seconds): Slack never sends an acked click again, so a vote stored after the ack would be lost
with a process that died in between. Only the thanks is sent after the ack.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import messages
from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP, parse_feedback_value
from bot.adapters.slack.keys import PLATFORM, feedback_key, scope, thread_team
from bot.adapters.slack.listeners.common import field
from bot.core.conversation import Rating

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: AsyncApp, runtime: Runtime, api: SlackApi) -> None:
    async def on_feedback(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = field((body.get("user") or {}).get("id"))
        message_ts = field((body.get("container") or {}).get("message_ts"))
        up = action.get("action_id") == FEEDBACK_UP
        team = field((body.get("team") or {}).get("id"))
        response_url = field(body.get("response_url"))
        reply = await rate(
            runtime,
            team=team,
            up=up,
            value=field(action.get("value")),
            user=user,
            message_ts=message_ts,
        )
        await ack()
        runtime.spawn(api.respond(response_url, reply), name="slack-feedback")

    app.action(FEEDBACK_UP)(on_feedback)
    app.action(FEEDBACK_DOWN)(on_feedback)


async def rate(
    runtime: Runtime,
    *,
    team: str,
    up: bool,
    value: str,
    user: str,
    message_ts: str,
) -> str:
    """Store the vote; the words to answer the click with (thanks, or an apology)."""
    core = runtime.conversations
    try:
        thread, verdict = parse_feedback_value(value)
        once = feedback_key(thread or "-", user, message_ts)
        team = team or thread_team(thread or "")
        rating = Rating(
            PLATFORM,
            thread,
            user,
            "up" if up else "down",
            verdict,
            once=once,
            scope=scope(team) if team else None,
        )
        await core.rate(rating)
    except Exception:
        return core.apology(log, "slack feedback failed")
    return messages.FEEDBACK_THANKS
