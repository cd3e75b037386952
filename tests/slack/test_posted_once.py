"""The double-post window of a queued Slack answer, closed (one bot process, embedded store).

Every answer a job posts carries Slack message metadata naming the job; only a job taken over
without the `posted` mark reads its thread (`conversations.replies`), and finding its answer
there acknowledges it instead of posting again. A "replica that died after posting" is a second
queue on the same SQLite file that takes the job and posts its answer through the Web API
stand-in (or a queue whose acknowledgement fails once after the bot posted), never marking it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.answered import EVENT_TYPE, marker
from bot.adapters.slack.keys import correction_key, thread_key
from bot.core.conversation import Correction
from bot.core.jobs import Claim, Job, JobQueue
from bot.errors import StoreError
from bot.server.app import create_app
from bot.settings import Settings
from tests.slack.conftest import PROJECT, Slack, blocks_text
from tests.slack.test_jobs import (
    FAST,
    dead_replica,
    mention_job,
    put,
    queue_empty,
    taken_by_a_dead_replica,
)
from tests.support import slack_payloads as p
from tests.support.slack_api import BOT_TOKEN, TEAM_ID, SlackApiStandIn
from tests.support.toolbox import counter, runtime_for, until


async def post_as_dead_replica(api: SlackApiStandIn, job: Job, root: str, text: str) -> str:
    """What a worker that died right after posting left behind: the answer, in Slack only."""
    client = AsyncWebClient(token=BOT_TOKEN, base_url=api.base_url)
    response = await client.chat_postMessage(
        channel=p.CHANNEL, text=text, thread_ts=root, metadata=marker(job)
    )
    return str(response["ts"])


async def test_an_answer_carries_its_job_and_a_first_delivery_never_reads_the_thread(
    slack: Slack,
) -> None:
    await slack.event(p.app_mention(PROJECT))
    [post] = await slack.api.wait_for("chat.postMessage")
    await until(lambda: queue_empty(slack), "the job to be acknowledged")
    await slack.drain()
    metadata = post["metadata"]
    assert metadata["event_type"] == EVENT_TYPE and len(metadata["event_payload"]["job"]) == 32
    assert slack.api.of("conversations.replies") == []


async def test_a_job_taken_over_after_its_answer_was_posted_is_not_posted_again(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(**FAST)
    async with taken_by_a_dead_replica(slack, mention_job()) as (_, claim):
        root = str(claim.job.reply["root"])
        posted = await post_as_dead_replica(slack.api, claim.job, root, "the answer")
    assert [c.response["ts"] for c in slack.api.of("chat.postMessage")] == [posted]
    [lookup] = slack.api.of("conversations.replies")
    assert lookup["ts"] == root and lookup["oldest"] == claim.job.reply["ts"]
    assert lookup["include_all_metadata"] in ("1", "true")
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="reclaimed") == 1
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="found_posted") == 1
    [unreacted] = slack.api.of("reactions.remove")  # the dead worker's 👀 is taken off
    assert unreacted["timestamp"] == claim.job.reply["ts"]


async def test_a_job_taken_over_with_no_answer_in_its_thread_is_answered_once(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(**FAST)
    async with taken_by_a_dead_replica(slack, mention_job()) as (_, claim):
        root = str(claim.job.reply["root"])
        # Another job's answer in the same thread is not this one's.
        other = dataclasses.replace(claim.job, id="0" * 32)
        await post_as_dead_replica(slack.api, other, root, "another answer")
        await slack.api.wait_for("chat.postMessage", 2)
    _, answer = slack.api.of("chat.postMessage")
    assert answer["thread_ts"] == root and answer["metadata"] == marker(claim.job)
    assert "RAG" in blocks_text(answer)
    assert len(slack.api.of("conversations.replies")) == 1
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="found_posted") == 0


async def test_a_thread_slack_will_not_show_is_answered_again_rather_than_not_at_all(
    serve: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    slack: Slack = await serve(**FAST)
    slack.api.refuse("conversations.replies", "missing_scope")
    dead = dead_replica(slack)
    try:
        claim = await put(dead, mention_job(), take=True)
        assert claim is not None
        root = str(claim.job.reply["root"])
        await post_as_dead_replica(slack.api, claim.job, root, "the answer")
        await slack.api.wait_for("chat.postMessage", 2)
        await until(lambda: queue_empty(slack), "the job to be acknowledged")
        await slack.drain()
    finally:
        await dead.close()
    assert len(slack.api.of("chat.postMessage")) == 2  # at least once, as without the check
    assert "could not look for an answer already posted" in caplog.text


async def test_a_correction_taken_over_after_its_answer_was_posted_is_not_posted_again(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(**FAST)
    dead = dead_replica(slack)
    root = p.new_ts()
    correction = Correction(
        "slack",
        thread_key(TEAM_ID, p.CHANNEL, root),
        p.USER,
        {"format": "yes"},
        {"format": "unknown"},
        once=correction_key("V0DEAD0001"),
    )
    try:
        claim = await put(dead, correction.job({"channel": p.CHANNEL, "root": root}), take=True)
        assert claim is not None
        await post_as_dead_replica(slack.api, claim.job, root, "the corrected answer")
        await until(lambda: queue_empty(slack), "the job to be acknowledged")
        await slack.drain()
    finally:
        await dead.close()
    assert len(slack.api.of("chat.postMessage")) == 1
    [lookup] = slack.api.of("conversations.replies")
    assert float(lookup["oldest"]) < claim.job.accepted_at
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="found_posted") == 1


class AckFailsOnce:
    """The queue the bot uses, except that its first acknowledgement never arrives (the store
    timed out, or the process died, right after Slack took the answer)."""

    def __init__(self, inner: JobQueue) -> None:
        self._inner = inner
        self.failed = 0

    async def ack(self, claim: Claim) -> None:
        if not self.failed:
            self.failed += 1
            raise StoreError("the acknowledgement did not arrive")
        await self._inner.ack(claim)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture
async def flaky(
    api: SlackApiStandIn, slack_settings: Callable[..., Settings]
) -> AsyncIterator[tuple[Slack, AckFailsOnce]]:
    runtime = await runtime_for(slack_settings(**FAST))
    assert runtime.queue is not None
    queue = AckFailsOnce(runtime.queue)
    runtime = dataclasses.replace(runtime, queue=queue)  # its workers use the flaky queue
    server = TestServer(create_app(runtime), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            base = str(server.make_url("")).rstrip("/")
            yield Slack(base, session, runtime, api), queue
    finally:
        await server.close()


async def test_an_answer_whose_acknowledgement_failed_is_not_posted_again(
    flaky: tuple[Slack, AckFailsOnce],
) -> None:
    slack, queue = flaky
    event = p.app_mention(PROJECT)
    await slack.event(event)
    [post] = await slack.api.wait_for("chat.postMessage")
    await until(lambda: queue.failed == 1, "the acknowledgement to fail")
    await slack.api.wait_for("conversations.replies")  # taken again after the lease
    await until(lambda: queue_empty(slack), "the job to be acknowledged")
    await slack.drain()
    assert slack.api.of("chat.postMessage") == [post]
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="found_posted") == 1
    thread = thread_key(TEAM_ID, p.CHANNEL, event["ts"])
    turns = await slack.runtime.store.load_turns(thread)
    assert [t.role for t in turns] == ["user", "bot"]  # answered once, stored once
