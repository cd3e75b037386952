"""Events over real HTTP: mentions, follow-ups, DMs, and what the bot must ignore."""

from __future__ import annotations

from bot import messages
from bot.adapters.slack.keys import thread_key
from tests.slack.conftest import PROJECT, Slack, blocks_text, decoded_blocks
from tests.support import slack_payloads as p
from tests.support.slack_api import BOT_USER_ID, TEAM_ID

FOLLOW_UP = "Also, every answer must use our support team's tone and a fixed JSON format."


async def answered_mention(slack: Slack) -> dict[str, str]:
    event = p.app_mention(PROJECT)
    assert await slack.event(event) == 200
    await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    return event


async def test_mention_is_answered_in_its_thread_with_citations(slack: Slack) -> None:
    event = await answered_mention(slack)
    [post] = slack.api.of("chat.postMessage")
    assert post["channel"] == p.CHANNEL and post["thread_ts"] == event["ts"]
    text = blocks_text(post)
    assert "RAG" in text and "[1]" in text and "*Sources*" in text and "“" in text
    assert post.token and post.token.startswith("xoxb-")
    assert post["unfurl_links"] is False
    # the thread's loading status while working, cleared by the answer itself (Slack clears it
    # on the app's reply); auth.test once, lazily on the first request
    methods = [c.method for c in slack.api.calls]
    assert methods == ["auth.test", "assistant.threads.setStatus", "chat.postMessage"]
    [status] = slack.api.of("assistant.threads.setStatus")
    assert status["channel_id"] == p.CHANNEL and status["thread_ts"] == event["ts"]
    assert status["status"] == messages.SLACK_STATUS
    assert status["loading_messages"] == list(messages.PROGRESS_STEPS)
    turns = await slack.runtime.store.load_turns(thread_key(TEAM_ID, p.CHANNEL, event["ts"]))
    assert [t.role for t in turns] == ["user", "bot"]
    assert BOT_USER_ID not in turns[0].text and turns[0].text.startswith("Support bot")


async def test_follow_up_in_the_thread_needs_no_mention(slack: Slack) -> None:
    event = await answered_mention(slack)
    reply = p.message(FOLLOW_UP, thread_ts=event["ts"])
    assert await slack.event(reply) == 200
    posts = await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    assert posts[1]["thread_ts"] == event["ts"]
    assert "turn 2" in blocks_text(posts[1])
    turns = await slack.runtime.store.load_turns(thread_key(TEAM_ID, p.CHANNEL, event["ts"]))
    assert [t.role for t in turns] == ["user", "bot", "user", "bot"]


async def test_threads_the_bot_never_joined_are_ignored(slack: Slack) -> None:
    await answered_mention(slack)
    before = len(slack.api.calls)
    root = p.new_ts()
    for event in (
        p.message("unrelated chatter", ts=root),
        p.message("a reply in someone else's thread", thread_ts=root),
        p.message("private channel reply", channel=p.PRIVATE_CHANNEL, thread_ts=root),
        p.message(f"top-level with a mention <@{BOT_USER_ID}> (app_mention answers it)"),
    ):
        assert await slack.event(event) == 200
    await slack.drain()
    assert len(slack.api.calls) == before


async def test_mention_inside_an_unknown_thread_starts_a_conversation_there(slack: Slack) -> None:
    root = p.new_ts()
    event = p.app_mention(PROJECT, thread_ts=root)
    await slack.event(event)
    [post] = await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    assert post["thread_ts"] == root


async def test_dm_starts_a_conversation_in_its_own_thread(slack: Slack) -> None:
    first = p.dm(PROJECT)
    await slack.event(first)
    [post] = await slack.api.wait_for("chat.postMessage")
    assert post["channel"] == p.DM_CHANNEL and post["thread_ts"] == first["ts"]
    await slack.event(p.dm(FOLLOW_UP, thread_ts=first["ts"]))
    posts = await slack.api.wait_for("chat.postMessage", count=2)
    assert posts[1]["thread_ts"] == first["ts"] and "turn 2" in blocks_text(posts[1])
    # another top-level DM is another project: a fresh thread, turn 1
    await slack.event(p.dm("Chatbot that writes SQL in our warehouse dialect"))
    posts = await slack.api.wait_for("chat.postMessage", count=3)
    await slack.drain()
    assert "turn" not in blocks_text(posts[2]).split("Confidence")[1][:20]


async def test_empty_mention_and_help_get_usage(slack: Slack) -> None:
    await slack.event(p.app_mention("", mention=True))
    await slack.event(p.app_mention("help"))
    posts = await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    texts = sorted(post["text"] for post in posts)
    assert texts == sorted([messages.EMPTY_MESSAGE, messages.USAGE])
    assert not slack.api.of("reactions.add")


async def test_bots_edits_and_deletions_are_ignored(slack: Slack) -> None:
    event = await answered_mention(slack)
    before = len(slack.api.calls)
    root = event["ts"]
    reply = p.message(FOLLOW_UP, thread_ts=root)
    for ignored in (
        p.own_message("my own answer", thread_ts=root),
        p.bot_message("deploy finished", thread_ts=root),
        p.message_changed(reply, "edited text"),
        p.message_deleted(reply),
        {**p.message("joined", thread_ts=root), "subtype": "channel_join"},
        {**p.app_mention("from another bot"), "bot_id": "B0OTHER001"},
    ):
        assert await slack.event(ignored) == 200
    await slack.drain()
    assert len(slack.api.calls) == before


async def test_answer_blocks_respect_slack_limits(slack: Slack) -> None:
    await answered_mention(slack)
    [post] = slack.api.of("chat.postMessage")
    blocks = decoded_blocks(post)
    assert len(blocks) <= 50
    assert blocks[0]["type"] == "header" and blocks[-1]["type"] == "actions"
