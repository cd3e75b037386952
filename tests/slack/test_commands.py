"""`/rag-or-ft` over real HTTP: fast ack, a new channel message whose thread holds follow-ups."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from bot import messages
from bot.adapters.slack.blocks import FALLBACK_LIMIT, MESSAGE_CHAR_BUDGET, SECTION_LIMIT
from bot.adapters.slack.keys import thread_key
from tests.slack.conftest import PROJECT, Slack, blocks_text, decoded_blocks
from tests.support import slack_payloads as p
from tests.support.slack_api import TEAM_ID
from tests.support.toolbox import GatedEngine


async def test_command_is_acked_before_the_answer_and_posted_as_a_new_message(
    serve: Callable[..., Any],
) -> None:
    probe: Slack = await serve()
    engine = GatedEngine(probe.runtime.offline)
    slack: Slack = await serve(engine=engine)
    started = time.perf_counter()
    status, body = await slack.command(PROJECT)
    assert status == 200 and body == ""
    assert time.perf_counter() - started < 1.0
    # the placeholder is a new top-level channel message naming who asked what
    [placeholder] = await slack.api.wait_for("chat.postMessage")
    assert placeholder["channel"] == p.CHANNEL and not placeholder.get("thread_ts")
    assert "<@U0ALICE01> asked:" in blocks_text(placeholder) and "3,000 help" in blocks_text(
        placeholder
    )
    assert not slack.api.of("chat.update")
    engine.gate.set()
    [update] = await slack.api.wait_for("chat.update")
    await slack.drain()
    assert update["ts"] == placeholder.response["ts"] and update["channel"] == p.CHANNEL
    text = blocks_text(update)
    assert "<@U0ALICE01> asked:" in text and "RAG" in text and "[1]" in text
    assert decoded_blocks(update)[-1]["type"] == "actions"
    turns = await slack.runtime.store.load_turns(thread_key(TEAM_ID, p.CHANNEL, update["ts"]))
    assert len(turns) == 2


async def test_a_huge_command_is_echoed_capped_in_the_placeholder_and_the_answer(
    slack: Slack,
) -> None:
    huge = PROJECT + " " + "We also keep <many> & varied notes. " * 1100  # ~40,000 characters
    status, _ = await slack.command(huge)
    assert status == 200
    [placeholder] = await slack.api.wait_for("chat.postMessage")
    [update] = await slack.api.wait_for("chat.update")
    await slack.drain()
    for message in (placeholder, update):
        blocks = decoded_blocks(message)
        assert len(json.dumps(blocks, ensure_ascii=False)) <= MESSAGE_CHAR_BUDGET
        assert 0 < len(message["text"]) <= FALLBACK_LIMIT
        echo = blocks[0]["text"]["text"]
        assert echo.startswith("<@U0ALICE01> asked:") and echo.endswith("…")
        assert len(echo) <= SECTION_LIMIT
    assert len(decoded_blocks(placeholder)) == 2  # the echo and "working on it"


async def test_follow_up_in_the_command_thread_continues_it(slack: Slack) -> None:
    await slack.command(PROJECT)
    [update] = await slack.api.wait_for("chat.update")
    await slack.drain()
    root = update["ts"]
    await slack.event(p.message("Why not fine-tuning?", thread_ts=root))
    posts = await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    assert posts[1]["thread_ts"] == root and "turn 2" in blocks_text(posts[1])


async def test_help_and_empty_command_show_usage_ephemerally(slack: Slack) -> None:
    for text in ("", "help", "  HELP "):
        status, body = await slack.command(text)
        assert status == 200
        assert json.loads(body) == {"text": messages.USAGE, "response_type": "ephemeral"}
    await slack.drain()
    assert [c.method for c in slack.api.calls] == ["auth.test"]


async def test_unknown_subcommand_is_a_project_description(slack: Slack) -> None:
    await slack.command("status")
    [update] = await slack.api.wait_for("chat.update")
    await slack.drain()
    assert "asked:" in blocks_text(update)


async def test_text_mentioning_payload_is_not_lost(slack: Slack) -> None:
    """bolt treats any form body containing `payload` as an interaction; ours must not."""
    status, _ = await slack.command("Classify the JSON payload of each webhook by urgency")
    assert status == 200
    [update] = await slack.api.wait_for("chat.update")
    await slack.drain()
    assert "JSON payload" in blocks_text(update)


async def test_user_text_is_echoed_escaped(slack: Slack) -> None:
    await slack.command("<!channel> & <@U0BOB0002> wiki bot over docs that change daily")
    [update] = await slack.api.wait_for("chat.update")
    await slack.drain()
    rendered = json.dumps(update.args)
    assert "<!channel>" not in rendered and "<@U0BOB0002>" not in rendered
    assert "&lt;!channel&gt; &amp; &lt;@U0BOB0002&gt;" in rendered


async def test_not_in_channel_tells_the_user_how_to_invite_the_bot(slack: Slack) -> None:
    slack.api.fail("chat.postMessage", "not_in_channel")
    status, _ = await slack.command(PROJECT, name="invite")
    assert status == 200
    [reply] = await slack.api.wait_for("response_url")
    await slack.drain()
    assert reply["name"] == "invite" and reply["text"] == messages.NOT_IN_CHANNEL
    assert reply["response_type"] == "ephemeral"
    assert not slack.api.of("chat.update")


async def test_channel_not_found_in_a_dm_between_people_is_told_too(slack: Slack) -> None:
    slack.api.fail("chat.postMessage", "channel_not_found")
    await slack.command(PROJECT, channel="D0SOMEDM01")
    [reply] = await slack.api.wait_for("response_url")
    await slack.drain()
    assert reply["text"] == messages.NOT_IN_CHANNEL


async def test_rate_limited_user_is_told_privately_and_the_placeholder_removed(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(rate_limit_per_minute=1)
    await slack.command(PROJECT)
    await slack.api.wait_for("chat.update")
    await slack.command("Another project: a chatbot over our HR policies")
    [reply] = await slack.api.wait_for("response_url")
    [delete] = await slack.api.wait_for("chat.delete")
    await slack.drain()
    assert reply["text"] == messages.RATE_LIMITED.format(seconds=60)
    assert delete["ts"] == slack.api.of("chat.postMessage")[1].response["ts"]
    assert len(slack.api.of("chat.update")) == 1
