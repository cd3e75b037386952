"""The workers on their own (a SQLite queue, a handler that never finishes): a worker that lost
its lease to another replica stops answering, so only one of them can post."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from bot.core.jobs import Job, Progress, Workers
from bot.core.jobs.sqlite_queue import SqliteJobQueue
from bot.core.jobs.workers import Excuses, Limits
from tests.support.toolbox import until

LEASE = 0.3


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []

    def job(self, event: str) -> None:
        self.events.append(event)

    def queue(self, depth: int, oldest_seconds: float, busy: int) -> None:
        pass

    def duplicate(self, platform: str, what: str) -> None:
        self.events.append("duplicate")


async def never_seen(job: Job) -> bool:
    return True


async def test_a_worker_whose_lease_was_taken_over_stops_answering(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    mine = SqliteJobQueue(path, lease_seconds=LEASE, consumer="mine")
    # A replica whose clock runs ahead sees the lease as expired: as if this process stalled.
    other = SqliteJobQueue(
        path, lease_seconds=LEASE, consumer="other", clock=lambda: time.time() + 60
    )
    tasks: list[asyncio.Task[Any]] = []

    def spawn(coro: Coroutine[Any, Any, Any], name: str) -> None:
        tasks.append(asyncio.create_task(coro, name=name))

    answering = asyncio.Event()

    async def handler(job: Job, progress: Progress) -> None:
        answering.set()
        await asyncio.Event().wait()  # an answer that takes forever

    recorder = Recorder()
    workers = Workers(
        mine,
        limits=Limits(lease_seconds=LEASE, poll_seconds=0.05),
        excuses=Excuses(gave_up="gave up {ref}", stale="stale {ref}"),
        spawn=spawn,
        observer=recorder,
        first_delivery=never_seen,
    )
    workers.handle("slack:message", handler)
    await workers.start()
    try:
        await workers.submit(Job("slack", "message", "t", "U1", "a project"))
        await until(answering.is_set, "the handler to start")
        [taken] = await other.claim(1)
        assert taken.attempts == 2
        await until(lambda: all(t.done() for t in tasks), "the worker to give the job up")
        assert [t.exception() for t in tasks] == [None]
        assert workers.busy == 0
        assert (await other.stats())[0] == 1  # not acknowledged: it is the other replica's now
        assert recorder.events == ["accepted"]
    finally:
        await workers.stop()
        await mine.close()
        await other.close()


async def test_a_job_no_replica_can_answer_is_dead_lettered_after_its_attempts(
    tmp_path: Path,
) -> None:
    queue = SqliteJobQueue(tmp_path / "state.db", lease_seconds=LEASE, consumer="only")
    tasks: list[asyncio.Task[Any]] = []

    def spawn(coro: Coroutine[Any, Any, Any], name: str) -> None:
        tasks.append(asyncio.create_task(coro, name=name))

    recorder = Recorder()
    workers = Workers(
        queue,
        limits=Limits(lease_seconds=LEASE, poll_seconds=0.05, max_attempts=2),
        excuses=Excuses(gave_up="gave up {ref}", stale="stale {ref}"),
        spawn=spawn,
        observer=recorder,
        first_delivery=never_seen,
    )
    workers.handle("slack:message", lambda job, progress: asyncio.sleep(0))
    await workers.start()
    try:
        await workers.submit(Job("teams", "message", "t", "U1", "a project"))  # no Teams here
        await until(lambda: "dead_lettered" in recorder.events, "the job to be dead-lettered")
        [dead] = await queue.dead_letters()
        assert "no handler" in str(dead)
        await until(lambda: all(t.done() for t in tasks), "the workers to settle")
        assert (await queue.stats())[0] == 0  # out of the queue: no replica takes it again
    finally:
        await workers.stop()
        await queue.close()
