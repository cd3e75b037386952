"""Bolt listeners, one module per kind of payload, each with its own `register`:

    commands.py  `/rag-or-ft`: usage at once, or a placeholder the answer replaces
    actions.py   the feedback buttons
    corrections.py  *Correct my reading*: the form (views.open) and its submission
    events.py    `app_mention` and `message`: an answer in the thread (assistant threads too)
    assistant.py `assistant_thread_started`: a greeting and suggested prompts
    home.py      `app_home_opened`: App Home with the workspace's week

A listener runs before the HTTP response (the app uses `process_before_response`), so it only
parses the payload into the core's types, acks and `runtime.spawn`s the rest, which shutdown
drains instead of dropping. The spawned work asks the conversation core, renders its outcome as
Block Kit and sends it; every failure there is the core's apology with a reference id.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.listeners import actions, assistant, commands, corrections, events, home
from bot.adapters.slack.listeners.common import field
from bot.adapters.slack.surfaces import Surfaces

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
COMMAND = commands.COMMAND
EVENTS = (*events.EVENTS, *assistant.EVENTS, *home.EVENTS)
"""The Events API types a listener here takes; `takes` and `register` both read this, and a
test checks that every event slack/manifest.yaml subscribes to is one of them or `UNUSED`."""
UNUSED = assistant.UNUSED
"""Subscribed in the manifest, taken by no listener: answered 200 without bolt."""
INTERACTIONS = frozenset(
    {
        "url_verification",
        "block_actions",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "block_suggestion",
    }
)
"""Payload types always handed to bolt (it answers 404, then 200 here, if none matches)."""


def register(app: AsyncApp, runtime: Runtime, *, api: SlackApi | None = None) -> None:
    """Bolt tries listeners in registration order and each matcher costs tens of microseconds:
    the slash command, whose ack a person waits for, is matched first."""
    api = api or SlackApi(app.client)
    surfaces = Surfaces(api, runtime.conversations)
    commands.register(app, runtime, api)
    actions.register(app, runtime, api)
    corrections.register(app, runtime, api)
    events.register(app, runtime, api, surfaces)
    assistant.register(app, runtime, api, surfaces)
    home.register(app, runtime, api)


def takes(body: dict[str, Any]) -> bool:
    """Whether a listener here may take this (parsed) request. The HTTP route answers anything
    else that is signed with a bare 200 before bolt sees it: Slack counts a 404 (bolt's answer
    to a request no listener matches) as a failed delivery and retries it, and bolt would first
    call `auth.test`, whose failure is a 500."""
    kind = field(body.get("type"))
    if kind == "event_callback":
        event = body.get("event")
        return isinstance(event, dict) and event.get("type") in EVENTS
    return kind in INTERACTIONS or "command" in body


def ignored(body: dict[str, Any]) -> None:
    """A signed request no listener takes: only `app_rate_limited` deserves a line — Slack is
    dropping this workspace's events for the rest of the minute, so some questions go unseen."""
    if body.get("type") == "app_rate_limited":
        log.warning(
            "slack app_rate_limited: Slack drops this app's events for the rest of the minute",
            extra={
                "team": field(body.get("team_id")),
                "minute_rate_limited": body.get("minute_rate_limited"),
            },
        )
