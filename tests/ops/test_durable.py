"""Nothing acknowledged is lost when a replica dies (issue 17), on real `serve` processes.

Replica A takes a message, and is SIGKILLed while its LLM call hangs (the stand-in never answers
it). Replica B, sharing the Redis, takes the job over once A's lease has run out and posts the
answer exactly once: B's own LLM call hangs too, so after `LLM_TIMEOUT_SECONDS` it posts the
offline answer. The same for a Teams activity, for a slash command (whose placeholder, posted
by A, B updates instead of posting a second message) and for a submitted correction form; and
for one `serve` on the embedded store, killed and started again (a mention, a correction).

The double-post window: A posts its answer — Slack (the stand-in) has it — and is killed before
it hears back, so it never records the job as posted; B, taking the job over, finds the answer
in the thread by its metadata and does not post it again.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.adapters.slack.correction import correction_view, parse_correct_value
from bot.core.jobs.sqlite_queue import SqliteJobQueue
from tests.ops.conftest import flushed_db, scrape, value
from tests.slack.conftest import blocks_text
from tests.slack.test_corrections import FLIP, correct_button, initial
from tests.support.connector import ConnectorStandIn
from tests.support.fake_openai import FakeOpenAI, hang
from tests.support.serve_process import ServeProcess
from tests.support.slack_api import BOT_TOKEN, ApiCall, SlackApiStandIn
from tests.support.slack_payloads import (
    SIGNING_SECRET,
    app_mention,
    event_callback,
    signed_headers,
    slash_command,
    view_submission,
)
from tests.support.teams_activities import channel_mention
from tests.support.toolbox import until

pytestmark = pytest.mark.slow
DB = 11
LEASE_SECONDS = 1.0
ANSWER_SECONDS = 2.0  # LLM_TIMEOUT_SECONDS: the hung LLM call, then the offline answer
WITHIN = LEASE_SECONDS + ANSWER_SECONDS + 8.0  # plus start-up noise on a busy machine
PROJECT = "Internal wiki assistant over 4,000 Confluence pages that change daily."
STREAM = "rag-or-ft:v1:jobs:{q}:stream"
FORM = "application/x-www-form-urlencoded"


@dataclass
class Rig:
    slack: SlackApiStandIn
    connector: ConnectorStandIn
    llm: FakeOpenAI
    env: dict[str, str]
    session: aiohttp.ClientSession

    async def slack_post(self, bot: ServeProcess, body: str, kind: str) -> None:
        url, headers = f"{bot.base_url}/slack/events", signed_headers(body, content_type=kind)
        async with self.session.post(url, data=body, headers=headers) as r:
            assert r.status == 200, await r.text()

    async def mention(self, bot: ServeProcess, event: dict[str, Any]) -> None:
        await self.slack_post(bot, json.dumps(event_callback(event)), "application/json")

    async def command(self, bot: ServeProcess, text: str) -> None:
        body = slash_command(text, response_url=self.slack.response_url("r1"))
        await self.slack_post(bot, body, FORM)

    async def correct(self, bot: ServeProcess, answer: ApiCall, view_id: str) -> None:
        """Submit the correction form of `answer` (as Slack would after `views.open`), setting
        format and style to yes."""
        thread, code = parse_correct_value(correct_button(answer)["value"])
        view = {**correction_view(thread, code), "id": view_id}
        await self.slack_post(bot, view_submission(view, {**initial(view), **FLIP}), FORM)

    async def activity(self, bot: ServeProcess, activity: dict[str, Any]) -> None:
        async with self.session.post(f"{bot.base_url}/api/messages", json=activity) as r:
            assert r.status in (200, 201, 202), await r.text()

    async def llm_called(self, times: int) -> None:
        await until(lambda: len(self.llm.chat_requests) >= times, "the LLM call", within=WITHIN)

    async def jobs(self, bot: ServeProcess, event: str) -> float:
        async with self.session.get(f"{bot.base_url}/metrics") as response:
            return value(scrape(await response.text()), "ragorft_jobs_total", event=event)


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    slack, connector, llm = SlackApiStandIn(), ConnectorStandIn(), FakeOpenAI(default=hang())
    await slack.start()
    await connector.start()
    await llm.start()
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "OPENAI_BASE_URL": llm.url,
        "OPENAI_MODEL": "test-model",
        "OPENAI_API_KEY": "sk-test-durable-0000000000000000",
        "LLM_TIMEOUT_SECONDS": str(ANSWER_SECONDS),
        "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "JOB_POLL_SECONDS": "0.1",
        "LOG_FORMAT": "json",
    }
    try:
        async with aiohttp.ClientSession() as session:
            yield Rig(slack, connector, llm, env, session)
    finally:
        await llm.close()
        await connector.close()
        await slack.close()


@dataclass
class Pair:
    a: ServeProcess
    b: ServeProcess
    redis_url: str

    async def queue_empty(self) -> bool:
        client = Redis.from_url(self.redis_url)
        try:
            return int(await client.xlen(STREAM)) == 0
        finally:
            await client.aclose()


@pytest.fixture
async def pair(rig: Rig, redis_url: str) -> AsyncIterator[Pair]:
    url = await flushed_db(redis_url, DB)
    env = {**rig.env, "REDIS_URL": url}
    async with ServeProcess(env) as a, ServeProcess(env) as b:
        yield Pair(a, b, url)


async def test_a_mention_taken_by_a_killed_replica_is_answered_once_by_the_other(
    rig: Rig, pair: Pair
) -> None:
    mention = app_mention(PROJECT)
    await rig.mention(pair.a, mention)
    await rig.llm_called(1)  # A is answering
    pair.a.kill()
    posts = await rig.slack.wait_for("chat.postMessage", 1, WITHIN)
    assert posts[0]["thread_ts"] == mention["ts"]
    await until(pair.queue_empty, "the job to be acknowledged", within=WITHIN)
    assert len(rig.slack.of("chat.postMessage")) == 1
    assert await rig.jobs(pair.b, "reclaimed") == 1


async def test_a_teams_activity_taken_by_a_killed_replica_is_answered_once(
    rig: Rig, pair: Pair
) -> None:
    activity = channel_mention(rig.connector.url, PROJECT)
    await rig.activity(pair.a, activity)
    await rig.llm_called(1)
    pair.a.kill()
    replies = await rig.connector.wait_messages(1, WITHIN)
    assert replies[0].reply_to_id == activity["id"]
    await until(pair.queue_empty, "the job to be acknowledged", within=WITHIN)
    assert len(rig.connector.messages()) == 1
    assert await rig.jobs(pair.b, "reclaimed") == 1


async def test_a_slash_command_taken_over_updates_the_placeholder_of_the_killed_replica(
    rig: Rig, pair: Pair
) -> None:
    await rig.command(pair.a, PROJECT)
    placeholder = (await rig.slack.wait_for("chat.postMessage", 1, WITHIN))[0]
    await rig.llm_called(1)
    pair.a.kill()
    updates = await rig.slack.wait_for("chat.update", 1, WITHIN)
    assert updates[0]["ts"] == placeholder.response["ts"]
    await until(pair.queue_empty, "the job to be acknowledged", within=WITHIN)
    assert len(rig.slack.of("chat.postMessage")) == 1  # the placeholder only: no second message
    assert len(rig.slack.of("chat.update")) == 1
    assert await rig.jobs(pair.b, "reclaimed") == 1


async def test_a_correction_taken_by_a_killed_replica_is_answered_once_by_the_other(
    rig: Rig, pair: Pair
) -> None:
    mention = app_mention(PROJECT)
    await rig.mention(pair.b, mention)
    [answer] = await rig.slack.wait_for("chat.postMessage", 1, WITHIN)
    await until(pair.queue_empty, "the answer's job to be acknowledged", within=WITHIN)
    await rig.correct(pair.a, answer, "V0KILLED01")
    await rig.llm_called(2)  # A is answering the correction
    pair.a.kill()
    posts = await rig.slack.wait_for("chat.postMessage", 2, WITHIN)
    await until(pair.queue_empty, "the correction's job to be acknowledged", within=WITHIN)
    assert len(rig.slack.of("chat.postMessage")) == 2
    corrected = posts[1]
    assert corrected["thread_ts"] == mention["ts"]
    assert "turn 2" in blocks_text(corrected) and "(you set)" in blocks_text(corrected)
    assert await rig.jobs(pair.b, "reclaimed") == 1


async def test_an_answer_posted_by_a_replica_killed_before_it_recorded_it_is_not_posted_again(
    rig: Rig, pair: Pair
) -> None:
    gate = rig.slack.hold("chat.postMessage")  # Slack takes the answer; A never hears back
    mention = app_mention(PROJECT)
    await rig.mention(pair.a, mention)
    await until(rig.slack.holding.is_set, "A to post its answer", within=WITHIN)
    pair.a.kill()
    gate.set()
    await until(pair.queue_empty, "the job to be acknowledged", within=WITHIN)
    [posted] = rig.slack.of("chat.postMessage")
    assert posted["thread_ts"] == mention["ts"]
    [lookup] = rig.slack.of("conversations.replies")
    assert lookup["ts"] == mention["ts"]
    assert await rig.jobs(pair.b, "reclaimed") == 1
    assert await rig.jobs(pair.b, "found_posted") == 1


@dataclass
class Embedded:
    """`serve`'s environment on an embedded (SQLite) store, and that store's queue read from
    outside."""

    env: dict[str, str]
    queue: SqliteJobQueue

    async def queued(self) -> int:
        """How many jobs wait in the queue."""
        return (await self.queue.stats())[0]

    async def acknowledged(self) -> bool:
        return await self.queued() == 0


@asynccontextmanager
async def embedded_store(rig: Rig, tmp_path: Path) -> AsyncIterator[Embedded]:
    state = tmp_path / "state.db"
    queue = SqliteJobQueue(state, lease_seconds=LEASE_SECONDS)
    try:
        yield Embedded({**rig.env, "STATE_PATH": str(state)}, queue)
    finally:
        await queue.close()


async def test_one_serve_on_the_embedded_store_killed_and_restarted_answers_once(
    rig: Rig, tmp_path: Path
) -> None:
    mention = app_mention(PROJECT)
    async with embedded_store(rig, tmp_path) as store:
        async with ServeProcess(store.env) as first:
            await rig.mention(first, mention)
            await rig.llm_called(1)
            first.kill()
        assert rig.slack.of("chat.postMessage") == []
        assert await store.queued() == 1  # accepted, not answered: still in the queue
        async with ServeProcess(store.env) as again:
            posts = await rig.slack.wait_for("chat.postMessage", 1, WITHIN)
            assert posts[0]["thread_ts"] == mention["ts"]
            await until(store.acknowledged, "the job to be acknowledged", within=WITHIN)
            assert len(rig.slack.of("chat.postMessage")) == 1
            assert await rig.jobs(again, "reclaimed") == 1


async def test_a_correction_on_the_embedded_store_killed_and_restarted_is_answered_once(
    rig: Rig, tmp_path: Path
) -> None:
    mention = app_mention(PROJECT)
    async with embedded_store(rig, tmp_path) as store:
        async with ServeProcess(store.env) as first:
            await rig.mention(first, mention)
            [answer] = await rig.slack.wait_for("chat.postMessage", 1, WITHIN)
            await until(store.acknowledged, "the answer's job to be acknowledged", within=WITHIN)
            await rig.correct(first, answer, "V0RESTART1")
            await rig.llm_called(2)
            first.kill()
        assert len(rig.slack.of("chat.postMessage")) == 1
        assert await store.queued() == 1  # the correction: accepted, not answered
        async with ServeProcess(store.env) as again:
            posts = await rig.slack.wait_for("chat.postMessage", 2, WITHIN)
            await until(
                store.acknowledged, "the correction's job to be acknowledged", within=WITHIN
            )
            assert len(rig.slack.of("chat.postMessage")) == 2
            assert posts[1]["thread_ts"] == mention["ts"]
            assert "(you set)" in blocks_text(posts[1])
            assert await rig.jobs(again, "reclaimed") == 1
