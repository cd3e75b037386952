"""The work queue on Redis: a stream read through a consumer group, shared by every replica.

    {ns}:jobs:{q}:stream   the jobs (XADD); the group `workers` hands each to one consumer
    {ns}:jobs:{q}:dead     dead letters (capped stream)
    {ns}:jobs:{q}:marks:<job id>   the job's progress notes (a hash, expiring)
    {ns}:jobs:{q}:delivery:<sha1>  which job a delivery key (event id, message) belongs to

The `{q}` hash tag keeps every job key in one cluster slot. A job read with XREADGROUP sits in
the group's pending list until XACK; a consumer that dies leaves it there, and any replica
takes it over with XAUTOCLAIM once it has been idle longer than the lease. A live worker renews
its lease by claiming its own entry again (XCLAIM … JUSTID, which resets the idle time without
counting a delivery). Acknowledged entries are deleted, so XLEN is the queue's depth.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from bot.core.jobs.base import Claim, Job
from bot.core.store.base import KEY_PREFIX
from bot.errors import StoreError

T = TypeVar("T")
GROUP = "workers"
DEAD_CAP = 10_000
MARKS_TTL_SECONDS = 86_400

# Reclaim entries idle past the lease, with each one's delivery count (XAUTOCLAIM returns none).
# ARGV[5] is the cursor: XAUTOCLAIM scans a bounded slice of the pending list per call, so a
# long list of live jobs is walked over successive polls instead of rescanning its head.
_RECLAIM = """
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[5], 'COUNT', ARGV[4])
local out = {}
for _, e in ipairs(r[2]) do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
  local n = 1
  if p[1] then n = p[1][4] end
  table.insert(out, {e[1], e[2], n})
end
return {r[1], out}
"""
# Claim every delivery key for ARGV[1] (a job id); 0 if another job claimed one first.
_FIRST_DELIVERY = """
local fresh = 1
for _, key in ipairs(KEYS) do
  if not redis.call('SET', key, ARGV[1], 'NX', 'EX', ARGV[2])
     and redis.call('GET', key) ~= ARGV[1] then
    fresh = 0
  end
end
return fresh
"""
# Accept a job in one round trip: claim its delivery keys (KEYS[2..]) for it, and only if none
# belonged to another job add it to the stream and, with ARGV[4] = '1', read the oldest new
# entry for this consumer. Returns {fresh, entry or false}.
_ENQUEUE = """
for i = 2, #KEYS do
  if not redis.call('SET', KEYS[i], ARGV[1], 'NX', 'EX', ARGV[2]) then
    return {0, false}
  end
end
redis.call('XADD', KEYS[1], '*', 'job', ARGV[3])
if ARGV[4] ~= '1' then return {1, false} end
local read = redis.call(
  'XREADGROUP', 'GROUP', ARGV[5], ARGV[6], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
if not read then return {1, false} end
local e = read[1][2][1]
return {1, {e[1], e[2]}}
"""
# Renew only a lease this consumer still holds: a worker that stalled past its lease must not
# take the job back from the replica that took it over.
_RENEW = """
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if p[1] and p[1][2] == ARGV[2] then
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
  return 1
end
return 0
"""


def consumer_name() -> str:
    """Unique per process: a restarted replica is a new consumer (its old entries are reclaimed
    like anyone else's)."""
    return f"{socket.gethostname()}-{os.getpid()}-{time.monotonic_ns() % 1_000_000}"


class RedisJobQueue:
    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        namespace: str = KEY_PREFIX,
        lease_seconds: float,
        timeout_seconds: float,
        consumer: str | None = None,
        client: Redis | None = None,
    ) -> None:
        self._redis: Redis = client or Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=timeout_seconds
        )
        base = f"{namespace}:jobs:{{q}}"
        self.stream, self.dead, self._marks = f"{base}:stream", f"{base}:dead", f"{base}:marks:"
        self._lease_ms = int(lease_seconds * 1000)
        self._timeout = timeout_seconds
        self.consumer = consumer or consumer_name()
        self._reclaim = self._redis.register_script(_RECLAIM)
        self._renew = self._redis.register_script(_RENEW)
        self._first_delivery = self._redis.register_script(_FIRST_DELIVERY)
        self._enqueue = self._redis.register_script(_ENQUEUE)
        self._deliveries = f"{base}:delivery:"
        self._cursor = "0-0"
        self._group_ready = False

    async def enqueue(
        self, job: Job, *, take: bool, dedup_ttl_seconds: int
    ) -> tuple[bool, Claim | None]:
        keys = [self.stream, *(self._delivery(k) for k in job.deliveries)]
        args: list[str | int] = [job.id, dedup_ttl_seconds, job.to_json(), "1" if take else "0"]
        args += [GROUP, self.consumer]

        async def op() -> tuple[bool, Claim | None]:
            fresh, entry = await self._enqueue(keys=keys, args=args)
            claim = _claim(entry[0], entry[1], 1) if entry else None
            if claim is not None and claim.job.id == job.id:
                claim = replace(claim, deduped=True)
            return bool(fresh), claim

        return await self._grouped("enqueue", op)

    def _delivery(self, key: str) -> str:
        return self._deliveries + hashlib.sha1(key.encode()).hexdigest()

    async def claim(self, count: int) -> list[Claim]:
        async def op() -> list[Claim]:
            args: list[str | int] = [GROUP, self.consumer, self._lease_ms, count, self._cursor]
            cursor, reclaimed = await self._reclaim(keys=[self.stream], args=args)
            self._cursor = str(cursor)
            claims = [c for c in (_claim(e[0], e[1], int(e[2])) for e in reclaimed) if c]
            if len(claims) < count:
                read = await self._redis.xreadgroup(
                    GROUP, self.consumer, {self.stream: ">"}, count=count - len(claims)
                )
                claims += _entries(read)
            return claims

        return await self._grouped("claim", op)

    async def renew(self, claim: Claim) -> bool:
        args = [GROUP, self.consumer, claim.token]
        return bool(await self._run("renew", self._renew(keys=[self.stream], args=args)))

    async def ack(self, claim: Claim) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(self.stream, GROUP, claim.token)
            pipe.xdel(self.stream, claim.token)
            pipe.delete(self._marks + claim.job.id)
            await self._run("ack", pipe.execute())

    async def dead_letter(self, claim: Claim, reason: str) -> None:
        entry = _fields(job=claim.job.to_json(), reason=reason, attempts=str(claim.attempts))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.dead, entry, maxlen=DEAD_CAP, approximate=True)
            pipe.xack(self.stream, GROUP, claim.token)
            pipe.xdel(self.stream, claim.token)
            pipe.delete(self._marks + claim.job.id)
            await self._run("dead letter", pipe.execute())

    async def first_delivery(self, keys: tuple[str, ...], job_id: str, ttl_seconds: int) -> bool:
        if not keys:
            return True
        names = [self._delivery(k) for k in keys]
        script = self._first_delivery(keys=names, args=[job_id, ttl_seconds])
        return bool(await self._run("first delivery", script))

    async def marks(self, job_id: str) -> dict[str, str]:
        found: Any = await self._run("marks", self._redis.hgetall(self._marks + job_id))
        return {str(k): str(v) for k, v in found.items()}

    async def mark(self, job_id: str, name: str, value: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._marks + job_id, name, value)
            pipe.expire(self._marks + job_id, MARKS_TTL_SECONDS)
            await self._run("mark", pipe.execute())

    async def stats(self) -> tuple[int, float]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xlen(self.stream)
            pipe.xrange(self.stream, count=1)
            depth, first = await self._run("stats", pipe.execute())
        if not first:
            return int(depth), 0.0
        millis = int(str(first[0][0]).split("-")[0])
        return int(depth), max(0.0, time.time() - millis / 1000)

    async def dead_letters(self) -> list[dict[str, str]]:
        """The dead-letter entries, oldest first (for operators and tests)."""
        entries: Any = await self._run("dead letters", self._redis.xrange(self.dead))
        return [{str(k): str(v) for k, v in fields.items()} for _, fields in entries]

    async def close(self) -> None:
        try:
            await self._redis.aclose()
        except (RedisError, OSError) as exc:
            raise StoreError(f"redis close failed: {exc}") from exc

    async def _grouped(self, what: str, op: Callable[[], Awaitable[T]]) -> T:
        """Run `op`, creating the consumer group first (again if the stream was deleted)."""
        for attempt in (1, 2):
            if not self._group_ready:
                await self._create_group()
            try:
                return await self._run(what, op())
            except StoreError as exc:
                if "NOGROUP" not in str(exc) or attempt == 2:
                    raise
                self._group_ready = False
        raise AssertionError("unreachable")

    async def _create_group(self) -> None:
        try:
            await self._run(
                "create group", self._redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
            )
        except StoreError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    async def _run(self, what: str, call: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self._timeout):
                return await call
        except TimeoutError as exc:
            raise StoreError(f"redis jobs {what} timed out after {self._timeout:g} s") from exc
        except ResponseError as exc:
            raise StoreError(f"redis jobs {what} failed: {exc}") from exc
        except (RedisError, OSError) as exc:
            raise StoreError(f"redis jobs {what} failed: {type(exc).__name__}: {exc}") from exc


def _fields(**values: str) -> dict[Any, Any]:
    """Stream entry fields (redis-py's stubs want a wider key type than `str`)."""
    return dict(values)


def _claim(token: Any, fields: Any, attempts: int) -> Claim | None:
    """An entry as a claim; None for one deleted while pending or not a job."""
    if isinstance(fields, list):  # a script's raw reply: [field, value, ...]
        fields = dict(zip(fields[::2], fields[1::2], strict=False))
    try:
        return Claim(Job.from_json(str(fields["job"])), str(token), attempts)
    except (KeyError, ValueError, TypeError):
        return None


def _entries(read: Any) -> list[Claim]:
    """XREADGROUP's reply, `[[stream, [(id, fields), ...]]]`, as first-delivery claims."""
    claims = (_claim(token, fields, 1) for _, entries in read or [] for token, fields in entries)
    return [c for c in claims if c is not None]
