"""Queued answers in one bot process (embedded store): taking over a dead replica's job, dead
letters, stale jobs, bounded concurrency and what /metrics and /readyz show meanwhile.

A "dead replica" is a second queue on the same SQLite file under another consumer name that
takes a job and never acknowledges it; the bot's own worker takes it over when the lease ends.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot import messages
from bot.adapters.slack.keys import thread_key
from bot.core.jobs import Claim, Job, JobQueue
from bot.core.jobs.base import POSTED
from bot.core.jobs.sqlite_queue import SqliteJobQueue
from bot.settings import Settings
from tests.ops.conftest import scrape, value
from tests.slack.conftest import PROJECT, Slack
from tests.support import slack_payloads as p
from tests.support.slack_api import TEAM_ID
from tests.support.toolbox import GatedEngine, counter, grounding_for, until

LEASE = 0.3
FAST = {"job_lease_seconds": LEASE, "job_poll_seconds": 0.05}


async def put(queue: JobQueue, job: Job, *, take: bool) -> Claim | None:
    """Queue `job` (its delivery keys fresh); the claim when taken."""
    fresh, claim = await queue.enqueue(job, take=take, dedup_ttl_seconds=60)
    assert fresh
    return claim


def mention_job(*, accepted_at: float | None = None) -> Job:
    ts = p.new_ts()
    thread = thread_key(TEAM_ID, p.CHANNEL, ts)
    reply = {"channel": p.CHANNEL, "ts": ts, "root": ts}
    job = Job("slack", "message", thread, p.USER, PROJECT, reply)
    if accepted_at is not None:
        job = Job(job.platform, job.kind, thread, job.user, job.text, reply, accepted_at)
    return job


def dead_replica(slack: Slack) -> SqliteJobQueue:
    return SqliteJobQueue(slack.runtime.settings.state_file, lease_seconds=LEASE, consumer="dead")


@asynccontextmanager
async def taken_by_a_dead_replica(
    slack: Slack, job: Job
) -> AsyncIterator[tuple[SqliteJobQueue, Claim]]:
    """A second queue on the bot's file takes `job` and holds it as a worker that died would
    (yielded with its claim); on leaving, the bot's own worker has taken the job over and
    acknowledged it."""
    dead = dead_replica(slack)
    try:
        claim = await put(dead, job, take=True)
        assert claim is not None
        yield dead, claim
        await until(lambda: queue_empty(slack), "the job to be acknowledged")
        await slack.drain()
    finally:
        await dead.close()


async def queue_empty(slack: Slack) -> bool:
    assert slack.runtime.queue is not None
    return (await slack.runtime.queue.stats())[0] == 0


async def test_a_job_taken_over_after_its_answer_was_posted_is_only_acknowledged(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(**FAST)
    async with taken_by_a_dead_replica(slack, mention_job()) as (dead, claim):
        await dead.mark(claim.job.id, POSTED, "1700000000.000200")  # then it died
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="reclaimed") == 1
    assert slack.api.of("chat.postMessage") == []


async def test_a_job_that_keeps_failing_is_dead_lettered_and_the_person_told(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(job_max_attempts=1, **FAST)
    dead = dead_replica(slack)
    try:
        claim = await put(dead, mention_job(), take=True)
        assert claim is not None
        [post] = await slack.api.wait_for("chat.postMessage")
        await until(lambda: queue_empty(slack), "the job to leave the queue")
        await slack.drain()
        [letter] = await dead.dead_letters()
    finally:
        await dead.close()
    assert post["thread_ts"] == claim.job.reply["root"]
    assert post["text"].startswith(messages.JOB_GAVE_UP.split("{")[0].rstrip("(` "))
    assert Job.from_json(letter["job"]).id == claim.job.id and letter["attempts"] == "2"
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="dead_lettered") == 1
    assert claim.job.thread is not None
    assert await slack.runtime.store.load_turns(claim.job.thread) == []  # never answered


async def test_a_job_too_old_to_answer_gets_an_apology(serve: Callable[..., Any]) -> None:
    slack: Slack = await serve(job_stale_seconds=60, **FAST)
    dead = dead_replica(slack)
    try:
        job = mention_job(accepted_at=time.time() - 3600)
        await put(dead, job, take=False)
        [post] = await slack.api.wait_for("chat.postMessage")
        await until(lambda: queue_empty(slack), "the job to be acknowledged")
        await slack.drain()
    finally:
        await dead.close()
    assert post["text"].startswith("Sorry — I was too busy")
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="stale") == 1
    assert job.thread is not None
    assert await slack.runtime.store.load_turns(job.thread) == []


async def test_concurrency_is_bounded_and_a_busy_queue_shows_on_metrics_not_readyz(
    serve: Callable[..., Any], slack_settings: Callable[..., Settings]
) -> None:
    engine = GatedEngine(grounding_for(slack_settings()).offline)
    slack: Slack = await serve(engine=engine, job_concurrency=1, **FAST)
    for _ in range(3):
        assert await slack.event(p.app_mention(PROJECT)) == 200

    async def metric(name: str) -> float:
        async with slack.session.get(f"{slack.base}/metrics") as response:
            return value(scrape(await response.text()), name)

    async def all_queued() -> bool:
        return await metric("ragorft_queue_depth") == 3

    await until(all_queued, "the queue depth on /metrics")
    assert engine.started == 1
    assert await metric("ragorft_jobs_busy") == 1
    assert await metric("ragorft_queue_oldest_seconds") >= 0
    async with slack.session.get(f"{slack.base}/readyz") as response:
        assert response.status == 200
    engine.gate.set()
    await slack.api.wait_for("chat.postMessage", 3)
    await until(lambda: queue_empty(slack), "the queue to empty")
    await slack.drain()
    assert engine.started == 3


async def test_a_retried_help_mention_gets_usage_once(serve: Callable[..., Any]) -> None:
    """Help is answered at once, not queued: it is de-duplicated before the ack."""
    slack: Slack = await serve(**FAST)
    event = p.app_mention("help")
    assert await slack.event(event, event_id="Ev0HELP0001") == 200
    assert await slack.event(event, event_id="Ev0HELP0001", retry_num=1) == 200
    await slack.drain()
    assert [c["text"] for c in slack.api.of("chat.postMessage")] == [messages.USAGE]
