"""The workers of one `serve` process: take jobs, answer them, acknowledge them after posting.

`submit` is what an adapter calls once a message is accepted: the job is written to the queue
and, if this process has a free slot, claimed in the same round trip and answered here at
once; otherwise any replica's poll takes it. The poll (every
`JOB_POLL_SECONDS`) also takes over jobs whose lease ran out — their worker died — and reports
queue depth and the oldest job's age to the metrics.

De-duplication is part of queueing, in the same atomic step: the job claims its message's
delivery keys under its own id (`JobQueue.enqueue`), so a platform's retry is not queued, while
the first job, taken again after its worker died at any point, still owns its keys. (Marking a
delivery seen and queueing it in two steps would lose a message whose process died between
them: the platform's retry would be dropped as a duplicate of a job never written.)

A job is answered by the handler its adapter registered for its route (`slack:message`, …).
While the handler runs, the lease is renewed; when it returns, the job is acknowledged. If it
raises, or the process dies, the job stays in the queue and is taken again after the lease. A
job delivered more than `JOB_MAX_ATTEMPTS` times is not answered again: the handler tells the
person it gave up (`Progress.excuse`), and the job goes to the dead letters, as does a job that
no replica taking it has a handler for (its platform switched off everywhere). A job older than
`JOB_STALE_SECONDS` when taken gets an apology instead of a stale answer.

Without a queue (the CLI, tests with an injected store) or when the queue's store is down,
`submit` answers in this process only, as before: the bot keeps answering, without the
guarantee.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.jobs.base import Claim, Job, JobQueue, Progress
from bot.errors import StoreError, new_ref

log = logging.getLogger(__name__)

Handler = Callable[[Job, Progress], Awaitable[None]]
Spawn = Callable[[Coroutine[Any, Any, Any], str], Any]


class Observer(Protocol):
    def job(self, event: str) -> None:
        """`accepted`, `inline`, `reclaimed`, `stale`, `dead_lettered`, `failed` (and, from a
        platform's handler, `found_posted`)."""
        ...

    def queue(self, depth: int, oldest_seconds: float, busy: int) -> None: ...

    def duplicate(self, platform: str, what: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Limits:
    concurrency: int = 8
    lease_seconds: float = 15.0
    poll_seconds: float = 1.0
    max_attempts: int = 3
    stale_seconds: float = 600.0
    dedup_ttl_seconds: int = 86_400


@dataclass(frozen=True, slots=True)
class Excuses:
    """The words for a job that is not answered (`{ref}`: the reference id in the log)."""

    gave_up: str
    stale: str


class Workers:
    def __init__(
        self,
        queue: JobQueue | None,
        *,
        limits: Limits,
        excuses: Excuses,
        spawn: Spawn,
        observer: Observer,
        first_delivery: Callable[[Job], Awaitable[bool]],
    ) -> None:
        """`first_delivery` de-duplicates a job answered without the queue (the state store's
        markers); queued jobs are de-duplicated by the queue itself, by job id."""
        self.queue = queue
        self._first_delivery = first_delivery
        self.limits = limits
        self._excuses = excuses
        self._spawn = spawn
        self._observer = observer
        self._handlers: dict[str, Handler] = {}
        self._busy = 0
        self._running = False
        self._poller: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._queue_down = False

    def handle(self, route: str, handler: Handler) -> None:
        """Register the adapter's handler for jobs of `route` (`platform:kind`)."""
        self._handlers[route] = handler

    @property
    def busy(self) -> int:
        return self._busy

    @property
    def durable(self) -> bool:
        return self.queue is not None and self._running

    async def submit(self, job: Job) -> None:
        """Accept `job`: durably when the queue answers, else in this process only."""
        if self.queue is None:
            self._start(Claim(job, "", 1), None)
            return
        take = self._running and self._busy < self.limits.concurrency
        if take:
            self._busy += 1  # reserved before the await: concurrent submits never overshoot
        try:
            fresh, claim = await self.queue.enqueue(
                job, take=take, dedup_ttl_seconds=self.limits.dedup_ttl_seconds
            )
        except StoreError as exc:
            if take:
                self._busy -= 1
            log.warning(
                "work queue unavailable: answering in this process only (lost if it dies)",
                extra={"error": str(exc)},
            )
            self._observer.job("inline")
            self._start(Claim(job, "", 1), None)
            return
        if fresh:
            self._observer.job("accepted")
        else:
            self._observer.duplicate(job.platform, job.kind)
        if take:
            self._busy -= 1
            if claim is not None:
                self._start(claim, self.queue)

    async def start(self) -> None:
        if self.queue is None or self._running:
            return
        self._running = True
        self._poller = asyncio.create_task(self._poll(), name="job-poll")

    async def stop(self) -> None:
        """Take no more jobs; the ones in progress are the runtime's to drain."""
        self._running = False
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            with suppress(asyncio.CancelledError):
                await poller

    def _start(self, claim: Claim, queue: JobQueue | None) -> None:
        self._busy += 1
        self._spawn(self._run(claim, queue), f"job-{claim.job.route}")

    async def _run(self, claim: Claim, queue: JobQueue | None) -> None:
        job, limits = claim.job, self.limits
        full = self._busy >= limits.concurrency
        try:
            handler = self._handlers.get(job.route)
            if handler is None:
                if queue is not None and claim.attempts > limits.max_attempts:
                    # No replica that took it could answer it: it would circle forever.
                    await queue.dead_letter(claim, "no handler for its route")
                    self._observer.job("dead_lettered")
                    log.error(
                        "no replica answers this job's route: dead-lettered",
                        extra={"ref": new_ref(), "route": job.route, "attempts": claim.attempts},
                    )
                    return
                log.warning(
                    "no handler for a job; left for a replica that has one",
                    extra={"route": job.route, "attempts": claim.attempts},
                )
                return
            if not await self._fresh(claim, queue):
                if queue is not None:  # (the store's `first_delivery` counted its own)
                    self._observer.duplicate(job.platform, job.kind)
                    await queue.ack(claim)
                return
            marks = await queue.marks(job.id) if queue is not None and claim.attempts > 1 else {}
            excuse, dead = None, False
            if claim.attempts > 1:
                self._observer.job("reclaimed")
                log.info(
                    "job taken over",
                    extra={
                        "route": job.route,
                        "attempts": claim.attempts,
                        "posted": "posted" in marks,
                    },
                )
            if claim.attempts > limits.max_attempts:
                dead, ref = True, new_ref()
                excuse = self._excuses.gave_up.format(ref=ref)
                log.error(
                    "job given up after too many attempts: dead-lettered",
                    extra={"ref": ref, "route": job.route, "attempts": claim.attempts},
                )
            elif time.time() - job.accepted_at > limits.stale_seconds:
                ref = new_ref()
                excuse = self._excuses.stale.format(ref=ref)
                self._observer.job("stale")
                log.warning(
                    "job too old to answer: apologising instead",
                    extra={
                        "ref": ref,
                        "route": job.route,
                        "age_seconds": round(time.time() - job.accepted_at, 1),
                    },
                )
            lost = asyncio.Event()
            progress = Progress(claim, marks, excuse, queue)
            try:
                async with self._renewing(progress, queue, lost):
                    await handler(job, progress)
            except asyncio.CancelledError:
                if not lost.is_set():
                    raise  # shutdown: the job stays in the queue for another worker
                _uncancel()
                log.warning(
                    "job lease lost to another replica: stopped answering it there",
                    extra={"route": job.route, "attempts": claim.attempts},
                )
                return
            if queue is None:
                return
            if dead:
                await queue.dead_letter(claim, "too many attempts")
                self._observer.job("dead_lettered")
            elif not progress.acked:
                await queue.ack(claim)
        except Exception:
            self._observer.job("failed")
            log.exception(
                "job failed; it is taken again after its lease",
                extra={"ref": new_ref(), "route": job.route, "attempts": claim.attempts},
            )
        finally:
            self._busy -= 1
            if full:
                self._wake.set()  # a slot freed while jobs may be waiting

    async def _fresh(self, claim: Claim, queue: JobQueue | None) -> bool:
        """False for a platform's retry (or a second delivery) of a message another job holds."""
        job = claim.job
        if not job.deliveries or claim.deduped:
            return True
        if queue is None:
            return await self._first_delivery(job)
        return await queue.first_delivery(job.deliveries, job.id, self.limits.dedup_ttl_seconds)

    @asynccontextmanager
    async def _renewing(
        self, progress: Progress, queue: JobQueue | None, lost: asyncio.Event
    ) -> AsyncIterator[None]:
        """Keep the lease while the job is answered, so no replica takes it over meanwhile. If
        the lease was lost anyway (this process stalled past it and another replica took the
        job over), the answer here is cancelled: only one worker may post it."""
        if queue is None:
            yield
            return
        owner = asyncio.current_task()

        claim = progress.claim

        async def renew() -> None:
            while True:
                await asyncio.sleep(self.limits.lease_seconds / 3)
                if progress.acked:
                    return  # posted and acknowledged: the rest (a reaction) needs no lease
                try:
                    if not await queue.renew(claim):
                        lost.set()
                        if owner is not None:
                            owner.cancel()
                        return
                except StoreError as exc:
                    log.warning("job lease not renewed", extra={"error": str(exc)})

        task = asyncio.create_task(renew(), name="job-lease")
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _poll(self) -> None:
        assert self.queue is not None
        queue = self.queue
        while self._running:
            try:
                free = self.limits.concurrency - self._busy
                if free > 0:
                    for claim in await queue.claim(free):
                        self._start(claim, queue)
                depth, oldest = await queue.stats()
                self._observer.queue(depth, oldest, self._busy)
                if self._queue_down:
                    self._queue_down = False
                    log.info("work queue answers again")
            except StoreError as exc:
                if not self._queue_down:
                    self._queue_down = True
                    log.warning("work queue unavailable", extra={"error": str(exc)})
            except Exception:
                log.exception("work queue poll failed", extra={"ref": new_ref()})
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.limits.poll_seconds)
            self._wake.clear()


def _uncancel() -> None:
    """The cancellation was ours (a lost lease), not the task's owner's: clear it."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()
