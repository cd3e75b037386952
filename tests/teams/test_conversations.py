"""Teams end to end, over real HTTP: Teams-shaped activities POSTed to /api/messages of the real
application (anonymous mode, offline engine, embedded store); the bot's replies are whatever
reaches the connector stand-in at the activities' serviceUrl."""

from __future__ import annotations

import re
from typing import Any

from bot import messages
from bot.adapters.teams.keys import PLATFORM
from tests.support import teams_activities as ta
from tests.support.connector import ConnectorStandIn, Post
from tests.support.toolbox import counter
from tests.teams.conftest import BotServer

PROJECT = (
    "Support bot over 3,000 help articles that change weekly; answers must link to the source."
)
FOLLOW_UP = "Also, every answer has to use our strict JSON format for the ticketing system."


def assert_no_nulls(value: Any, path: str = "$") -> None:
    """Teams' connector refuses some `null` fields (a citation `url: null` → 400); send none."""
    assert value is not None, f"null at {path}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert_no_nulls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_nulls(item, f"{path}[{index}]")


def assert_cited_answer(post: Post) -> list[dict[str, Any]]:
    """The answer as Teams needs it: AI label, native citations matching the [n] markers,
    feedback buttons, Markdown text."""
    body = post.body
    assert_no_nulls(body.get("entities"))
    # a personal chat's answer is also the final message of its stream (streamType, streamId)
    assert body["channelData"]["feedbackLoopEnabled"] is True
    assert set(body["channelData"]) <= {"feedbackLoopEnabled", "streamType", "streamId"}
    assert body["textFormat"] == "markdown"
    [entity] = [e for e in body["entities"] if e["type"] == "https://schema.org/Message"]
    assert entity["@type"] == "Message" and entity["@context"] == "https://schema.org"
    assert entity["@id"] == "" and entity["additionalType"] == ["AIGeneratedContent"]
    claims: list[dict[str, Any]] = entity["citation"]
    assert 1 <= len(claims) <= 10
    assert [c["position"] for c in claims] == list(range(1, len(claims) + 1))
    for claim in claims:
        appearance = claim["appearance"]
        assert claim["@type"] == "Claim" and appearance["@type"] == "DigitalDocument"
        assert appearance["name"] and 0 < len(appearance["abstract"]) <= 160
        assert "url" not in appearance  # the knowledge base has no URLs
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["text"])}
    assert markers and markers <= {c["position"] for c in claims}
    return claims


async def user_turns(bot: BotServer, thread: str) -> list[str]:
    return [t.text for t in await bot.runtime.store.load_turns(thread) if t.role == "user"]


async def test_channel_mention_is_answered_in_its_reply_chain(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    activity = ta.channel_mention(connector.url, PROJECT)
    status, _ = await bot.post(activity)
    assert status == 200
    [reply] = await connector.wait_messages(1)

    chain = f"{ta.CHANNEL_ID};messageid={activity['id']}"
    assert reply.conversation_id == chain and reply.body["conversation"]["id"] == chain
    assert reply.reply_to_id == activity["id"] and reply.body["replyToId"] == activity["id"]
    assert reply.body["from"]["id"] == ta.BOT_ID
    assert reply.text.startswith("My recommendation: **RAG")
    assert "<at>" not in reply.text and reply.text.endswith(messages.TEAMS_MENTION_HINT)
    assert_cited_answer(reply)
    # no typing indicator into a reply chain: Teams shows none there, and the Agents
    # Playground's page stops handling messages after one ("Invalid conversation id")
    assert [p.type for p in connector.posts] == ["message"]
    # the core saw the text without the mention
    assert await user_turns(bot, f"teams:{ta.TENANT_ID}:{chain}") == [PROJECT]


async def test_follow_up_in_the_reply_chain_continues_the_thread(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    root = ta.channel_mention(connector.url, PROJECT)
    await bot.post(root)
    await connector.wait_messages(1)
    status, _ = await bot.post(ta.channel_mention(connector.url, FOLLOW_UP, root_id=root["id"]))
    assert status == 200
    first, second = await connector.wait_messages(2)

    chain = f"{ta.CHANNEL_ID};messageid={root['id']}"
    assert second.conversation_id == chain and second.reply_to_id != first.reply_to_id
    thread = f"teams:{ta.TENANT_ID}:{chain}"
    assert await user_turns(bot, thread) == [PROJECT, FOLLOW_UP]
    numbers = [t.number for t in await bot.runtime.store.load_turns(thread) if t.role == "user"]
    assert numbers == [1, 2]
    assert second.text != first.text  # answered over both messages, not the last alone
    assert_cited_answer(second)


async def test_a_new_post_in_the_same_channel_is_a_new_thread(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    await bot.post(ta.channel_mention(connector.url, PROJECT))
    await bot.post(ta.channel_mention(connector.url, FOLLOW_UP))
    first, second = await connector.wait_messages(2)
    assert first.conversation_id != second.conversation_id
    assert all(p.conversation_id.startswith(ta.CHANNEL_ID) for p in (first, second))


async def test_personal_chat_is_one_conversation(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    await bot.post(ta.personal_message(connector.url, PROJECT))
    await connector.wait_messages(1)
    await bot.post(ta.personal_message(connector.url, FOLLOW_UP))
    first, second = await connector.wait_messages(2)

    assert first.conversation_id == second.conversation_id == ta.PERSONAL_CHAT_ID
    assert messages.TEAMS_MENTION_HINT not in second.text  # no mention needed in a 1:1 chat
    thread = f"teams:{ta.TENANT_ID}:{ta.PERSONAL_CHAT_ID}"
    assert await user_turns(bot, thread) == [PROJECT, FOLLOW_UP]
    assert_cited_answer(second)


async def test_group_chat_works_like_a_channel(bot: BotServer, connector: ConnectorStandIn) -> None:
    activity = ta.group_chat_mention(connector.url, PROJECT)
    await bot.post(activity)
    [reply] = await connector.wait_messages(1)
    assert reply.conversation_id == ta.GROUP_CHAT_ID and reply.reply_to_id == activity["id"]
    assert messages.TEAMS_MENTION_HINT in reply.text
    assert await user_turns(bot, f"teams:{ta.TENANT_ID}:{ta.GROUP_CHAT_ID}") == [PROJECT]
    assert_cited_answer(reply)


async def test_welcome_when_the_bot_is_installed(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    status, _ = await bot.post(ta.user_joined_team(connector.url))
    assert status == 200 and connector.posts == []
    installed = ta.bot_installed_in_team(connector.url)
    status, _ = await bot.post(installed)
    assert status == 200
    await bot.post(installed)  # a redelivery does not welcome twice
    [welcome] = connector.messages()  # sent within the request
    assert welcome.text == messages.TEAMS_WELCOME and welcome.conversation_id == ta.TEAM_ID
    assert "entities" not in welcome.body  # fixed text is not labelled AI-generated


async def test_help_shows_usage(bot: BotServer, connector: ConnectorStandIn) -> None:
    await bot.post(ta.channel_mention(connector.url, "help"))
    await bot.post(ta.personal_message(connector.url, "  "))
    usage, empty = connector.messages()
    assert usage.text == messages.TEAMS_USAGE
    assert empty.text == messages.TEAMS_EMPTY_MESSAGE
    assert bot.runtime.in_flight == 0  # no triage was started


async def test_a_repeated_activity_is_answered_once(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    activity = ta.personal_message(connector.url, PROJECT)
    await bot.post(activity)
    await connector.wait_messages(1)
    await bot.runtime.drain(5)  # the first job's bookkeeping (posted, acknowledged) finishes
    status, _ = await bot.post(activity)  # Teams retries with the same activity id
    assert status == 200
    await bot.runtime.drain(5)  # the duplicate is queued, and dropped when its job is taken
    assert len(connector.messages()) == 1
    assert counter(bot.runtime.metrics, "ragorft_dedup_hits_total", platform=PLATFORM) == 1
    thread = f"teams:{ta.TENANT_ID}:{ta.PERSONAL_CHAT_ID}"
    assert await user_turns(bot, thread) == [PROJECT]


async def test_feedback_button_is_stored(bot: BotServer, connector: ConnectorStandIn) -> None:
    message = ta.personal_message(connector.url, PROJECT)
    await bot.post(message)
    [answer] = await connector.wait_messages(1)
    invoke = ta.feedback_invoke(
        connector.url, message["conversation"], reaction="dislike", text="Missed our latency need"
    )
    status, _ = await bot.post(invoke)
    assert status == 200
    [feedback] = await bot.runtime.store.recent_feedback()
    assert feedback.rating == "down" and feedback.comment == "Missed our latency need"
    assert feedback.verdict == "rag" and feedback.platform == "teams"
    assert feedback.thread == f"teams:{ta.TENANT_ID}:{ta.PERSONAL_CHAT_ID}"
    assert feedback.user == ta.USER["aadObjectId"]
    assert connector.messages() == [answer]  # nothing posted for a feedback click


async def test_invokes_the_bot_has_no_feature_for_are_a_client_error(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    invoke = ta.feedback_invoke(connector.url, {"id": ta.PERSONAL_CHAT_ID})
    invoke["name"] = "composeExtension/query"
    status, body = await bot.post(invoke)
    assert status == 400
    assert "composeExtension/query" in str(body)
    assert connector.messages() == []


async def test_rate_limited_user_gets_a_polite_reply(
    make_settings: Any, connector: ConnectorStandIn
) -> None:
    from tests.teams.conftest import running_bot

    async with running_bot(make_settings(rate_limit_per_minute=1)) as bot:
        await bot.post(ta.personal_message(connector.url, PROJECT))
        await bot.post(ta.personal_message(connector.url, FOLLOW_UP))
        replies = await connector.wait_messages(2)
    texts = [r.text for r in replies]
    assert messages.RATE_LIMITED.format(seconds=60) in texts
