"""The conversation-state store interface, shared by the Redis and the embedded SQLite stores.

Everything the bot remembers goes through `Store`: thread turns (capped, expiring), the
de-duplication primitive, per-user rate limits, feedback records and named counters (a
workspace's answers per day, what a platform refused it). Both implementations pass
the same contract tests (`tests/store/`). Implementations raise `StoreError` on failure or
timeout; `ResilientStore` turns that into "answer without memory" for the service.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.core.types import Turn

KEY_PREFIX = "rag-or-ft:v1"


@dataclass(frozen=True, slots=True)
class Feedback:
    rating: Literal["up", "down"]
    verdict: str
    thread: str | None = None
    comment: str = ""
    user: str = ""
    platform: str = ""
    at: float = field(default_factory=time.time)


class Store(Protocol):
    """Conversation state. Keys passed in are logical (e.g. a thread key); stores namespace them."""

    kind: str

    async def load_turns(self, thread: str) -> list[Turn]:
        """The thread's stored turns, oldest first (empty if unknown or expired)."""
        ...

    async def append_turns(self, thread: str, turns: Sequence[Turn]) -> int:
        """Append atomically, keep the newest `max_turns`, refresh TTL; return the count kept."""
        ...

    def thread_lock(self, thread: str) -> AbstractAsyncContextManager[None]:
        """Serialise turns of one thread across tasks and processes (read → answer → append)."""
        ...

    async def first_time(self, key: str, ttl_seconds: int) -> bool:
        """True the first time `key` is seen within `ttl_seconds` (SET NX EX), False after."""
        ...

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count one hit for `key`; False when more than `limit` hits fell in the window."""
        ...

    async def add_feedback(self, feedback: Feedback) -> None:
        """Record feedback in a capped log."""
        ...

    async def recent_feedback(self, limit: int = 1000) -> list[Feedback]:
        """Newest first."""
        ...

    async def count(self, key: str, name: str, ttl_seconds: int) -> int:
        """Add one to counter `name` of `key` and return its new value (atomic across
        processes); `key` expires `ttl_seconds` after its latest count."""
        ...

    async def counts(self, keys: Sequence[str]) -> dict[str, int]:
        """The counters of `keys`, summed by name (keys unknown or expired count nothing)."""
        ...

    async def forget(self, thread: str) -> bool:
        """Delete a thread's data; True if there was any."""
        ...

    async def ping(self) -> bool:
        """True if the store answers now."""
        ...

    async def close(self) -> None: ...
