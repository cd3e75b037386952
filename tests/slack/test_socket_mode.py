"""Socket Mode (SLACK_APP_TOKEN): the same listeners over a WebSocket instead of HTTP."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot import messages
from tests.slack.conftest import PROJECT, Slack
from tests.support import slack_payloads as p
from tests.support.slack_api import APP_TOKEN


def envelope(kind: str, payload: dict[str, Any], *, retry: int = 0) -> dict[str, Any]:
    return {
        "envelope_id": str(uuid.uuid4()),
        "payload": payload,
        "type": kind,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
    }


async def test_socket_mode_answers_events_and_acks_envelopes(serve: Callable[..., Any]) -> None:
    slack: Slack = await serve(slack_app_token=APP_TOKEN)
    [opened] = await slack.api.wait_for("apps.connections.open")
    assert opened.token == APP_TOKEN
    async with slack.session.post(f"{slack.base}/slack/events", data="{}") as response:
        assert response.status in (404, 405)  # no HTTP route: Socket Mode replaces it

    event = p.app_mention(PROJECT)
    mention = envelope("events_api", p.event_callback(event, event_id="Ev0SOCKET01"))
    await slack.api.send_envelope(mention)
    [post] = await slack.api.wait_for("chat.postMessage")
    assert post["thread_ts"] == event["ts"]
    acks = await slack.api.wait_for("socket_ack")
    assert acks[0]["envelope_id"] == mention["envelope_id"]

    # a redelivery over the socket is de-duplicated like an HTTP retry
    retry = envelope("events_api", p.event_callback(event, event_id="Ev0SOCKET01"), retry=1)
    await slack.api.send_envelope(retry)
    await slack.api.wait_for("socket_ack", count=2)

    form = p.slash_command("help", response_url=slack.api.response_url())
    command = envelope("slash_commands", dict(parse_qsl(form)))
    await slack.api.send_envelope(command)
    acks = await slack.api.wait_for("socket_ack", count=3)
    assert acks[2]["envelope_id"] == command["envelope_id"]
    assert acks[2]["payload"] == {"text": messages.USAGE, "response_type": "ephemeral"}
    await slack.drain()
    assert len(slack.api.of("chat.postMessage")) == 1


async def test_socket_mode_greets_assistant_threads_and_takes_context_changes_quietly(
    serve: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    slack: Slack = await serve(slack_app_token=APP_TOKEN)
    await slack.api.wait_for("apps.connections.open")
    caplog.set_level(logging.INFO)
    started = p.assistant_thread_started()
    changed = {**started, "type": "assistant_thread_context_changed"}
    for event in (changed, started):
        await slack.api.send_envelope(envelope("events_api", p.event_callback(event)))
    [prompts] = await slack.api.wait_for("assistant.threads.setSuggestedPrompts")
    acks = await slack.api.wait_for("socket_ack", count=2)
    await slack.drain()
    assert prompts["thread_ts"] == started["assistant_thread"]["thread_ts"]
    assert all(a.get("payload") is None for a in acks)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [r for r in caplog.records if "not handled" in r.getMessage()]
