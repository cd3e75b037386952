"""Slack request bodies and headers, shaped exactly as Slack sends them, and a signer.

Events API: a JSON `event_callback` envelope around the event. Slash commands: a form body.
Interactivity: a form body with one field, `payload`, holding JSON. Every request is signed
with `v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")` over the raw body, as Slack does.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from tests.support.slack_api import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
USER = "U0ALICE01"
OTHER_USER = "U0BOB0002"
CHANNEL = "C0GENERAL1"
PRIVATE_CHANNEL = "G0PRIVATE1"
DM_CHANNEL = "D0ALICEDM1"

_ts = itertools.count(1)


def new_ts() -> str:
    """A fresh, increasing Slack message timestamp."""
    return f"{1_710_000_000 + next(_ts)}.{next(_ts):06d}"


def signed_headers(
    body: str | bytes,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    content_type: str = "application/json",
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    raw = body.encode() if isinstance(body, str) else body
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def _rich_text(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "rich_text",
            "block_id": uuid.uuid4().hex[:5],
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        }
    ]


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """The Events API envelope around one event."""
    return {
        "token": "XXYYZZ1234abcd",
        "team_id": TEAM_ID,
        "context_team_id": TEAM_ID,
        "context_enterprise_id": None,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBURUFNMDAxIn0",
    }


def _user_message(
    kind: str, text: str, *, user: str, channel: str, ts: str | None, thread_ts: str | None
) -> dict[str, Any]:
    ts = ts or new_ts()
    event: dict[str, Any] = {
        "client_msg_id": str(uuid.uuid4()),
        "type": kind,
        "text": text,
        "user": user,
        "ts": ts,
        "blocks": _rich_text(text),
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts and thread_ts != ts:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = USER
    return event


def app_mention(
    text: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    ts: str | None = None,
    thread_ts: str | None = None,
    mention: bool = True,
) -> dict[str, Any]:
    """`@rag-or-ft text` — Slack puts the mention in the text as `<@BOTUSERID>`."""
    body = f"<@{BOT_USER_ID}> {text}" if mention else text
    return _user_message(
        "app_mention", body, user=user, channel=channel, ts=ts, thread_ts=thread_ts
    )


def message(
    text: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    channel_type: str = "channel",
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A person's message (message.channels / .groups / .im, by `channel_type`)."""
    event = _user_message("message", text, user=user, channel=channel, ts=ts, thread_ts=thread_ts)
    event["channel_type"] = channel_type
    return event


def dm(text: str, *, ts: str | None = None, thread_ts: str | None = None) -> dict[str, Any]:
    return message(text, channel=DM_CHANNEL, channel_type="im", ts=ts, thread_ts=thread_ts)


def assistant_thread_started(
    *, channel: str = DM_CHANNEL, thread_ts: str | None = None, user: str = USER
) -> dict[str, Any]:
    """Someone opened the assistant container (or a new chat in it) while looking at #general."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "context": {"channel_id": CHANNEL, "team_id": TEAM_ID, "enterprise_id": None},
            "channel_id": channel,
            "thread_ts": thread_ts or new_ts(),
        },
        "event_ts": new_ts(),
    }


def assistant_message(text: str, *, thread_ts: str, ts: str | None = None) -> dict[str, Any]:
    """A message written in an assistant thread: Slack sends it as `message.im`, threaded."""
    event = dm(text, ts=ts, thread_ts=thread_ts)
    event["parent_user_id"] = BOT_USER_ID
    return event


def app_home_opened(*, user: str = USER, tab: str = "home") -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": DM_CHANNEL,
        "tab": tab,
        "event_ts": new_ts(),
    }
    if tab == "home":
        event["view"] = {"id": "V0HOME0001", "type": "home", "blocks": [], "team_id": TEAM_ID}
    return event


def own_message(
    text: str, *, channel: str = CHANNEL, thread_ts: str | None = None
) -> dict[str, Any]:
    """What Slack echoes back when the bot itself posts (no subtype, but bot_id and user)."""
    ts = new_ts()
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "bot_profile": {"id": BOT_ID, "app_id": APP_ID, "name": "rag-or-ft", "team_id": TEAM_ID},
        "team": TEAM_ID,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def bot_message(
    text: str, *, channel: str = CHANNEL, thread_ts: str | None = None
) -> dict[str, Any]:
    """Another integration's post (legacy `bot_message` subtype, no user)."""
    ts = new_ts()
    event: dict[str, Any] = {
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "ts": ts,
        "username": "deploy-bot",
        "bot_id": "B0OTHER001",
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message_changed(original: dict[str, Any], new_text: str) -> dict[str, Any]:
    ts = new_ts()
    edited = {**original, "text": new_text, "edited": {"user": original["user"], "ts": ts}}
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": edited,
        "previous_message": original,
        "channel": original["channel"],
        "hidden": True,
        "ts": ts,
        "event_ts": ts,
        "channel_type": original.get("channel_type", "channel"),
    }


def message_deleted(original: dict[str, Any]) -> dict[str, Any]:
    ts = new_ts()
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "deleted_ts": original["ts"],
        "channel": original["channel"],
        "previous_message": original,
        "ts": ts,
        "event_ts": ts,
        "channel_type": original.get("channel_type", "channel"),
    }


def slash_command(text: str, *, response_url: str, user: str = USER, channel: str = CHANNEL) -> str:
    """The form body Slack POSTs for `/rag-or-ft text`."""
    return urlencode(
        {
            "token": "XXYYZZ1234abcd",
            "team_id": TEAM_ID,
            "team_domain": "standin",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "alice",
            "command": "/rag-or-ft",
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{int(time.time())}.1234567890.{uuid.uuid4().hex}",
        }
    )


def block_actions(
    action_id: str,
    value: str,
    *,
    response_url: str,
    message_ts: str,
    user: str = USER,
    channel: str = CHANNEL,
    thread_ts: str | None = None,
    trigger_id: str | None = None,
) -> str:
    """The form body Slack POSTs when a button in the bot's message is clicked."""
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel,
        "is_ephemeral": False,
    }
    if thread_ts:
        container["thread_ts"] = thread_ts
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "alice", "name": "alice", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "XXYYZZ1234abcd",
        "container": container,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": TEAM_ID, "domain": "standin"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "general"},
        "message": {
            "type": "message",
            "user": BOT_USER_ID,
            "ts": message_ts,
            "bot_id": BOT_ID,
            "text": "RAG (92%)",
            "team": TEAM_ID,
        },
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "feedback",
                "text": {"type": "plain_text", "text": "👍 Helpful", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def new_trigger_id() -> str:
    return f"{int(time.time())}.1234567890.{uuid.uuid4().hex}"


def view_submission(view: dict[str, Any], values: dict[str, str], *, user: str = USER) -> str:
    """The form body Slack POSTs when a modal the bot opened is submitted: `view` as Slack
    returned it from `views.open` (with its id), `values` the radio choice per block id."""
    state = {
        block: {
            "state": {
                "type": "radio_buttons",
                "selected_option": {
                    "text": {"type": "plain_text", "text": choice, "emoji": True},
                    "value": choice,
                },
            }
        }
        for block, choice in values.items()
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "user": {"id": user, "username": "alice", "name": "alice", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "XXYYZZ1234abcd",
        "trigger_id": new_trigger_id(),
        "view": {
            **view,
            "team_id": TEAM_ID,
            "state": {"values": state},
            "previous_view_id": None,
            "root_view_id": view.get("id"),
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload)})


def url_verification(challenge: str) -> dict[str, Any]:
    return {"token": "XXYYZZ1234abcd", "challenge": challenge, "type": "url_verification"}
