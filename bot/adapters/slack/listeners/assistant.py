"""Slack's assistant container (the split-view "AI app" surface): a new thread is greeted.

`assistant_thread_started` (someone opened the container, or a new chat in it): a short
greeting in the thread and three suggested prompts, real projects one per common verdict
(`messages.EXAMPLE_PROMPTS`). Messages in the thread then arrive as `message.im` and are
answered by `events` like any DM thread — the same core, store and answer. Slack may deliver
the event twice (a retry, or both ids): the greeting goes out once per thread.

`assistant_thread_context_changed` (the user looks at another channel beside the container) is
subscribed, as Slack's AI apps are, but unused: the bot answers from what people write, not
from the channel they are looking at. Over HTTP it is answered 200 without bolt (`UNUSED`);
over Socket Mode, where every envelope reaches bolt, a listener that does nothing takes it, so
bolt neither answers 404 nor logs it as unhandled.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot import messages
from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.keys import PLATFORM, assistant_key, event_key
from bot.adapters.slack.listeners.common import field
from bot.adapters.slack.surfaces import Surfaces

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
STARTED = "assistant_thread_started"
EVENTS = (STARTED,)
UNUSED = ("assistant_thread_context_changed",)


def register(app: AsyncApp, runtime: Runtime, api: SlackApi, surfaces: Surfaces) -> None:
    async def on_started(body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = body.get("event") or {}
        thread = event.get("assistant_thread")
        if not isinstance(thread, dict):
            return
        channel, thread_ts = field(thread.get("channel_id")), field(thread.get("thread_ts"))
        if not channel or not thread_ts:
            return
        team = context.team_id or field(body.get("team_id"))
        event_id = field(body.get("event_id"))
        keys = (*((event_key(event_id),) if event_id else ()), assistant_key(channel, thread_ts))
        work = greet(runtime, api, surfaces, team, channel, thread_ts, keys)
        runtime.spawn(work, name="slack-assistant-greeting")

    async def on_unused() -> None:
        return None

    app.event(STARTED)(on_started)
    for kind in UNUSED:
        app.event(kind)(on_unused)


async def greet(
    runtime: Runtime,
    api: SlackApi,
    surfaces: Surfaces,
    team: str,
    channel: str,
    thread_ts: str,
    keys: tuple[str, ...],
) -> None:
    """Best effort: a greeting lost to a crash costs nothing (the person just writes)."""
    try:
        if not await runtime.conversations.first_delivery(PLATFORM, keys, STARTED):
            return
        await api.post_text(channel, messages.SLACK_ASSISTANT_GREETING, thread_ts=thread_ts)
        await surfaces.attempt(
            team,
            "prompts",
            lambda: api.suggest(
                channel, thread_ts, messages.SLACK_PROMPTS_TITLE, messages.EXAMPLE_PROMPTS
            ),
        )
    except Exception:
        log.warning("slack assistant greeting not delivered", exc_info=True)
