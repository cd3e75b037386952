"""The shared store on Redis (redis.asyncio): what several bot processes or machines agree on.

Key layout, versioned by the namespace (`rag-or-ft:v1` by default) and Redis Cluster safe:

    {ns}:thread:{<sha1 of thread key>}:turns   list of JSON turns, capped, TTL refreshed on write
    {ns}:thread:{<sha1 of thread key>}:lock    leased per-thread lock (random owner token)
    {ns}:seen:<sha1 of key>                    de-duplication marker (SET NX EX)
    {ns}:rate:<sha1 of key>:<window number>   fixed-window hit counter
    {ns}:feedback                              capped stream of feedback records
    {ns}:count:<sha1 of key>                   hash of named counters (HINCRBY, EXPIRE)

The braces are a cluster hash tag: all keys of one thread live in one slot, so the Lua scripts
and MULTI blocks that touch several of them work on a cluster too. Hashing the logical keys
keeps key lengths bounded and stops a brace in a platform id from forming a stray hash tag.

One service turn costs four round trips: lock acquire (a script that also prefetches the
turns), append (MULTI/EXEC), lock release (a script) and the rate-limit counter (MULTI/EXEC);
`load_turns` inside the held lock is answered from the prefetch. Every call is bounded by
`timeout_seconds`; any Redis error or timeout surfaces as `StoreError`.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from bot.core.store.base import KEY_PREFIX, Feedback
from bot.core.store.common import (
    DEFAULT_FEEDBACK_CAP,
    DEFAULT_LOCK_LEASE_SECONDS,
    DEFAULT_LOCK_WAIT_SECONDS,
    AbandonedLeases,
    KeyedLocks,
    feedback_from_json,
    feedback_to_json,
    hold_lease,
    turn_to_json,
    turns_from_json,
)
from bot.core.types import Turn
from bot.errors import StoreError

T = TypeVar("T")

# Take the lock and, in the same round trip, read the turns the holder is about to load.
# ARGV[3]: a token of this process whose release failed; its lock may be taken over at once.
_ACQUIRE_AND_READ = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
  or (ARGV[3] ~= '' and redis.call('GET', KEYS[1]) == ARGV[3]
      and redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])) then
  return {1, redis.call('LRANGE', KEYS[2], 0, -1)}
end
return {0, {}}
"""
# Append, then cap at ARGV[1] turns keeping the first (the project description) and the newest.
_APPEND = """
local n = redis.call('RPUSH', KEYS[1], unpack(ARGV, 3))
local cap = tonumber(ARGV[1])
if n > cap and cap >= 2 then
  local first = redis.call('LINDEX', KEYS[1], 0)
  redis.call('LTRIM', KEYS[1], n - cap + 1, -1)
  redis.call('LPUSH', KEYS[1], first)
  n = cap
elseif n > cap then
  redis.call('LTRIM', KEYS[1], -cap, -1)
  n = cap
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _text(value: bytes | str) -> str:
    """Clients built here decode replies; an injected one may not."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _field(fields: Mapping[bytes | str, bytes | str] | None, name: str) -> str:
    if not fields:
        return ""
    value = fields.get(name, fields.get(name.encode()))
    return "" if value is None else _text(value)


class RedisStore:
    """Conversation state in Redis, shared by every process that points at the same server."""

    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        namespace: str = KEY_PREFIX,
        ttl_seconds: int,
        max_turns: int,
        timeout_seconds: float,
        feedback_cap: int = DEFAULT_FEEDBACK_CAP,
        lock_lease_seconds: float = DEFAULT_LOCK_LEASE_SECONDS,
        lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
        clock: Callable[[], float] = time.time,
        client: Redis | None = None,
    ) -> None:
        """`client` replaces the one built from `url` (e.g. one with an instrumented connection
        class); the store closes it either way. `clock` only places rate-limit windows — expiry
        is Redis's own."""
        self.namespace = namespace
        self._ttl = ttl_seconds
        self._max_turns = max_turns
        self._timeout = timeout_seconds
        self._feedback_cap = feedback_cap
        self._lease_ms = int(lock_lease_seconds * 1000)
        self._lock_wait = lock_wait_seconds
        self._clock = clock
        # One immediate retry, no backoff: it replaces a pooled connection that died with a
        # restarted server, while a server that is really down fails fast instead of backing
        # off past our own timeout on every call. No socket_timeout: redis-py enforces it on
        # writes with asyncio.wait_for, which on Python 3.11 can swallow a cancellation that
        # lands as the write completes (cpython gh-86296) — a cancelled turn, or our own lock
        # watchdog, would then run on. `_run`'s asyncio.timeout bounds every call instead.
        self._redis: Redis = client or Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=None,
            socket_connect_timeout=timeout_seconds,
            retry=Retry(NoBackoff(), 1),
        )
        self._acquire_script = self._redis.register_script(_ACQUIRE_AND_READ)
        self._append_script = self._redis.register_script(_APPEND)
        self._release_script = self._redis.register_script(_RELEASE)
        self._renew_script = self._redis.register_script(_RENEW)
        self._local = KeyedLocks()
        self._abandoned = AbandonedLeases()
        self._prefetched: dict[str, list[str]] = {}

    def thread_key(self, thread: str, part: str) -> str:
        return f"{self.namespace}:thread:{{{_digest(thread)}}}:{part}"

    async def load_turns(self, thread: str) -> list[Turn]:
        raws = self._prefetched.pop(thread, None)
        if raws is None:
            key = self.thread_key(thread, "turns")
            raws = [_text(r) for r in await self._run("load_turns", self._redis.lrange(key, 0, -1))]
        return turns_from_json(raws)

    async def append_turns(self, thread: str, turns: Sequence[Turn]) -> int:
        self._prefetched.pop(thread, None)
        key = self.thread_key(thread, "turns")
        if not turns:
            return int(await self._run("append_turns", self._redis.llen(key)))
        args: list[int | str] = [self._max_turns, self._ttl, *map(turn_to_json, turns)]
        length = await self._run("append_turns", self._append_script(keys=[key], args=args))
        return int(length)

    def thread_lock(self, thread: str) -> AbstractAsyncContextManager[None]:
        """Local FIFO lock first (arrival order within this process, no self-contention), then
        the leased Redis lock (exclusion across processes, freed within the lease if one dies).
        Across processes the next holder is whoever polls first after a release."""
        return self._hold(thread)

    @asynccontextmanager
    async def _hold(self, thread: str) -> AsyncIterator[None]:
        lock_key = self.thread_key(thread, "lock")
        turns_key = self.thread_key(thread, "turns")

        async def acquire(token: str, previous: str) -> bool:
            keys, args = [lock_key, turns_key], [token, str(self._lease_ms), previous]
            got, raws = await self._run("lock", self._acquire_script(keys=keys, args=args))
            if got:
                self._prefetched[thread] = [_text(r) for r in raws]
            return bool(got)

        async def renew(token: str) -> bool:
            renewed = self._renew_script(keys=[lock_key], args=[token, str(self._lease_ms)])
            return bool(await self._run("lock renew", renewed))

        async def release(token: str) -> None:
            self._prefetched.pop(thread, None)
            await self._run("lock release", self._release_script(keys=[lock_key], args=[token]))

        async with (
            self._local.hold(thread),
            hold_lease(
                acquire=acquire,
                renew=renew,
                release=release,
                lease_seconds=self._lease_ms / 1000,
                wait_seconds=self._lock_wait,
                what=f"thread {_digest(thread)[:12]}",
                abandoned=self._abandoned,
                key=thread,
            ),
        ):
            yield

    async def first_time(self, key: str, ttl_seconds: int) -> bool:
        seen = f"{self.namespace}:seen:{_digest(key)}"
        marked = await self._run("first_time", self._redis.set(seen, "1", nx=True, ex=ttl_seconds))
        return bool(marked)

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Fixed window: at most `limit` hits per window number (at a window edge a burst of up
        to twice `limit` can pass, the usual trade for one key and one round trip).
        `limit <= 0` means no limit."""
        if limit <= 0:
            return True
        window = int(self._clock() // window_seconds)
        counter = f"{self.namespace}:rate:{_digest(key)}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(counter)
            pipe.expire(counter, window_seconds + 1)
            count, _ = await self._run("allow", pipe.execute())
        return int(count) <= limit

    async def add_feedback(self, feedback: Feedback) -> None:
        await self._run(
            "add_feedback",
            self._redis.xadd(
                f"{self.namespace}:feedback",
                {"data": feedback_to_json(feedback)},
                maxlen=self._feedback_cap,
                approximate=True,
            ),
        )

    async def recent_feedback(self, limit: int = 1000) -> list[Feedback]:
        """Newest first. `MAXLEN ~` trims lazily, so reads are capped here to the same size."""
        count = min(limit, self._feedback_cap)
        if count <= 0:
            return []
        entries = await self._run(
            "recent_feedback", self._redis.xrevrange(f"{self.namespace}:feedback", count=count)
        )
        records = (feedback_from_json(_field(fields, "data")) for _, fields in entries or ())
        return [r for r in records if r is not None]

    async def count(self, key: str, name: str, ttl_seconds: int) -> int:
        counters = f"{self.namespace}:count:{_digest(key)}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(counters, name, 1)
            pipe.expire(counters, ttl_seconds)
            value, _ = await self._run("count", pipe.execute())
        return int(value)

    async def counts(self, keys: Sequence[str]) -> dict[str, int]:
        """One round trip for all of `keys` (a pipeline of HGETALLs)."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in wanted:
                pipe.hgetall(f"{self.namespace}:count:{_digest(key)}")
            hashes = await self._run("counts", pipe.execute())
        total: dict[str, int] = {}
        for fields in hashes:
            for name, value in (fields or {}).items():
                total[_text(name)] = total.get(_text(name), 0) + int(value)
        return total

    async def forget(self, thread: str) -> bool:
        """Deletes the thread's data; a lock in flight is left to its holder and its lease."""
        self._prefetched.pop(thread, None)
        deleted = await self._run("forget", self._redis.delete(self.thread_key(thread, "turns")))
        return int(deleted) > 0

    async def ping(self) -> bool:
        return bool(await self._run("ping", self._redis.ping()))

    async def close(self) -> None:
        try:
            await self._redis.aclose()
        except (RedisError, OSError) as exc:
            raise StoreError(f"redis close failed: {exc}") from exc

    async def _run(self, what: str, call: Awaitable[T]) -> T:
        """Bound one call by the timeout and translate every failure into `StoreError`."""
        try:
            async with asyncio.timeout(self._timeout):
                return await call
        except TimeoutError as exc:
            raise StoreError(f"redis {what} timed out after {self._timeout:g} s") from exc
        except (RedisError, OSError) as exc:
            raise StoreError(f"redis {what} failed: {type(exc).__name__}: {exc}") from exc

    def __repr__(self) -> str:
        return f"RedisStore(namespace={self.namespace!r})"

    @property
    def client(self) -> Redis:
        """The underlying client, for diagnostics (e.g. the benchmark's INFO commandstats)."""
        return self._redis
