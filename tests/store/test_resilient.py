"""ResilientStore: a broken store degrades the bot to "answer without memory", never silences it.

The outage test uses a real redis-server that the test stops and restarts; the finer points
(circuit breaker, local fallbacks) use an injected fake whose failures the test switches on.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from bot.core.service import TriageService
from bot.core.store.base import Feedback
from bot.core.store.common import LockTimeoutError
from bot.core.store.memory_store import MemoryStore
from bot.core.store.redis_store import RedisStore
from bot.core.store.resilient import ResilientStore
from bot.core.store.sqlite_store import SqliteStore
from bot.core.types import Answer, Turn
from bot.errors import StoreError
from bot.messages import CORE_TEXTS
from tests.store.conftest import FakeClock
from tests.support.redis_server import RedisServer

LOGGER = "test.store.resilient"


class FlakyStore(MemoryStore):
    """A MemoryStore whose every call fails with StoreError while `broken` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.broken = False
        self.calls = 0
        self.lock_error: StoreError | None = None

    def _check(self) -> None:
        self.calls += 1
        if self.broken:
            raise StoreError("connection refused")

    async def load_turns(self, thread: str) -> list[Turn]:
        self._check()
        return await super().load_turns(thread)

    async def append_turns(self, thread: str, turns: Sequence[Turn]) -> int:
        self._check()
        return await super().append_turns(thread, turns)

    def thread_lock(self, thread: str) -> AbstractAsyncContextManager[None]:
        @asynccontextmanager
        async def hold() -> AsyncIterator[None]:
            self._check()
            if self.lock_error is not None:
                raise self.lock_error
            async with super(FlakyStore, self).thread_lock(thread):
                yield

        return hold()

    async def first_time(self, key: str, ttl_seconds: int) -> bool:
        self._check()
        return await super().first_time(key, ttl_seconds)

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        self._check()
        return await super().allow(key, limit, window_seconds)

    async def add_feedback(self, feedback: Feedback) -> None:
        self._check()
        await super().add_feedback(feedback)

    async def recent_feedback(self, limit: int = 1000) -> list[Feedback]:
        self._check()
        return await super().recent_feedback(limit)

    async def count(self, key: str, name: str, ttl_seconds: int) -> int:
        self._check()
        return await super().count(key, name, ttl_seconds)

    async def counts(self, keys: Sequence[str]) -> dict[str, int]:
        self._check()
        return await super().counts(keys)

    async def forget(self, thread: str) -> bool:
        self._check()
        return await super().forget(thread)

    async def ping(self) -> bool:
        self._check()
        return True


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]


@pytest.mark.slow
async def test_redis_outage_and_recovery(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    errors: list[None] = []
    store = ResilientStore(
        RedisStore(redis_server.url, ttl_seconds=600, max_turns=10, timeout_seconds=0.5),
        logging.getLogger(LOGGER),
        on_error=lambda: errors.append(None),
        retry_after_seconds=0,  # no breaker: every call really tries the dead server
    )
    try:
        await store.append_turns("t", [Turn(role="user", text="before")])
        assert store.healthy and await store.ping()

        redis_server.stop()
        assert [t.text for t in await store.load_turns("t")] == ["before"]  # the local mirror
        for i in range(10):
            assert await store.load_turns("unknown") == []  # no memory of unseen threads
            assert await store.allow("U1", 100, 60) is True
            kept = await store.append_turns("elsewhere", [Turn(role="user", text="local")])
            assert kept == i + 1  # kept in the mirror only
            async with store.thread_lock("t"):
                pass
            await store.add_feedback(Feedback(rating="up", verdict="rag"))
        assert await store.first_time("Ev1", 60) is True
        assert await store.first_time("Ev1", 60) is False  # the local cache still dedupes
        assert await store.ping() is False

        assert store.healthy is False
        assert store.last_error is not None and "redis" in store.last_error
        unhealthy = warnings_of(caplog)
        assert len(unhealthy) == 1 and "unavailable" in unhealthy[0].getMessage()
        assert len(errors) >= 50

        redis_server.start()  # same port; the pool's old connections are dead
        assert await store.load_turns("t") == []  # nothing persisted across the restart
        assert store.healthy is True and store.last_error is None
        assert [r.getMessage() for r in caplog.records if r.levelno == logging.INFO] == [
            "state store redis is back (10 feedback records were dropped meanwhile)"
        ]
        assert await store.append_turns("t", [Turn(role="user", text="after")]) == 1
        assert warnings_of(caplog) == unhealthy
    finally:
        await store.close()


async def test_breaker_skips_the_dead_store_until_retry_after() -> None:
    inner, clock = FlakyStore(), FakeClock()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=5, clock=clock)
    inner.broken = True
    assert await store.load_turns("t") == []
    calls = inner.calls
    for _ in range(5):
        assert await store.load_turns("t") == []
    assert inner.calls == calls  # skipped while the breaker is open

    clock.advance(5)
    inner.broken = False
    await store.append_turns("t", [Turn(role="user", text="x")])
    assert store.healthy and len(await store.load_turns("t")) == 1


async def test_ping_ignores_the_breaker_so_readiness_sees_recovery() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=3600)
    inner.broken = True
    assert await store.ping() is False
    inner.broken = False
    assert await store.ping() is True
    assert store.healthy is True


async def test_first_time_remembers_locally_while_healthy() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=0)
    assert await store.first_time("Ev1", 60) is True
    inner.broken = True
    assert await store.first_time("Ev1", 60) is False  # a retry during the outage: dropped
    assert await store.first_time("Ev2", 60) is True
    inner.broken = False
    assert await store.first_time("Ev2", 60) is False  # answered during the outage: not again
    assert await store.first_time("Ev3", 60) is True


async def test_rate_limit_falls_back_to_a_local_limiter() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=0)
    inner.broken = True
    assert [await store.allow("U1", 2, 60) for _ in range(3)] == [True, True, False]


async def test_counters_fall_back_to_what_this_process_counted() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=0)
    assert await store.count("notes:slack:T1", "refused", 60) == 1
    inner.broken = True
    assert await store.count("notes:slack:T1", "refused", 60) == 2  # this process's own count
    assert await store.counts(["notes:slack:T1"]) == {"refused": 2}
    inner.broken = False
    assert await store.counts(["notes:slack:T1"]) == {"refused": 1}  # the shared truth again


async def test_operator_paths_report_the_failure() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER))
    inner.broken = True
    with pytest.raises(StoreError):
        await store.forget("t")
    with pytest.raises(StoreError):
        await store.recent_feedback()
    assert store.healthy is False


async def test_busy_thread_goes_ahead_without_marking_the_store_unhealthy(
    caplog: pytest.LogCaptureFixture,
) -> None:
    inner = FlakyStore()
    inner.lock_error = LockTimeoutError("thread stayed locked")
    store = ResilientStore(inner, logging.getLogger(LOGGER))
    entered = False
    async with store.thread_lock("t"):
        entered = True
    assert entered and store.healthy is True
    assert any("timed out" in r.getMessage() for r in warnings_of(caplog))


async def test_errors_inside_the_lock_propagate_and_release_it() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER))
    with pytest.raises(ValueError):
        async with store.thread_lock("t"):
            raise ValueError("the turn failed")
    async with store.thread_lock("t"):
        pass
    assert store.kind == "memory"


async def test_an_outage_keeps_the_threads_this_process_answered() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=0)
    await store.append_turns("ours", [Turn(role="user", text="docs change weekly", number=1)])
    inner.broken = True
    assert [t.text for t in await store.load_turns("ours")] == ["docs change weekly"]
    assert await store.load_turns("never-seen") == []
    assert await store.append_turns("ours", [Turn(role="user", text="and cite", number=2)]) == 2
    assert [t.number for t in await store.load_turns("ours")] == [1, 2]
    inner.broken = False
    assert await store.forget("ours") is True
    inner.broken = True
    assert await store.load_turns("ours") == []


async def test_outage_turns_and_keys_are_written_back_in_order_once() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=3600)
    try:
        await store.append_turns("t", [Turn(role="user", text="1", number=1)])
        inner.broken = True
        await store.append_turns("t", [Turn(role="user", text="2", number=2)])
        await store.append_turns("t", [Turn(role="user", text="3", number=3)])
        await store.append_turns("u", [Turn(role="user", text="u1", number=1)])
        assert await store.first_time("Ev1", 600) is True
        assert store.pending == 4
        inner.broken = False
        # before the breaker's interval is over: a readiness ping writes everything back
        assert await store.ping() is True and store.pending == 0
        assert [t.number for t in await inner.load_turns("t")] == [1, 2, 3]
        assert [t.text for t in await inner.load_turns("u")] == ["u1"]
        assert await inner.first_time("Ev1", 600) is False  # another replica drops the retry
        assert await store.ping() and [t.number for t in await inner.load_turns("t")] == [1, 2, 3]
    finally:
        await store.close()


async def test_a_thread_writes_its_outage_turns_back_before_it_is_read_or_appended() -> None:
    inner = FlakyStore()
    store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=0)
    try:
        inner.broken = True
        await store.append_turns("t", [Turn(role="user", text="1", number=1)])
        await store.append_turns("v", [Turn(role="user", text="v1", number=1)])
        inner.broken = False
        assert [t.text for t in await store.load_turns("t")] == ["1"]  # written, then read
        await store.append_turns("v", [Turn(role="user", text="v2", number=2)])
        assert [t.text for t in await inner.load_turns("v")] == ["v1", "v2"]
        await store.recovered()
        assert store.pending == 0 and [t.text for t in await inner.load_turns("t")] == ["1"]
        inner.broken = True
        await store.append_turns("gone", [Turn(role="user", text="private", number=1)])
        inner.broken = False
        assert await store.forget("gone") is False and store.pending == 0  # not resurrected
        assert await inner.load_turns("gone") == []
    finally:
        await store.close()


@pytest.mark.slow
async def test_turns_answered_during_a_redis_outage_survive_it() -> None:
    """Redis killed mid-conversation and restarted with nothing lost: the turns answered from
    the mirror meanwhile used to be forgotten, and turn numbers went backwards (32 → 18)."""
    from tests.test_service import RecordingEngine, incoming

    with RedisServer(persist=True) as redis:
        store = ResilientStore(
            RedisStore(redis.url, ttl_seconds=600, max_turns=50, timeout_seconds=0.5),
            logging.getLogger(LOGGER),
            retry_after_seconds=0.05,
        )
        other = RedisStore(redis.url, ttl_seconds=600, max_turns=50, timeout_seconds=0.5)
        engine = RecordingEngine()
        service = TriageService(engine, store, texts=CORE_TEXTS)
        try:
            for text in ["project", "two", "three"]:
                await service.handle(incoming(text))
            redis.stop()
            answers = [await service.handle(incoming(text)) for text in ["four", "five", "six"]]
            assert [a.turn for a in answers if isinstance(a, Answer)] == [4, 5, 6]
            redis.start()
            await asyncio.wait_for(store.recovered(), 10)  # no request needed
            turns = await other.load_turns(incoming("").thread_key or "")
            users = [t for t in turns if t.role == "user"]
            assert [t.text for t in users] == ["project", "two", "three", "four", "five", "six"]
            assert [t.number for t in users] == [1, 2, 3, 4, 5, 6] and len(turns) == 12
            seventh = await TriageService(
                engine, ResilientStore(other, logging.getLogger(LOGGER)), texts=CORE_TEXTS
            ).handle(incoming("seven"))
            assert isinstance(seventh, Answer) and seventh.turn == 7
            assert engine.calls[-1][0] == "project" and len(engine.calls[-1]) == 7
        finally:
            await store.close()
            await other.close()


async def test_failing_writes_do_not_cut_a_thread_off_from_its_stored_turns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A full SQLite disk fails every write while reads still work. Reads used to be skipped
    with the writes, so a process answered from its own partial mirror and numbered a turn 2
    after turns 2–25 written by another process. (The write lock held by another connection
    stands in for the full disk: writes fail, reads don't.)"""
    from tests.test_service import RecordingEngine, incoming

    path = tmp_path / "state.db"
    engine = RecordingEngine()

    def process() -> tuple[TriageService, ResilientStore]:
        inner = SqliteStore(path, timeout_seconds=0.2, lock_wait_seconds=0.5)
        store = ResilientStore(inner, logging.getLogger(LOGGER), retry_after_seconds=3600)
        return TriageService(engine, store, texts=CORE_TEXTS), store

    (one, one_store), (two, two_store) = process(), process()
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        await one.handle(incoming("the project"))  # turn 1, in one's mirror
        for text in ["two", "three", "four", "five"]:
            await two.handle(incoming(text))  # turns 2-5, on the other process
        blocker.execute("BEGIN IMMEDIATE")  # from here on every write fails
        answer = await one.handle(incoming("six"))
        assert isinstance(answer, Answer) and answer.turn == 6
        assert engine.calls[-1] == ["the project", "two", "three", "four", "five", "six"]
        # reads work, so readiness says so, but health does not flap while writes still fail
        assert await one_store.ping() is True and one_store.pending == 2
        assert one_store.healthy is False and len(warnings_of(caplog)) == 1
        blocker.execute("ROLLBACK")
        assert await one_store.ping() and one_store.pending == 0  # turn 6 written back
        assert one_store.healthy is True
        seventh = await two.handle(incoming("seven"))
        assert isinstance(seventh, Answer) and seventh.turn == 7
    finally:
        blocker.close()
        await one_store.close()
        await two_store.close()
