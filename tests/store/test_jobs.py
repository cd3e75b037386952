"""The work-queue contract, run against the Redis stream and the SQLite table alike.

Two queue objects with different consumer names stand for two replicas. Leases are short and
every wait for one to run out polls (`until`), never sleeps a fixed time.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.core.jobs import Claim, Job, JobQueue
from bot.core.jobs.base import POSTED
from bot.core.jobs.redis_queue import RedisJobQueue
from bot.core.jobs.sqlite_queue import SqliteJobQueue
from tests.support.toolbox import until

LEASE = 0.3
Make = Callable[[str], JobQueue]


async def put(queue: JobQueue, job: Job, *, take: bool) -> Claim | None:
    """Queue `job` (its delivery keys fresh); the claim when taken."""
    fresh, claim = await queue.enqueue(job, take=take, dedup_ttl_seconds=60)
    assert fresh
    return claim


def job(text: str = "a project") -> Job:
    return Job("slack", "message", "slack:T1:C1:1.0", "U1", text, {"channel": "C1"})


@pytest.fixture(params=["redis", "sqlite"])
async def make(
    request: pytest.FixtureRequest, redis_url: str, namespace: str, tmp_path: Path
) -> AsyncIterator[Make]:
    made: list[JobQueue] = []

    def _make(consumer: str) -> JobQueue:
        queue: JobQueue
        if request.param == "redis":
            queue = RedisJobQueue(
                redis_url,
                namespace=namespace,
                lease_seconds=LEASE,
                timeout_seconds=2,
                consumer=consumer,
            )
        else:
            queue = SqliteJobQueue(
                tmp_path / "state.db", namespace=namespace, lease_seconds=LEASE, consumer=consumer
            )
        made.append(queue)
        return queue

    yield _make
    for queue in made:
        await queue.close()


async def test_enqueue_and_take_hands_the_job_to_this_consumer_only(make: Make) -> None:
    a, b = make("a"), make("b")
    sent = job()
    claim = await put(a, sent, take=True)
    assert claim is not None
    assert (claim.job, claim.attempts) == (sent, 1)
    assert await b.claim(5) == []  # leased to a
    assert (await b.stats())[0] == 1
    await a.ack(claim)
    assert await b.stats() == (0, 0.0)


async def test_a_job_not_taken_is_claimed_by_the_next_poll_oldest_first(make: Make) -> None:
    a, b = make("a"), make("b")
    await put(a, job("first"), take=False)
    await put(a, job("second"), take=False)
    depth, oldest = await b.stats()
    assert depth == 2 and oldest >= 0
    claims = await b.claim(5)
    assert [c.job.text for c in claims] == ["first", "second"]
    assert [c.attempts for c in claims] == [1, 1]
    assert await a.claim(5) == []


async def test_a_job_whose_lease_ran_out_is_taken_over_with_its_attempt_counted(
    make: Make,
) -> None:
    dead, live = make("dead"), make("live")
    first = await put(dead, job(), take=True)
    assert first is not None
    await dead.mark(first.job.id, POSTED, "1700000000.000100")
    taken: list[Claim] = []

    async def taken_over() -> bool:
        taken.extend(await live.claim(5))
        return bool(taken)

    await until(taken_over, "the lease to run out", within=5)
    assert [(c.job, c.attempts) for c in taken] == [(first.job, 2)]
    assert not await dead.renew(first)  # a stalled worker cannot take it back
    assert await live.claim(5) == []
    assert await live.marks(first.job.id) == {POSTED: "1700000000.000100"}
    await live.ack(taken[0])
    assert (await live.stats())[0] == 0
    assert await live.marks(first.job.id) == {}


async def test_a_renewed_lease_is_not_taken_over(make: Make) -> None:
    holder, other = make("holder"), make("other")
    claim = await put(holder, job(), take=True)
    assert claim is not None
    start = time.monotonic()

    async def renewed_past_two_leases() -> bool:
        assert await holder.renew(claim)
        assert await other.claim(5) == []
        return time.monotonic() - start > 2.5 * LEASE

    await until(renewed_past_two_leases, "two leases of renewals", within=5, every=LEASE / 3)


async def test_a_dead_letter_leaves_the_queue_and_is_kept(make: Make) -> None:
    queue = make("a")
    claim = await put(queue, job("poison"), take=True)
    assert claim is not None
    await queue.dead_letter(claim, "too many attempts")
    assert (await queue.stats())[0] == 0
    assert await queue.claim(5) == []
    assert isinstance(queue, RedisJobQueue | SqliteJobQueue)
    [dead] = await queue.dead_letters()
    assert Job.from_json(dead["job"]).text == "poison"
    assert dead["reason"] == "too many attempts"


async def test_take_over_reaches_past_a_long_list_of_jobs_in_progress(make: Make) -> None:
    """Redis scans a bounded slice of the pending list per XAUTOCLAIM; the poll must walk on
    from where it stopped rather than rescan the head (the jobs there are being answered)."""
    dead, live = make("dead"), make("live")
    for number in range(25):
        await put(dead, job(str(number)), take=True)
    taken: dict[str, Claim] = {}

    async def all_taken_over() -> bool:
        for held in taken.values():  # the jobs taken so far are being answered
            assert await live.renew(held)
        for claim in await live.claim(1):
            taken[claim.job.text] = claim
        return len(taken) == 25

    await until(all_taken_over, "every job to be taken over", within=10)


async def test_a_retry_is_not_queued_and_the_first_job_keeps_its_deliveries(make: Make) -> None:
    a, b = make("a"), make("b")
    keys = ("slack:event:Ev9", "slack:message:C1:9.0")
    first = Job("slack", "message", "t", "U1", "x", deliveries=keys)
    fresh, claim = await a.enqueue(first, take=True, dedup_ttl_seconds=60)
    assert fresh and claim is not None and claim.deduped
    retry = Job("slack", "message", "t", "U1", "x", deliveries=keys[1:])
    assert await b.enqueue(retry, take=True, dedup_ttl_seconds=60) == (False, None)
    assert (await b.stats())[0] == 1
    assert await b.first_delivery(keys, first.id, 60)  # the first job, taken over, still owns


async def test_a_delivery_belongs_to_the_first_job_that_claims_it_even_when_taken_again(
    make: Make,
) -> None:
    a, b = make("a"), make("b")
    keys = ("slack:event:Ev1", "slack:message:C1:1.0")
    assert await a.first_delivery(keys, "job-1", 60)
    assert await b.first_delivery(keys, "job-1", 60)  # the same job, taken over
    assert not await b.first_delivery(keys, "job-2", 60)  # the platform's retry
    assert not await a.first_delivery(keys[1:], "job-3", 60)  # the same message, other event
    assert await a.first_delivery(("slack:event:Ev2",), "job-4", 60)
    assert await a.first_delivery((), "job-5", 60)


def test_a_job_written_by_a_newer_replica_is_read_not_dropped() -> None:
    """A field a later version adds must not make this one drop the job (SQLite deletes a job
    it cannot read); a job written before `data` existed reads with it empty."""
    written = job()
    newer = json.loads(written.to_json()) | {"added_later": {"x": 1}}
    assert Job.from_json(json.dumps(newer)) == written
    assert "data" not in json.loads(written.to_json())  # readable by a version before it
    with_data = Job("slack", "correction", "t", "U1", "", data={"chosen": {"format": "yes"}})
    assert Job.from_json(with_data.to_json()) == with_data
