"""When Slack or the engine fails: retried, degraded, or apologised for — never silent."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.blocks import MAX_BLOCKS, SECTION_LIMIT, SlackMessage
from tests.slack.conftest import PROJECT, RaisingEngine, Slack, WordyEngine, decoded_blocks
from tests.support import slack_payloads as p
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn


async def test_rate_limited_post_waits_retry_after_then_posts(slack: Slack) -> None:
    slack.api.rate_limit("chat.postMessage", retry_after=1)
    await slack.event(p.app_mention(PROJECT))
    posts = await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    assert posts[0].response["error"] == "ratelimited" and posts[1].response["ok"] is True
    assert posts[1].at - posts[0].at >= 1.0
    assert posts[0].args == posts[1].args


async def test_invalid_blocks_degrade_to_plain_text(slack: Slack) -> None:
    slack.api.fail("chat.postMessage", "invalid_blocks")
    event = p.app_mention(PROJECT)
    await slack.event(event)
    refused, plain = await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    assert refused.get("blocks") and not plain.get("blocks")
    assert plain["thread_ts"] == event["ts"]
    text = plain["text"]
    assert "RAG" in text and "[1]" in text and "“" in text and "*Sources*" in text


async def test_msg_too_long_on_a_command_update_degrades_too(slack: Slack) -> None:
    slack.api.fail("chat.update", "msg_too_long")
    await slack.command(PROJECT)
    refused, plain = await slack.api.wait_for("chat.update", count=2)
    await slack.drain()
    assert refused.get("blocks") and plain.get("blocks") == []
    assert "asked:" in plain["text"] and "RAG" in plain["text"]


async def test_a_very_long_answer_is_split_over_messages_within_limits(
    serve: Callable[..., Any],
) -> None:
    probe: Slack = await serve()
    slack: Slack = await serve(engine=WordyEngine(probe.runtime.offline))
    event = p.app_mention(PROJECT)
    await slack.event(event)
    await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    posts = slack.api.of("chat.postMessage")
    assert len(posts) > 1
    for post in posts:
        assert post["thread_ts"] == event["ts"]
        blocks = decoded_blocks(post)
        assert 0 < len(blocks) <= MAX_BLOCKS
        assert all(
            len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks if b["type"] == "section"
        )
    assert decoded_blocks(posts[-1])[-1]["type"] == "actions"
    assert sum(json.dumps(p.args).count("More detail here.") for p in posts) == 150 * 3 * 12


async def test_engine_error_apologises_with_a_reference_and_logs_the_traceback(
    serve: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    slack: Slack = await serve(engine=RaisingEngine())
    event = p.app_mention(PROJECT)
    with caplog.at_level(logging.ERROR, logger="bot.adapters.slack"):
        await slack.event(event)
        [post] = await slack.api.wait_for("chat.postMessage")
        await slack.drain()
    [record] = [r for r in caplog.records if r.name.startswith("bot.adapters.slack.listeners")]
    ref = record.__dict__["ref"]
    assert record.exc_info and "hunter2" in str(record.exc_info[1])
    assert post["text"] == messages.ERROR_APOLOGY.format(ref=ref)
    assert post["thread_ts"] == event["ts"]
    assert "hunter2" not in json.dumps([c.args for c in slack.api.calls])
    # the loading status is cleared before the apology (which would clear it too)
    assert [c["status"] for c in slack.api.of("assistant.threads.setStatus")] == [
        messages.SLACK_STATUS,
        "",
    ]


async def test_engine_error_on_a_command_replaces_the_placeholder(
    serve: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    slack: Slack = await serve(engine=RaisingEngine())
    with caplog.at_level(logging.ERROR, logger="bot.adapters.slack"):
        await slack.command(PROJECT)
        [update] = await slack.api.wait_for("chat.update")
        await slack.drain()
    [record] = [r for r in caplog.records if r.name.startswith("bot.adapters.slack.listeners")]
    assert messages.ERROR_APOLOGY.format(ref=record.__dict__["ref"]) in update["text"]
    assert "hunter2" not in json.dumps([c.args for c in slack.api.calls])


async def test_rate_limited_user_gets_the_polite_text_ephemerally(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(rate_limit_per_minute=1)
    await slack.event(p.app_mention(PROJECT))
    second = p.app_mention("And another project: a legal contracts assistant")
    await slack.event(second)
    [note] = await slack.api.wait_for("chat.postEphemeral")
    await slack.drain()
    assert note["text"] == messages.RATE_LIMITED.format(seconds=60)
    assert note["user"] == p.USER and note["thread_ts"] == second["ts"]
    assert len(slack.api.of("chat.postMessage")) == 1


# The retry policy itself, with the wait injected (no real sleeping) -------------------------


@pytest.fixture
async def web_api(api: SlackApiStandIn) -> AsyncIterator[tuple[SlackApi, list[float]]]:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    client = AsyncWebClient(token=BOT_TOKEN, base_url=api.base_url)
    yield SlackApi(client, max_attempts=3, max_retry_after=30, sleep=fake_sleep), waits


async def test_retries_are_bounded(
    web_api: tuple[SlackApi, list[float]], api: SlackApiStandIn
) -> None:
    slack_api, waits = web_api
    api.rate_limit("chat.postMessage", retry_after=2, times=5)
    with pytest.raises(SlackApiError):
        await slack_api.post(p.CHANNEL, SlackMessage(text="hi"))
    assert waits == [2.0, 2.0] and len(api.of("chat.postMessage")) == 3


async def test_a_retry_after_beyond_the_bound_is_not_waited_for(
    web_api: tuple[SlackApi, list[float]], api: SlackApiStandIn
) -> None:
    slack_api, waits = web_api
    api.rate_limit("chat.postMessage", retry_after=120)
    with pytest.raises(SlackApiError):
        await slack_api.post(p.CHANNEL, SlackMessage(text="hi"))
    assert waits == []


async def test_other_errors_are_not_retried(
    web_api: tuple[SlackApi, list[float]], api: SlackApiStandIn
) -> None:
    slack_api, waits = web_api
    api.fail("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError):
        await slack_api.post(p.CHANNEL, SlackMessage(text="hi"))
    assert waits == [] and len(api.of("chat.postMessage")) == 1


async def test_reaction_failures_are_swallowed(
    web_api: tuple[SlackApi, list[float]], api: SlackApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    slack_api, _ = web_api
    api.fail("reactions.add", "already_reacted")
    api.fail("reactions.add", "missing_scope")
    await slack_api.react(p.CHANNEL, "1.2", "eyes")
    await slack_api.react(p.CHANNEL, "1.2", "eyes")
    assert [r.__dict__.get("error") for r in caplog.records] == ["missing_scope"]
