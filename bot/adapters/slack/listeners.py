"""Bolt listeners: parse the payload, acknowledge, hand the work to `SlackFlows`.

Nothing here waits on the store, the engine or the Web API: each listener runs before the
HTTP response (the app uses `process_before_response`), so it only filters, acks and spawns.
`runtime.spawn` tracks the work so shutdown drains it instead of dropping answers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot import messages
from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from bot.adapters.slack.flows import FeedbackClick, MessageEvent, SlackFlows, SlashCommand
from bot.adapters.slack.keys import clean_text
from bot.core.conversation import is_help

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
COMMAND = "/rag-or-ft"
EVENTS = ("app_mention", "message")
"""The Events API types a listener here takes; `takes` and `register` both read this, and a
test checks that every event slack/manifest.yaml subscribes to is one of them."""
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
ANSWERED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
"""Message subtypes a person writes; edits, deletions, joins and bot posts are not questions."""


def register(app: AsyncApp, runtime: Runtime, *, api: SlackApi | None = None) -> SlackFlows:
    flows = SlackFlows(runtime, api or SlackApi(app.client))

    async def on_mention(body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = message_event(body, context, "app_mention")
        if event is not None:
            runtime.spawn(flows.message(event), name="slack-mention")

    async def on_message(body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = message_event(body, context, "message")
        if event is not None:
            runtime.spawn(flows.message(event), name="slack-message")

    async def on_command(ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext) -> None:
        text = clean_text(str(command.get("text") or ""), None)
        if not text or is_help(text):
            await ack(text=messages.USAGE, response_type="ephemeral")
            return
        await ack()
        runtime.spawn(
            flows.command(
                SlashCommand(
                    team=context.team_id or str(command.get("team_id") or ""),
                    channel=str(command.get("channel_id") or ""),
                    user=str(command.get("user_id") or ""),
                    text=str(command.get("text") or ""),
                    response_url=str(command.get("response_url") or ""),
                )
            ),
            name="slack-command",
        )

    async def on_feedback(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        rating: Literal["up", "down"] = "up" if action.get("action_id") == FEEDBACK_UP else "down"
        container = body.get("container") or {}
        click = FeedbackClick(
            rating=rating,
            value=str(action.get("value") or ""),
            user=str((body.get("user") or {}).get("id") or ""),
            message_ts=str(container.get("message_ts") or ""),
            response_url=str(body.get("response_url") or ""),
        )
        runtime.spawn(flows.feedback(click), name="slack-feedback")

    # Bolt tries listeners in registration order and each matcher costs tens of microseconds:
    # the slash command, whose ack a person waits for, is matched first.
    app.command(COMMAND)(on_command)
    app.action(FEEDBACK_UP)(on_feedback)
    app.action(FEEDBACK_DOWN)(on_feedback)
    app.event(EVENTS[0])(on_mention)
    app.event(EVENTS[1])(on_message)
    return flows


def takes(body: dict[str, Any]) -> bool:
    """Whether a listener here may take this (parsed) request. The HTTP route answers anything
    else that is signed with a bare 200 before bolt sees it: Slack counts a 404 (bolt's answer
    to a request no listener matches) as a failed delivery and retries it, and bolt would first
    call `auth.test`, whose failure is a 500."""
    kind = _text(body.get("type"))
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
                "team": _text(body.get("team_id")),
                "minute_rate_limited": body.get("minute_rate_limited"),
            },
        )


def message_event(
    body: dict[str, Any],
    context: AsyncBoltContext,
    kind: Literal["app_mention", "message"],
) -> MessageEvent | None:
    """The event as a `MessageEvent`, or None if no person wrote it (bots, edits, deletions)."""
    event = body.get("event")
    if not isinstance(event, dict):
        return None
    user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
    subtype = event.get("subtype")
    if (
        not (subtype is None or isinstance(subtype, str))  # a list is unhashable: check first
        or subtype not in ANSWERED_SUBTYPES
        or event.get("bot_id")
        or not isinstance(user, str)
        or user == context.bot_user_id
        or not isinstance(channel, str)
        or not isinstance(ts, str)
    ):
        return None
    thread_ts = event.get("thread_ts")
    return MessageEvent(
        kind=kind,
        team=context.team_id or _text(body.get("team_id")),
        channel=channel,
        channel_type=_text(event.get("channel_type")),
        user=user,
        text=_text(event.get("text")),
        ts=ts,
        thread_ts=thread_ts if isinstance(thread_ts, str) else None,
        event_id=_text(body.get("event_id")),
        bot_user_id=context.bot_user_id,
    )


def _text(value: object) -> str:
    """A string field as sent, or "" when Slack's payload has anything else there."""
    return value if isinstance(value, str) else ""
