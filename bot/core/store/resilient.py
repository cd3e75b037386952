"""A store wrapper that keeps the bot answering when the real store is down.

The service only ever talks to a `ResilientStore`. When the inner store raises `StoreError`,
each chat-path call degrades to the closest local behaviour instead of failing the turn:

    load_turns   → the turns this process recently stored for the thread (a bounded mirror,
                   fed on every append), else []: follow-ups in threads this process answered
                   are still recognised and answered with their context
    append_turns → kept in that mirror, and queued to be written back
    thread_lock  → a per-process lock for the thread   add_feedback → dropped, counted
    count        → counted in this process only (not written back: statistics and notes, where
                   an outage's gap costs little); counts → this process's counts
    first_time   → a per-process de-duplication cache, fed on every call while healthy too,
                   so an event first seen before the outage still de-duplicates during it; a
                   key first seen during the outage is queued to be written back
    allow        → a per-process rate limiter (a flood is still held back; never stricter
                   than the shared limit within one process)

Operator paths (`forget`, `recent_feedback`) re-raise: a CLI must not report "nothing there"
when it could not look. `ping` never raises; it answers False.

Health is one flag for /readyz: the first failure logs ONE warning and flips `healthy` off,
later failures only log at debug level, and the next success logs one info line and flips it
back. While unhealthy, calls skip the inner store for `retry_after_seconds` (a circuit
breaker), so a blackholed Redis costs one timeout per interval rather than one per call;
`ping` always tries, so a readiness probe can close the breaker early. A failed write (a full
disk) opens the breaker for writes only: thread reads still try the store, so a turn is read
against the whole thread, not this process's partial mirror, and its number never goes back.

Write-back: what was answered during an outage must not be lost to the other replicas or to
this one. Turns appended and de-duplication keys first seen while the store was unreachable are
queued (bounded) and written to the store when it answers again — by a background task that
retries every `retry_after_seconds` from the first failure, by a successful `ping`, and, for one
thread, before its turns are next read or appended — each exactly once and a thread's turns in
their order. So a recovered thread keeps its outage turns (turn numbers never go backwards) and
a retry of an event answered during the outage is dropped by whichever replica receives it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from typing import TypeVar

from bot.core.store.base import Feedback, Store
from bot.core.store.common import KeyedLocks, LockTimeoutError
from bot.core.store.memory_store import MemoryStore
from bot.core.types import Turn
from bot.errors import StoreError

T = TypeVar("T")

DEFAULT_RETRY_AFTER_SECONDS = 2.0
# The outage mirror: enough for the threads one replica is busy with, small enough to ignore.
RECENT_THREADS = 2_000
RECENT_TURNS = 20
# Written back on recovery: the turns and de-duplication keys an outage left only here.
PENDING_THREADS = RECENT_THREADS
PENDING_TURNS_PER_THREAD = 200
PENDING_KEYS = 20_000
MIN_RECOVERY_INTERVAL_SECONDS = 0.05


class ResilientStore:
    """Wraps a `Store`; same interface, but the chat path never sees a `StoreError`."""

    def __init__(
        self,
        inner: Store,
        logger: logging.Logger,
        *,
        on_error: Callable[[], None] | None = None,
        retry_after_seconds: float = DEFAULT_RETRY_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.kind = inner.kind
        self.healthy = True
        self.last_error: str | None = None
        self._log = logger
        self._on_error = on_error
        self._retry_after = retry_after_seconds
        self._clock = clock
        self._skip_until = 0.0  # writes (and everything else) skipped until then
        self._reads_skip_until = 0.0  # thread reads skipped until then
        self._only_writes_failed = False  # the last failure was a write's (reads may work)
        self._dropped_feedback = 0
        self._local = MemoryStore()
        self._recent = MemoryStore(max_keys=RECENT_THREADS, max_turns=RECENT_TURNS)
        self._pending_turns: OrderedDict[str, list[Turn]] = OrderedDict()
        self._pending_keys: OrderedDict[str, float] = OrderedDict()  # key → expiry (clock)
        self._writing = KeyedLocks()  # a thread's write-back vs. its next read or append
        self._recovery: asyncio.Task[None] | None = None

    async def load_turns(self, thread: str) -> list[Turn]:
        await self._write_back_thread(thread)
        turns: list[Turn] | None = await self._guard(
            "load_turns", lambda: self.inner.load_turns(thread), None, read=True
        )
        return await self._recent.load_turns(thread) if turns is None else turns

    async def append_turns(self, thread: str, turns: Sequence[Turn]) -> int:
        mirrored = await self._recent.append_turns(thread, turns)
        if not turns:
            return await self._guard(
                "append_turns", lambda: self.inner.append_turns(thread, turns), mirrored
            )
        async with self._writing.hold(thread):
            batch = [*self._pending_turns.pop(thread, []), *turns]  # older outage turns first
            kept: int | None = await self._guard(
                "append_turns", lambda: self.inner.append_turns(thread, batch), None
            )
            if kept is None:
                self._queue_turns(thread, batch)
                return mirrored
            return kept

    def thread_lock(self, thread: str) -> AbstractAsyncContextManager[None]:
        return self._thread_lock(thread)

    @asynccontextmanager
    async def _thread_lock(self, thread: str) -> AsyncIterator[None]:
        """The inner lock when it can be had, else a per-process one (never no lock at all).

        A lock wait that times out on a healthy store means the thread is busy elsewhere; the
        turn goes ahead under the local lock without marking the store unhealthy."""
        held = None
        if not self._skipping():
            candidate = self.inner.thread_lock(thread)
            try:
                await candidate.__aenter__()
                held = candidate
                self._succeeded()
            except LockTimeoutError as exc:
                self._log.warning("thread lock wait timed out; answering anyway: %s", exc)
            except StoreError as exc:
                self._failed("thread_lock", exc, writes_only=True)
        if held is None:
            async with self._local.thread_lock(thread):
                yield
            return
        try:
            yield
        except BaseException as exc:
            await self._release(held, exc)
            raise
        await self._release(held, None)

    async def _release(
        self, held: AbstractAsyncContextManager[None], exc: BaseException | None
    ) -> None:
        try:
            if exc is None:
                await held.__aexit__(None, None, None)
            else:
                await held.__aexit__(type(exc), exc, exc.__traceback__)
        except StoreError as err:  # the lease runs out by itself
            self._failed("thread_lock release", err, writes_only=True)

    async def first_time(self, key: str, ttl_seconds: int) -> bool:
        """Recorded locally too, so a retry is dropped if either this process or the shared store
        has seen the key: retries during an outage, and after one, of events seen on either side."""
        local_first = await self._local.first_time(key, ttl_seconds)
        remote: bool | None = await self._guard(
            "first_time", lambda: self.inner.first_time(key, ttl_seconds), None
        )
        if remote is None:
            if local_first:
                self._queue_key(key, ttl_seconds)
            return local_first
        return remote and local_first

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        remote: bool | None = await self._guard(
            "allow", lambda: self.inner.allow(key, limit, window_seconds), None
        )
        if remote is None:
            return await self._local.allow(key, limit, window_seconds)
        return remote

    async def add_feedback(self, feedback: Feedback) -> None:
        stored = await self._guard(
            "add_feedback", lambda: _done(self.inner.add_feedback(feedback)), False
        )
        if not stored:  # counted, and reported once on recovery: one warning per outage
            self._dropped_feedback += 1
            self._log.debug("feedback dropped: %s for %s", feedback.rating, feedback.verdict)

    async def count(self, key: str, name: str, ttl_seconds: int) -> int:
        """Counted locally too, so a process that lost the store still knows what it counted
        (a workspace's refusal, say) and says so once, not on every message."""
        local = await self._local.count(key, name, ttl_seconds)
        remote: int | None = await self._guard(
            "count", lambda: self.inner.count(key, name, ttl_seconds), None
        )
        return local if remote is None else remote

    async def counts(self, keys: Sequence[str]) -> dict[str, int]:
        remote: dict[str, int] | None = await self._guard(
            "counts", lambda: self.inner.counts(keys), None, read=True
        )
        return await self._local.counts(keys) if remote is None else remote

    async def recent_feedback(self, limit: int = 1000) -> list[Feedback]:
        return await self._strict("recent_feedback", lambda: self.inner.recent_feedback(limit))

    async def forget(self, thread: str) -> bool:
        await self._local.forget(thread)
        await self._recent.forget(thread)
        self._pending_turns.pop(thread, None)  # a forgotten thread is not written back
        return await self._strict("forget", lambda: self.inner.forget(thread))

    async def ping(self) -> bool:
        """Always asks the inner store (ignores the breaker), so /readyz sees the truth; once it
        answers, writes back what an outage queued."""
        try:
            await self.inner.ping()
        except StoreError as exc:
            self._failed("ping", exc)
            return False
        self._succeeded(read_only=True)
        await self.write_back()
        return True

    @property
    def pending(self) -> int:
        """Turns and de-duplication keys waiting to be written back after an outage."""
        return sum(map(len, self._pending_turns.values())) + len(self._pending_keys)

    async def recovered(self) -> None:
        """Returns once what the last outage queued has been written back (at once if none)."""
        if self._recovery is not None and not self._recovery.done():
            await asyncio.shield(self._recovery)

    async def write_back(self) -> bool:
        """Write back everything an outage queued (keys first: they stop duplicate answers);
        True when nothing is left. Stops at the first failure, keeping the rest queued."""
        while self._pending_keys:
            key, expires_at = self._pending_keys.popitem(last=False)
            ttl = int(expires_at - self._clock())
            if ttl < 1:
                continue
            try:
                await self.inner.first_time(key, ttl)
            except StoreError as exc:
                self._pending_keys[key] = expires_at
                self._pending_keys.move_to_end(key, last=False)
                self._failed("write-back", exc, writes_only=True)
                return False
            self._succeeded()
        for thread in list(self._pending_turns):
            if not await self._write_back_thread(thread, strict=True):
                return False
        return not self._pending_turns

    async def _write_back_thread(self, thread: str, *, strict: bool = False) -> bool:
        """This thread's queued turns, written before anything else reads or appends it."""
        if thread not in self._pending_turns or (self._skipping() and not strict):
            return True
        async with self._writing.hold(thread):
            batch = self._pending_turns.pop(thread, [])
            if not batch:
                return True
            try:
                await self.inner.append_turns(thread, batch)
            except StoreError as exc:
                self._queue_turns(thread, batch)
                self._failed("write-back", exc, writes_only=True)
                return False
        self._succeeded()
        return True

    def _queue_turns(self, thread: str, turns: list[Turn]) -> None:
        queued = [*turns, *self._pending_turns.pop(thread, [])]  # `turns` are the older ones
        self._pending_turns[thread] = queued[-PENDING_TURNS_PER_THREAD:]
        while len(self._pending_turns) > PENDING_THREADS:
            self._pending_turns.popitem(last=False)
        self._start_recovery()

    def _queue_key(self, key: str, ttl_seconds: int) -> None:
        self._pending_keys[key] = self._clock() + ttl_seconds
        self._pending_keys.move_to_end(key)
        while len(self._pending_keys) > PENDING_KEYS:
            self._pending_keys.popitem(last=False)
        self._start_recovery()

    def _start_recovery(self) -> None:
        if self._recovery is None or self._recovery.done():
            self._recovery = asyncio.create_task(self._recover(), name="store-write-back")

    async def _recover(self) -> None:
        """Until the queue is written back: wait one breaker interval, ping, write back."""
        interval = max(self._retry_after, MIN_RECOVERY_INTERVAL_SECONDS)
        while self.pending:
            await asyncio.sleep(interval)
            try:
                await self.inner.ping()
            except StoreError as exc:
                self._failed("ping", exc)
                continue
            self._succeeded(read_only=True)
            await self.write_back()

    async def close(self) -> None:
        if self._recovery is not None:
            self._recovery.cancel()
            with suppress(asyncio.CancelledError):
                await self._recovery
        try:
            await self.inner.close()
        except StoreError as exc:
            self._log.debug("closing the state store failed: %s", exc)

    async def _guard(
        self, what: str, call: Callable[[], Awaitable[T]], fallback: T, *, read: bool = False
    ) -> T:
        """`read`: a thread read, which a failing write does not skip (see `_failed`)."""
        if self._skipping(read=read):
            return fallback
        try:
            result = await call()
        except StoreError as exc:
            self._failed(what, exc, writes_only=not read)
            return fallback
        self._succeeded(read_only=read)
        return result

    async def _strict(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        try:
            result = await call()
        except StoreError as exc:
            self._failed(what, exc)
            raise
        self._succeeded()
        return result

    def _skipping(self, *, read: bool = False) -> bool:
        until = self._reads_skip_until if read else self._skip_until
        return not self.healthy and self._clock() < until

    def _failed(self, what: str, exc: StoreError, *, writes_only: bool = False) -> None:
        """A failed write (a full disk, a lease release) skips writes only: thread reads still
        go to the store, so a turn keeps the thread's context and numbering instead of falling
        back to this process's partial mirror. A failed read or ping skips everything."""
        self.last_error = f"{what}: {exc}"
        self._skip_until = self._clock() + self._retry_after
        self._only_writes_failed = writes_only
        if not writes_only:
            self._reads_skip_until = self._skip_until
        if self._on_error is not None:
            self._on_error()
        if self.healthy:
            self.healthy = False
            self._log.warning(
                "state store %s unavailable, answering without memory until it returns: %s",
                self.kind,
                self.last_error,
            )
        else:
            self._log.debug("state store %s still unavailable: %s", self.kind, self.last_error)

    def _succeeded(self, *, read_only: bool = False) -> None:
        """A read (or ping) that works while writes failed a moment ago does not make the store
        healthy: the next write would fail again, and health would flap with every probe."""
        if read_only and self._only_writes_failed and self._clock() < self._skip_until:
            return
        if not self.healthy:
            self.healthy = True
            self.last_error = None
            dropped, self._dropped_feedback = self._dropped_feedback, 0
            self._log.info(
                "state store %s is back (%d feedback records were dropped meanwhile)",
                self.kind,
                dropped,
            )


async def _done(call: Awaitable[None]) -> bool:
    await call
    return True
