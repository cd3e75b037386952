"""👍/👎 on an answer: acknowledged at once, stored once per person, thanked privately."""

from __future__ import annotations

import json

from bot import messages
from bot.adapters.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from bot.adapters.slack.keys import thread_key
from tests.slack.conftest import PROJECT, Slack, decoded_blocks
from tests.support import slack_payloads as p
from tests.support.slack_api import TEAM_ID


async def answer_and_buttons(slack: Slack) -> tuple[str, str, dict[str, str]]:
    event = p.app_mention(PROJECT)
    await slack.event(event)
    [post] = await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    actions = decoded_blocks(post)[-1]
    values = {e["action_id"]: e["value"] for e in actions["elements"]}
    return event["ts"], post.response["ts"], values


async def test_click_is_acked_stored_and_thanked(slack: Slack) -> None:
    root, message_ts, values = await answer_and_buttons(slack)
    assert await slack.click(FEEDBACK_UP, values[FEEDBACK_UP], message_ts=message_ts) == 200
    [thanks] = await slack.api.wait_for("response_url")
    await slack.drain()
    assert thanks["text"] == messages.FEEDBACK_THANKS and thanks["response_type"] == "ephemeral"
    assert thanks["replace_original"] is False
    [feedback] = await slack.runtime.store.recent_feedback()
    assert feedback.rating == "up" and feedback.verdict == "rag"
    assert feedback.thread == thread_key(TEAM_ID, p.CHANNEL, root)
    assert feedback.platform == "slack" and feedback.user == p.USER


async def test_repeated_clicks_count_once_and_are_each_acknowledged(slack: Slack) -> None:
    _, message_ts, values = await answer_and_buttons(slack)
    await slack.click(FEEDBACK_DOWN, values[FEEDBACK_DOWN], message_ts=message_ts)
    await slack.click(FEEDBACK_DOWN, values[FEEDBACK_DOWN], message_ts=message_ts)
    await slack.api.wait_for("response_url", count=2)
    await slack.drain()
    [feedback] = await slack.runtime.store.recent_feedback()
    assert feedback.rating == "down"


async def test_a_value_that_is_not_ours_gets_an_apology_not_a_crash(slack: Slack) -> None:
    status = await slack.click(FEEDBACK_UP, "not json", message_ts="1.2")
    assert status == 200
    [reply] = await slack.api.wait_for("response_url")
    await slack.drain()
    assert reply["text"].startswith("Sorry") and "reference" in reply["text"]
    assert await slack.runtime.store.recent_feedback() == []
    assert "not json" not in json.dumps(reply.args)


async def test_the_vote_is_stored_before_the_click_is_acknowledged(slack: Slack) -> None:
    """Slack never sends an acked click again: a vote written after the ack would be lost with
    a process that died in between."""
    _, message_ts, values = await answer_and_buttons(slack)
    assert await slack.click(FEEDBACK_UP, values[FEEDBACK_UP], message_ts=message_ts) == 200
    [feedback] = await slack.runtime.store.recent_feedback()  # no waiting: it is already there
    assert feedback.rating == "up"
    await slack.api.wait_for("response_url")
    await slack.drain()
