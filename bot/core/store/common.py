"""Pieces every store shares: the JSON codec, per-key local locks and the leased lock loop.

The Redis and SQLite stores serialise a thread the same way — a local FIFO lock per thread (so
tasks of one process queue in arrival order and never poll each other) in front of a leased
lock in the shared backend (so other processes are excluded too). The lease loop lives here
once, with the backend supplying three small operations: acquire, renew, release.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from bot.core.store.base import Feedback
from bot.core.types import Fact, Turn
from bot.errors import StoreError

log = logging.getLogger("bot.core.store")

DEFAULT_LOCK_LEASE_SECONDS = 15.0
"""A crashed holder frees its thread after this long; a live holder keeps renewing it."""

DEFAULT_LOCK_WAIT_SECONDS = 45.0
"""Longer than a whole LLM turn (30 s default), so a busy thread is waited for, not skipped."""

DEFAULT_FEEDBACK_CAP = 10_000

_POLL_FIRST = 0.002
_POLL_MAX = 0.05
_STOP_WAIT_SECONDS = 1.0


class LockTimeoutError(StoreError):
    """The thread stayed locked by someone else past the wait bound (the store itself is fine)."""


def capped(turns: list[Turn], max_turns: int) -> list[Turn]:
    """At most `max_turns`: the first turn (the thread's project description, which every
    later turn is read against) and the newest. Every store caps this way."""
    if len(turns) <= max_turns:
        return turns
    if max_turns < 2:
        return turns[len(turns) - max_turns :]
    return [turns[0], *turns[len(turns) - max_turns + 1 :]]


def turn_to_json(turn: Turn) -> str:
    return json.dumps(
        {
            "role": turn.role,
            "text": turn.text,
            "user": turn.user,
            "verdict": turn.verdict,
            "citation_ids": list(turn.citation_ids),
            "at": turn.at,
            "number": turn.number,
            **({"kind": turn.kind} if turn.kind != "message" else {}),
            **(
                {"facts": [[f.dimension, f.state, f.turn] for f in turn.facts]}
                if turn.facts
                else {}
            ),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def turn_from_json(raw: str | bytes) -> Turn | None:
    """Decode one stored turn; None (and a log line) for an entry this version cannot read."""
    try:
        data: dict[str, Any] = json.loads(raw)
        return Turn(
            role=data["role"],
            text=str(data["text"]),
            user=str(data.get("user", "")),
            verdict=data.get("verdict"),
            citation_ids=tuple(str(c) for c in data.get("citation_ids", ())),
            at=float(data.get("at", 0.0)),
            number=int(data.get("number", 0)),
            kind="correction" if data.get("kind") == "correction" else "message",
            facts=tuple(_fact(f) for f in data.get("facts", ())),
        )
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("skipping an unreadable stored turn: %s", exc)
        return None


def _fact(raw: Any) -> Fact:
    dimension, state, turn = raw
    if state not in ("yes", "no", "unknown"):
        raise ValueError(f"bad fact state {state!r}")
    return Fact(str(dimension), state, int(turn))


def turns_from_json(raws: list[str] | list[bytes]) -> list[Turn]:
    return [t for t in (turn_from_json(r) for r in raws) if t is not None]


def feedback_to_json(fb: Feedback) -> str:
    return json.dumps(
        {
            "rating": fb.rating,
            "verdict": fb.verdict,
            "thread": fb.thread,
            "comment": fb.comment,
            "user": fb.user,
            "platform": fb.platform,
            "at": fb.at,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def feedback_from_json(raw: str | bytes) -> Feedback | None:
    try:
        data: dict[str, Any] = json.loads(raw)
        rating = data["rating"]
        if rating not in ("up", "down"):
            raise ValueError(f"bad rating {rating!r}")
        return Feedback(
            rating=rating,
            verdict=str(data["verdict"]),
            thread=data.get("thread"),
            comment=str(data.get("comment", "")),
            user=str(data.get("user", "")),
            platform=str(data.get("platform", "")),
            at=float(data.get("at", 0.0)),
        )
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("skipping an unreadable feedback record: %s", exc)
        return None


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class KeyedLocks:
    """One asyncio lock per key, created on demand and dropped when nobody holds or awaits it.

    asyncio.Lock wakes waiters first-in first-out, so tasks of one process get a thread in the
    order they asked for it; dropping idle entries keeps memory bounded by the threads in use.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


class AbandonedLeases:
    """Per key, the token of a lease this process is done with but could not release (the
    backend failed just then, e.g. a full disk). Nobody in this process holds it any more, so
    the next holder here takes it over at once instead of waiting out the lease. Bounded."""

    def __init__(self, cap: int = 1_000) -> None:
        self._tokens: OrderedDict[str, str] = OrderedDict()
        self._cap = cap

    def get(self, key: str) -> str:
        return self._tokens.get(key, "")

    def add(self, key: str, token: str) -> None:
        self._tokens[key] = token
        self._tokens.move_to_end(key)
        while len(self._tokens) > self._cap:
            self._tokens.popitem(last=False)

    def discard(self, key: str, token: str) -> None:
        if token and self._tokens.get(key) == token:
            del self._tokens[key]


@asynccontextmanager
async def hold_lease(
    *,
    acquire: Callable[[str, str], Awaitable[bool]],
    renew: Callable[[str], Awaitable[bool]],
    release: Callable[[str], Awaitable[None]],
    lease_seconds: float,
    wait_seconds: float,
    what: str,
    abandoned: AbandonedLeases,
    key: str,
) -> AsyncIterator[None]:
    """Hold a leased lock in a shared backend for the duration of the block.

    A random token marks ownership, so a holder whose lease ran out can never release (or renew)
    a lock someone else took since. Waiting polls with a short, growing, jittered delay up to
    `wait_seconds`, then raises `LockTimeoutError`. While held, a watchdog renews the lease every
    third of it, so a slow LLM turn keeps its thread while a crashed process frees it quickly.
    A waiter cancelled mid-attempt may have taken the lock without hearing so; it releases by
    token on the way out (a no-op if it did not), rather than leaving the thread locked for a
    whole lease. `acquire(token, previous)` may also take over a lock still held by `previous`,
    a token of this process whose release failed (see `AbandonedLeases`).
    """
    loop = asyncio.get_running_loop()
    token = secrets.token_hex(16)
    previous = abandoned.get(key)
    deadline = loop.time() + wait_seconds
    delay = _POLL_FIRST
    try:
        while not await acquire(token, previous):
            left = deadline - loop.time()
            if left <= 0:
                raise LockTimeoutError(f"{what} stayed locked for more than {wait_seconds:g} s")
            await asyncio.sleep(min(left, delay * random.uniform(0.5, 1.5)))
            delay = min(delay * 2, _POLL_MAX)
    except asyncio.CancelledError:
        with suppress(StoreError):
            await release(token)
        raise
    abandoned.discard(key, previous)
    watchdog = asyncio.create_task(_keep_renewing(renew, token, lease_seconds / 3, what))
    try:
        yield
    except BaseException:
        await _stop(watchdog)
        try:
            await release(token)
        except StoreError:  # the lease expires anyway; keep the block's own error
            abandoned.add(key, token)
        raise
    await _stop(watchdog)
    try:
        await release(token)
    except StoreError:
        abandoned.add(key, token)
        raise


async def _keep_renewing(
    renew: Callable[[str], Awaitable[bool]], token: str, every: float, what: str
) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            if not await renew(token):
                log.warning("%s: lease lost while held (the turn outlived it)", what)
                return
        except StoreError as exc:
            log.debug("%s: lease renewal failed: %s", what, exc)


async def _stop(task: asyncio.Task[None]) -> None:
    """Cancel the watchdog without swallowing a cancellation aimed at the caller itself."""
    task.cancel()
    await asyncio.wait({task}, timeout=_STOP_WAIT_SECONDS)
    if not task.done():  # a library swallowed the cancel; the renewal fails once released
        log.warning("lock watchdog did not stop when cancelled")
    elif not task.cancelled() and (exc := task.exception()) is not None:
        log.error("lock watchdog failed", exc_info=exc)
