"""*Correct my reading* in Teams, over real HTTP: the answer carries what was understood and a
card with the button; the click (a message activity with the card's `value`) gets the form,
pre-set; its submission is answered once, in the same reply chain, with the user's facts."""

from __future__ import annotations

from typing import Any

from bot.adapters.teams import cards
from bot.core.reading_code import parse_code
from bot.core.triage.dimensions import DIMENSIONS
from tests.support import teams_activities as ta
from tests.support.connector import ConnectorStandIn, Post
from tests.teams.conftest import BotServer
from tests.teams.test_conversations import PROJECT, assert_cited_answer


def card(post: Post) -> dict[str, Any]:
    [attachment] = post.body["attachments"]
    assert attachment["contentType"] == cards.CONTENT_TYPE
    content: dict[str, Any] = attachment["content"]
    assert content["type"] == "AdaptiveCard" and content["version"] == cards.VERSION
    return content


def submit_data(post: Post) -> dict[str, Any]:
    [action] = card(post)["actions"]
    assert action["type"] == "Action.Submit"
    data: dict[str, Any] = action["data"]
    return data


async def test_the_card_round_trip_answers_once_in_the_reply_chain(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    root = ta.channel_mention(connector.url, PROJECT)
    await bot.post(root)
    [answer] = await connector.wait_messages(1)
    assert "What I understood: knowledge changes often ✔" in answer.text
    assert_cited_answer(answer)
    button = submit_data(answer)
    assert parse_code(button[cards.CODE])[0]["changing"] == "yes"

    conversation = root["conversation"]
    click = ta.card_submit(connector.url, conversation, button, reply_to_id="bot-reply-2")
    assert (await bot.post(click))[0] == 200
    _, form = await connector.wait_messages(2)
    assert form.conversation_id == conversation["id"] and form.reply_to_id == click["id"]
    inputs = [b for b in card(form)["body"] if b["type"] == "Input.ChoiceSet"]
    assert len(inputs) == len(DIMENSIONS) and all(i["style"] == "expanded" for i in inputs)
    preset = {i["id"]: i["value"] for i in inputs}
    assert preset["changing"] == "yes" and preset["format"] == "unknown"

    value = {**submit_data(form), **preset, "format": "yes", "style": "yes"}
    submission = ta.card_submit(connector.url, conversation, value, reply_to_id="bot-reply-3")
    assert (await bot.post(submission))[0] == 200
    assert (await bot.post(submission))[0] == 200  # delivered twice
    *_, again = await connector.wait_messages(3)
    await bot.runtime.drain(5)
    assert len(connector.messages()) == 3
    assert again.conversation_id == conversation["id"] and again.reply_to_id == submission["id"]
    assert (
        again.text.startswith("My recommendation: **Both")
        and "fixed output format ✔ (you set)" in again.text
    )
    states, given = parse_code(submit_data(again)[cards.CODE])
    assert given == {"format", "style"} and states["changing"] == "yes"
    thread = f"teams:{ta.TENANT_ID}:{conversation['id']}"
    turns = await bot.runtime.store.load_turns(thread)
    assert [t.kind for t in turns if t.role == "user"] == ["message", "correction"]


async def test_a_card_value_that_is_not_ours_is_ignored(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    activity = ta.personal_message(connector.url, "")
    activity["value"] = {cards.KIND: cards.SUBMIT, cards.CODE: "garbage"}
    assert (await bot.post(activity))[0] == 200
    await bot.runtime.drain(5)
    assert connector.messages() == []
