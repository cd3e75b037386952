"""App Home: how to use the bot, the example projects and the workspace's last seven days."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import messages
from bot.adapters.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP, SECTION_LIMIT
from bot.adapters.slack.home import home_view, week_lines
from bot.core.stats import Week
from tests.slack.conftest import PROJECT, Slack, blocks_text, decoded_blocks
from tests.support import slack_payloads as p

PROMPTING = messages.EXAMPLE_PROMPTS[2][1]


def test_week_lines_rank_verdicts_and_show_votes() -> None:
    week = Week({"rag": 5, "fine_tuning": 2, "both": 2, "clarify": 0}, up=4, down=1)
    assert week_lines(week) == (
        "9 answers: RAG 5 · both 2 · fine-tuning 2",
        "Feedback: 👍 4 · 👎 1",
    )
    assert week_lines(Week()) == (messages.SLACK_HOME_NO_ANSWERS, "Feedback: 👍 0 · 👎 0")
    assert week_lines(Week({"<!channel>": 1}))[0] == "1 answers: &lt;!channel&gt; 1"


def test_the_view_is_a_home_tab_within_block_kit_limits() -> None:
    view = home_view(Week({"rag": 1}))
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    for block in view["blocks"]:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= (150 if block["type"] == "header" else SECTION_LIMIT)
    text = "\n".join(b.get("text", {}).get("text", "") for b in view["blocks"])
    for title, message in messages.EXAMPLE_PROMPTS:
        assert title in text and message in text


async def test_app_home_opened_publishes_the_workspaces_week(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve()
    mention = p.app_mention(PROJECT)
    await slack.event(mention)
    [post] = await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    values = {e["action_id"]: e["value"] for e in decoded_blocks(post)[-1]["elements"]}
    message_ts = post.response["ts"]
    await slack.click(FEEDBACK_UP, values[FEEDBACK_UP], message_ts=message_ts)
    await slack.click(FEEDBACK_UP, values[FEEDBACK_UP], message_ts=message_ts)  # counted once
    await slack.click(
        FEEDBACK_DOWN, values[FEEDBACK_DOWN], message_ts=message_ts, user=p.OTHER_USER
    )
    await slack.command(PROJECT)
    await slack.event(p.dm(PROMPTING))
    await slack.api.wait_for("chat.postMessage", count=3)  # mention, placeholder, DM
    await slack.api.wait_for("chat.update")
    await slack.api.wait_for("response_url", count=3)
    await slack.drain()

    assert await slack.event(p.app_home_opened(user=p.OTHER_USER)) == 200
    [published] = await slack.api.wait_for("views.publish")
    await slack.drain()
    assert published["user_id"] == p.OTHER_USER
    view = published["view"]
    assert view["type"] == "home"
    text = blocks_text({"blocks": view["blocks"]})
    assert messages.SLACK_HOME_WEEK in text
    assert "3 answers: RAG 2 · prompting first 1" in text
    assert "Feedback: 👍 1 · 👎 1" in text
    assert messages.EXAMPLE_PROMPTS[0][1] in text


async def test_the_messages_tab_publishes_nothing(slack: Slack) -> None:
    assert await slack.event(p.app_home_opened(tab="messages")) == 200
    await slack.drain()
    assert [c.method for c in slack.api.calls] == ["auth.test"]
