"""Thread keys, user ids and mention stripping, from Teams-shaped activities."""

from __future__ import annotations

from typing import Any

from bot.adapters.teams import keys
from bot.adapters.teams.adapter import parse_activity
from bot.adapters.teams.bot import incoming_text
from tests.support import teams_activities as ta

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def parse(body: dict[str, Any]) -> Any:
    activity = parse_activity(body)
    assert activity is not None
    return activity


def test_channel_thread_key_keeps_the_reply_chain() -> None:
    activity = parse(ta.channel_mention(SERVICE_URL, "hi", root_id="1700000000000"))
    assert keys.thread_key(activity) == (
        f"teams:{ta.TENANT_ID}:{ta.CHANNEL_ID};messageid=1700000000000"
    )


def test_tenant_comes_from_channel_data_when_the_conversation_lacks_it() -> None:
    body = ta.personal_message(SERVICE_URL, "hi")
    del body["conversation"]["tenantId"]
    assert keys.tenant_id(parse(body)) == ta.TENANT_ID
    del body["channelData"]
    assert keys.thread_key(parse(body)) == f"teams:-:{ta.PERSONAL_CHAT_ID}"


def test_dedup_key_names_conversation_and_activity() -> None:
    activity = parse(ta.personal_message(SERVICE_URL, "hi", activity_id="1700000000001"))
    assert keys.dedup_key(activity) == f"teams:activity:{ta.PERSONAL_CHAT_ID}:1700000000001"


def test_user_is_the_entra_object_id() -> None:
    activity = parse(ta.personal_message(SERVICE_URL, "hi"))
    assert keys.user_id(activity) == ta.USER["aadObjectId"]


def test_the_bots_mention_is_removed_others_are_kept() -> None:
    body = ta.channel_mention(SERVICE_URL, "ask <at>Grace Hopper</at> about  it&nbsp;too")
    body["entities"].append(
        {"type": "mention", "text": "<at>Grace Hopper</at>", "mentioned": {"id": "29:grace"}}
    )
    assert incoming_text(parse(body)) == "ask Grace Hopper about it too"


def test_display_names_are_not_regular_expressions() -> None:
    name = "Triage (beta)+"
    body = ta.channel_mention(SERVICE_URL, "x")
    body["text"] = f"<at>{name}</at> Support bot"
    body["entities"][0] = {
        "type": "mention",
        "text": f"<at>{name}</at>",
        "mentioned": {"id": ta.BOT_ID, "name": name},
    }
    assert incoming_text(parse(body)) == "Support bot"
