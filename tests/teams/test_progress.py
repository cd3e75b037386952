"""What a Teams user sees while the bot works, over real HTTP against the connector stand-in: a
stream's informative update before the final answer in a personal chat, typing indicators in a
group chat, nothing in a channel's reply chain, and a quiet fallback when streaming is refused."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bot import messages
from bot.settings import Settings
from tests.support import teams_activities as ta
from tests.support.connector import ConnectorStandIn, Post
from tests.support.toolbox import GatedEngine, grounding_for, until
from tests.teams.conftest import BotServer, running_bot
from tests.teams.test_conversations import PROJECT, assert_cited_answer, assert_no_nulls

REFUSED_LOG = "teams streaming refused"


def informative(post: Post) -> bool:
    return post.type == "typing" and (post.stream_info or {}).get("streamType") == "informative"


async def test_personal_chat_gets_an_informative_update_before_the_final_answer(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    await bot.post(ta.personal_message(connector.url, PROJECT))
    [final] = await connector.wait_messages(1)

    update = connector.posts[0]
    assert informative(update) and update.text == messages.PROGRESS_STEPS[0]
    assert update.stream_info == {
        "type": "streaminfo",
        "streamType": "informative",
        "streamSequence": 1,
    }
    assert update.body["channelData"] == {"streamType": "informative", "streamSequence": 1}
    assert update.conversation_id == ta.PERSONAL_CHAT_ID and "id" not in update.body
    assert update.at < final.at

    stream_id = "bot-reply-1"  # the connector's id for the first update names the stream
    assert final.stream_info == {"type": "streaminfo", "streamType": "final", "streamId": stream_id}
    assert final.body["channelData"] == {
        "feedbackLoopEnabled": True,
        "streamType": "final",
        "streamId": stream_id,
    }
    assert_no_nulls(final.body["entities"])
    assert_cited_answer(final)
    assert final.text.endswith(messages.TEAMS_REPLY_HINT)
    assert not [p for p in connector.posts if p.type == "typing" and not informative(p)]


async def test_a_slow_answer_gets_the_next_steps_in_the_same_stream(
    make_settings: Callable[..., Settings], connector: ConnectorStandIn
) -> None:
    settings = make_settings()
    engine = GatedEngine(grounding_for(settings).offline)
    async with running_bot(settings, engine=engine) as bot:
        await bot.post(ta.personal_message(connector.url, PROJECT))
        await until(
            lambda: len([p for p in connector.posts if informative(p)]) >= 2, "a second update"
        )
        engine.gate.set()
        [final] = await connector.wait_messages(1)

    first, second = [p for p in connector.posts if informative(p)][:2]
    assert (first.text, second.text) == messages.PROGRESS_STEPS[:2]
    assert second.stream_info == {
        "type": "streaminfo",
        "streamType": "informative",
        "streamSequence": 2,
        "streamId": "bot-reply-1",
    }
    assert second.body["channelData"]["streamId"] == "bot-reply-1"
    assert final.stream_info is not None and final.stream_info["streamId"] == "bot-reply-1"
    assert connector.posts[-1] is final


async def test_refused_streaming_falls_back_to_typing_and_a_plain_answer(
    bot: BotServer, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    connector.refuse_streams = 403  # a client or tenant where streaming is not allowed
    caplog.set_level(logging.INFO, logger="bot.adapters.teams")
    await bot.post(ta.personal_message(connector.url, PROJECT))
    [answer] = await connector.wait_messages(1)

    assert answer.stream_info is None
    assert answer.body["channelData"] == {"feedbackLoopEnabled": True}
    assert_cited_answer(answer)
    refused, *others = connector.posts
    assert informative(refused)  # the one the connector refused
    assert [p.type for p in others] == ["typing", "message"]  # a plain indicator instead
    assert others[0].stream_info is None
    assert len([r for r in caplog.records if REFUSED_LOG in r.getMessage()]) == 1


async def test_a_refused_final_message_is_sent_again_as_a_plain_one(
    bot: BotServer, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    connector.refuse_streams = 403
    connector.refused_stream_types = frozenset({"final"})  # e.g. the stream timed out
    caplog.set_level(logging.INFO, logger="bot.adapters.teams")
    await bot.post(ta.personal_message(connector.url, PROJECT))
    await until(lambda: any(m.stream_info is None for m in connector.messages()), "a plain answer")

    streamed, plain = connector.messages()
    assert streamed.stream_info is not None and plain.stream_info is None
    assert plain.text == streamed.text
    assert plain.body["channelData"] == {"feedbackLoopEnabled": True}
    assert_cited_answer(plain)
    finals = [r for r in caplog.records if "refused at its final message" in r.getMessage()]
    assert len(finals) == 1


async def test_no_typing_activity_goes_into_a_channel_reply_chain(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    root = ta.channel_mention(connector.url, PROJECT)
    await bot.post(root)
    await connector.wait_messages(1)  # before, a typing indicator always came first
    await bot.post(ta.channel_mention(connector.url, "Why not fine-tuning?", root_id=root["id"]))
    await connector.wait_messages(2)

    chain = f"{ta.CHANNEL_ID};messageid={root['id']}"
    assert [(p.type, p.conversation_id) for p in connector.posts] == [("message", chain)] * 2
    assert all(p.stream_info is None for p in connector.posts)


async def test_group_chat_keeps_the_typing_indicator(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    await bot.post(ta.group_chat_mention(connector.url, PROJECT))
    [answer] = await connector.wait_messages(1)

    typing = connector.typing()
    assert typing and typing[0].at < answer.at
    assert all(p.conversation_id == ta.GROUP_CHAT_ID for p in connector.posts)
    assert all(p.stream_info is None for p in connector.posts)  # streams are for 1:1 chats
    assert answer.body["channelData"] == {"feedbackLoopEnabled": True}
