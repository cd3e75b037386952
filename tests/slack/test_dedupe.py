"""Exactly-once: Slack retries, the same message as app_mention + message, two processes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.slack.conftest import PROJECT, Slack
from tests.support import slack_payloads as p
from tests.support.redis_server import RedisServer
from tests.support.slack_api import BOT_USER_ID
from tests.support.toolbox import counter, redis_store


def dedup_hits(slack: Slack) -> float:
    return counter(slack.runtime.metrics, "ragorft_dedup_hits_total", platform="slack")


async def test_a_retried_event_is_answered_once(slack: Slack) -> None:
    event = p.app_mention(PROJECT)
    assert await slack.event(event, event_id="Ev0RETRY001") == 200
    assert await slack.event(event, event_id="Ev0RETRY001", retry_num=1) == 200
    assert await slack.event(event, event_id="Ev0RETRY001", retry_num=2) == 200
    await slack.drain()
    assert len(slack.api.of("chat.postMessage")) == 1
    assert dedup_hits(slack) == 2


async def test_mention_in_a_known_thread_arrives_twice_and_is_answered_once(slack: Slack) -> None:
    first = p.app_mention(PROJECT)
    await slack.event(first)
    await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    # one message with a mention, in the answered thread: Slack sends app_mention AND message
    ts = p.new_ts()
    text = "What if the articles only change once a year?"
    as_mention = p.app_mention(text, ts=ts, thread_ts=first["ts"])
    as_message = p.message(f"<@{BOT_USER_ID}> {text}", ts=ts, thread_ts=first["ts"])
    statuses = await asyncio.gather(slack.event(as_message), slack.event(as_mention))
    assert list(statuses) == [200, 200]
    await slack.drain()
    assert len(slack.api.of("chat.postMessage")) == 2
    assert dedup_hits(slack) == 1


async def test_two_processes_sharing_redis_answer_once(
    serve: Callable[..., Any], redis_url: str, namespace: str
) -> None:
    one: Slack = await serve(store=redis_store(redis_url, namespace))
    two: Slack = await serve(store=redis_store(redis_url, namespace))
    event = p.app_mention(PROJECT)
    body = json.dumps(p.event_callback(event, event_id="Ev0TWOPROC1"))
    # the original reaches one replica, Slack's retry the other — at the same moment
    results = await asyncio.gather(
        one.post(body, p.signed_headers(body)), two.post(body, p.signed_headers(body, retry_num=1))
    )
    assert [status for status, _, _ in results] == [200, 200]
    await one.drain()
    await two.drain()
    assert len(one.api.of("chat.postMessage")) == 1
    assert dedup_hits(one) + dedup_hits(two) == 1
    # and the follow-up lands on the other replica: it knows the thread (shared store)
    answered_by = one if dedup_hits(two) else two
    other = two if answered_by is one else one
    await other.event(p.message("Answers must also be in French.", thread_ts=event["ts"]))
    await other.drain()
    posts = one.api.of("chat.postMessage")
    assert len(posts) == 2 and posts[1]["thread_ts"] == event["ts"]


@pytest.mark.slow
async def test_an_event_answered_during_an_outage_is_not_answered_again_elsewhere(
    serve: Callable[..., Any], namespace: str
) -> None:
    """Replica one answers during a Redis outage; Slack's retry reaches replica two after it.
    The de-duplication marker used to live in one's memory only (76 of 76 answered twice)."""
    with RedisServer(persist=True) as redis:
        one: Slack = await serve(store=redis_store(redis.url, namespace))
        two: Slack = await serve(store=redis_store(redis.url, namespace))
        redis.stop()
        event = p.app_mention(PROJECT)
        assert await one.event(event, event_id="Ev0OUTAGE01") == 200
        await one.api.wait_for("chat.postMessage")
        await one.drain()
        redis.start()
        await asyncio.wait_for(one.runtime.store.recovered(), 10)  # no request needed
        assert await two.event(event, event_id="Ev0OUTAGE01", retry_num=1) == 200
        await two.drain()
        assert len(two.api.of("chat.postMessage")) == 1
        assert dedup_hits(two) == 1
