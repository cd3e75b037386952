"""An in-process store with the same semantics as the Redis and SQLite ones.

Used as a fast fake in unit tests and by `ResilientStore` as its local fallback (per-process
locks, de-duplication and rate limits while the shared store is down). Everything is bounded:
threads, de-duplication keys and counters beyond `max_keys` are evicted oldest first, so a
long outage cannot grow memory without limit. Nothing here awaits, so each operation is
atomic with respect to other tasks.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TypeVar

from bot.core.store.base import KEY_PREFIX, Feedback
from bot.core.store.common import DEFAULT_FEEDBACK_CAP, KeyedLocks, capped
from bot.core.types import Turn

DEFAULT_MAX_KEYS = 100_000
V = TypeVar("V")


@dataclass
class _Thread:
    turns: list[Turn]
    expires_at: float


class MemoryStore:
    """Conversation state in dictionaries; lost when the process exits."""

    kind = "memory"

    def __init__(
        self,
        *,
        namespace: str = KEY_PREFIX,
        ttl_seconds: int = 1_209_600,
        max_turns: int = 50,
        feedback_cap: int = DEFAULT_FEEDBACK_CAP,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.namespace = namespace
        self._ttl = ttl_seconds
        self._max_turns = max_turns
        self._max_keys = max_keys
        self._clock = clock
        self._threads: OrderedDict[str, _Thread] = OrderedDict()
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._hits: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._feedback: deque[Feedback] = deque(maxlen=feedback_cap)
        self._counts: OrderedDict[str, tuple[dict[str, int], float]] = OrderedDict()
        self._locks = KeyedLocks()

    async def load_turns(self, thread: str) -> list[Turn]:
        entry = self._live_thread(thread)
        return list(entry.turns) if entry else []

    async def append_turns(self, thread: str, turns: Sequence[Turn]) -> int:
        entry = self._live_thread(thread)
        if not turns:
            return len(entry.turns) if entry else 0
        if entry is None:
            entry = _Thread([], 0.0)
            self._threads[thread] = entry
            self._evict(self._threads)
        entry.turns = capped([*entry.turns, *turns], self._max_turns)
        entry.expires_at = self._clock() + self._ttl
        self._threads.move_to_end(thread)
        return len(entry.turns)

    def thread_lock(self, thread: str) -> AbstractAsyncContextManager[None]:
        """In-process only: tasks of one thread take turns in arrival order."""
        return self._locks.hold(thread)

    async def first_time(self, key: str, ttl_seconds: int) -> bool:
        now = self._clock()
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        self._seen[key] = now + ttl_seconds
        self._seen.move_to_end(key)
        self._evict(self._seen)
        return True

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Fixed window counter, like the other stores; `limit <= 0` means no limit."""
        if limit <= 0:
            return True
        window = int(self._clock() // window_seconds)
        seen_window, count = self._hits.get(key, (window, 0))
        count = count + 1 if seen_window == window else 1
        self._hits[key] = (window, count)
        self._hits.move_to_end(key)
        self._evict(self._hits)
        return count <= limit

    async def add_feedback(self, feedback: Feedback) -> None:
        self._feedback.append(feedback)

    async def recent_feedback(self, limit: int = 1000) -> list[Feedback]:
        return list(reversed(self._feedback))[: max(limit, 0)]

    async def count(self, key: str, name: str, ttl_seconds: int) -> int:
        now = self._clock()
        values, expires = self._counts.get(key, ({}, 0.0))
        if expires <= now:
            values = {}
        values[name] = values.get(name, 0) + 1
        self._counts[key] = (values, now + ttl_seconds)
        self._counts.move_to_end(key)
        self._evict(self._counts)
        return values[name]

    async def counts(self, keys: Sequence[str]) -> dict[str, int]:
        now, total = self._clock(), Counter[str]()
        for key in dict.fromkeys(keys):
            values, expires = self._counts.get(key, ({}, 0.0))
            if expires > now:
                total.update(values)
        return dict(total)

    async def forget(self, thread: str) -> bool:
        had = self._live_thread(thread) is not None
        self._threads.pop(thread, None)
        return had

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        """Nothing to release; the data lives as long as the object."""

    def _live_thread(self, thread: str) -> _Thread | None:
        entry = self._threads.get(thread)
        if entry is not None and entry.expires_at <= self._clock():
            del self._threads[thread]
            return None
        return entry

    def _evict(self, table: OrderedDict[str, V]) -> None:
        """Least recently written first: what an outage-long burst of new keys pushes out."""
        while len(table) > self._max_keys:
            table.popitem(last=False)
