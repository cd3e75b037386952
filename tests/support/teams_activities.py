"""Teams Activity JSON as the Bot Framework connector delivers it to `/api/messages`.

Shapes follow what Teams sends: a channel post that @mentions the bot (text with `<at>…</at>`,
a `mention` entity, `conversation.id` of `19:…@thread.tacv2;messageid=<root id>`, channelData with
tenant, team and channel), a reply in that chain, personal and group chats, the
`conversationUpdate` sent when the bot is installed, and the `message/submitAction` invoke of a
feedback button. `service_url` is where the bot must send replies (the connector stand-in).
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
APP_ID = "9c1f4d2e-3b5a-4c6d-8e7f-0a1b2c3d4e5f"
BOT_ID = f"28:{APP_ID}"
BOT_NAME = "rag-or-ft"
TEAM_ID = "19:8f0e5c1f6bd5411f9f1c1bb2e0b8c5f2@thread.tacv2"
CHANNEL_ID = "19:2c3f0ad1a9f5430fa4c4d3e8b5b1c6d7@thread.tacv2"
GROUP_CHAT_ID = "19:0f6e1c3f3b1c4a37a3f0d2c6b8e4a9d1@thread.v2"
USER = {
    "id": "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4",
    "name": "Ada Lovelace",
    "aadObjectId": "6be02a5b-8b1c-4a3e-9d2f-bf1e0c2a4d5e",
}
PERSONAL_CHAT_ID = (
    "a:1Sv9nNYz8vB0JZkqbZ3Q6pgT5Ivx3x6Sx4gJqQzLWfP1xSOQ3bZmuU5Y5bXqRQq1yK3nV0A7Vb0fQ2cJrTyGhE5"
)

_ids = itertools.count(1_712_345_678_901)


def new_id() -> str:
    """Teams message ids are millisecond timestamps."""
    return str(next(_ids))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _base(service_url: str, activity_id: str) -> dict[str, Any]:
    return {
        "id": activity_id,
        "timestamp": _now(),
        "localTimestamp": _now(),
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": dict(USER),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "en-US",
        "localTimezone": "Europe/Berlin",
    }


def _mention_entities() -> list[dict[str, Any]]:
    return [
        {
            "type": "mention",
            "text": f"<at>{BOT_NAME}</at>",
            "mentioned": {"id": BOT_ID, "name": BOT_NAME},
        },
        {
            "type": "clientInfo",
            "locale": "en-US",
            "country": "US",
            "platform": "Web",
            "timezone": "Europe/Berlin",
        },
    ]


def _message(service_url: str, activity_id: str, text: str) -> dict[str, Any]:
    return {
        **_base(service_url, activity_id),
        "type": "message",
        "text": text,
        "textFormat": "plain",
        "attachments": [{"contentType": "text/html", "content": f"<p>{text}</p>"}],
    }


def _channel_data() -> dict[str, Any]:
    return {
        "teamsChannelId": CHANNEL_ID,
        "teamsTeamId": TEAM_ID,
        "channel": {"id": CHANNEL_ID, "name": "architecture"},
        "team": {
            "id": TEAM_ID,
            "name": "Platform",
            "aadGroupId": "0d1c2b3a-4f5e-6d7c-8b9a-0f1e2d3c4b5a",
        },
        "tenant": {"id": TENANT_ID},
    }


def channel_mention(
    service_url: str, text: str, *, root_id: str | None = None, activity_id: str | None = None
) -> dict[str, Any]:
    """A channel post mentioning the bot; with `root_id`, a reply in that post's chain."""
    activity_id = activity_id or new_id()
    root = root_id or activity_id
    activity = _message(service_url, activity_id, f"<at>{BOT_NAME}</at> {text}")
    activity["entities"] = _mention_entities()
    activity["conversation"] = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT_ID,
        "id": f"{CHANNEL_ID};messageid={root}",
    }
    activity["channelData"] = _channel_data()
    if root_id:
        activity["replyToId"] = root_id
    return activity


def personal_message(
    service_url: str, text: str, *, activity_id: str | None = None
) -> dict[str, Any]:
    activity = _message(service_url, activity_id or new_id(), text)
    activity["entities"] = _mention_entities()[1:]
    activity["conversation"] = {
        "conversationType": "personal",
        "tenantId": TENANT_ID,
        "id": PERSONAL_CHAT_ID,
    }
    activity["channelData"] = {"tenant": {"id": TENANT_ID}}
    return activity


def group_chat_mention(service_url: str, text: str) -> dict[str, Any]:
    activity = _message(service_url, new_id(), f"<at>{BOT_NAME}</at> {text}")
    activity["entities"] = _mention_entities()
    activity["conversation"] = {
        "isGroup": True,
        "conversationType": "groupChat",
        "tenantId": TENANT_ID,
        "id": GROUP_CHAT_ID,
    }
    activity["channelData"] = {"tenant": {"id": TENANT_ID}}
    return activity


def bot_installed_in_team(service_url: str) -> dict[str, Any]:
    """conversationUpdate when the app is added to a team (posted to the General channel)."""
    activity = _base(service_url, f"f:{new_id()}")
    activity.update(
        {
            "type": "conversationUpdate",
            "membersAdded": [{"id": BOT_ID}],
            "conversation": {
                "isGroup": True,
                "conversationType": "channel",
                "tenantId": TENANT_ID,
                "id": TEAM_ID,
            },
            "channelData": {**_channel_data(), "eventType": "teamMemberAdded"},
        }
    )
    return activity


def user_joined_team(service_url: str) -> dict[str, Any]:
    activity = bot_installed_in_team(service_url)
    activity["membersAdded"] = [{"id": USER["id"], "aadObjectId": USER["aadObjectId"]}]
    return activity


def feedback_invoke(
    service_url: str,
    conversation: dict[str, Any],
    *,
    reaction: str = "like",
    text: str = "",
    reply_to_id: str = "bot-reply-1",
) -> dict[str, Any]:
    """The invoke a thumbs-up/down click sends (feedback text as a JSON string, as Teams does)."""
    activity = _base(service_url, f"f:{new_id()}")
    activity.update(
        {
            "type": "invoke",
            "name": "message/submitAction",
            "replyToId": reply_to_id,
            "conversation": conversation,
            "channelData": {"tenant": {"id": TENANT_ID}, "source": {"name": "message"}},
            "value": {
                "actionName": "feedback",
                "actionValue": {
                    "reaction": reaction,
                    "feedback": json.dumps({"feedbackText": text}),
                },
            },
        }
    )
    return activity


def card_submit(
    service_url: str,
    conversation: dict[str, Any],
    value: dict[str, Any],
    *,
    reply_to_id: str,
    activity_id: str | None = None,
) -> dict[str, Any]:
    """What Teams sends when an `Action.Submit` on the bot's Adaptive Card is clicked: a message
    activity with no text whose `value` is the action's data merged with the card's inputs, in
    the conversation (reply chain) of the card, naming the card's message as `replyToId`."""
    activity = _base(service_url, activity_id or new_id())
    activity.update(
        {
            "type": "message",
            "replyToId": reply_to_id,
            "conversation": conversation,
            "channelData": {"tenant": {"id": TENANT_ID}, "source": {"name": "message"}},
            "value": value,
            "entities": _mention_entities()[1:],
        }
    )
    return activity
