"""What only the Redis store has: its key layout, server-side TTLs, several connection pools,
leases that outlive a crash or a slow turn, and failures surfacing as StoreError."""

from __future__ import annotations

import hashlib
import re
import time

import pytest
from redis.asyncio import Redis

from bot.core.store.common import LockTimeoutError
from bot.core.store.redis_store import RedisStore
from bot.core.types import Turn
from bot.errors import StoreError
from tests.store.conftest import Harness
from tests.support.net import free_port
from tests.support.redis_server import RedisServer
from tests.support.toolbox import until


def user(text: str) -> Turn:
    return Turn(role="user", text=text)


def make(h: Harness, **options: object) -> RedisStore:
    store = h.make(**options)
    assert isinstance(store, RedisStore)
    return store


async def test_keys_are_namespaced_versioned_and_share_a_hash_tag_per_thread(
    redis_harness: Harness,
) -> None:
    h = redis_harness
    store = make(h)
    thread = "slack:T1:C{weird}:1.0"
    digest = hashlib.sha1(thread.encode()).hexdigest()
    assert h.redis is not None
    async with store.thread_lock(thread):
        await store.append_turns(thread, [user("hi")])
        keys = sorted([k async for k in h.redis.scan_iter(match=f"{h.namespace}:*")])

    prefix = f"{h.namespace}:thread:{{{digest}}}"
    assert keys == [f"{prefix}:lock", f"{prefix}:turns"]
    assert all(re.search(r"\{[0-9a-f]{40}\}", k) for k in keys)


async def test_append_sets_and_refreshes_the_real_ttl(redis_harness: Harness) -> None:
    h = redis_harness
    store = make(h, ttl_seconds=1000)
    assert h.redis is not None
    key = store.thread_key("t", "turns")

    await store.append_turns("t", [user("one")])
    assert 995_000 < await h.redis.pttl(key) <= 1_000_000

    await h.redis.pexpire(key, 5000)  # as if most of the TTL had passed
    await store.append_turns("t", [user("two")])
    assert 995_000 < await h.redis.pttl(key) <= 1_000_000


async def test_lock_of_a_crashed_holder_is_waited_for_then_expires(redis_harness: Harness) -> None:
    h = redis_harness
    store = make(h, lock_wait_seconds=0.05)
    assert h.redis is not None
    await h.redis.set(store.thread_key("t", "lock"), "dead-process", px=15_000)

    with pytest.raises(LockTimeoutError):
        async with store.thread_lock("t"):
            pytest.fail("entered a lock someone else holds")

    await h.advance(15)
    async with store.thread_lock("t"):
        assert await h.redis.get(store.thread_key("t", "lock")) not in (None, "dead-process")
    assert await h.redis.exists(store.thread_key("t", "lock")) == 0


async def test_a_lock_whose_release_failed_does_not_hold_the_thread() -> None:
    """Writes paused (as a failing Redis would refuse them) while the lock is released: the
    next turn in this process takes the lock over instead of waiting out the lease."""
    with RedisServer() as server:
        store = RedisStore(
            server.url, ttl_seconds=60, max_turns=10, timeout_seconds=0.2, lock_wait_seconds=0.5
        )
        admin = Redis.from_url(server.url)
        try:
            with pytest.raises(StoreError):
                async with store.thread_lock("t"):
                    await admin.client_pause(600, all=False)  # writes only, 600 ms
            await admin.client_unpause()
            assert await admin.exists(store.thread_key("t", "lock")) == 1  # within its lease
            async with store.thread_lock("t"):  # no LockTimeoutError
                pass
            assert await admin.exists(store.thread_key("t", "lock")) == 0
        finally:
            await admin.aclose()
            await store.close()


async def test_a_held_lock_keeps_renewing_its_lease(redis_harness: Harness) -> None:
    h = redis_harness
    store = make(h, lock_lease_seconds=0.3)
    assert h.redis is not None
    key = store.thread_key("t", "lock")
    redis = h.redis
    async with store.thread_lock("t"):
        seen = [await redis.pttl(key)]

        async def renewed() -> bool:
            seen.append(await redis.pttl(key))
            return seen[-1] > seen[-2]

        await until(renewed, "the watchdog to renew the lease", within=3, every=0.01)
    assert await h.redis.exists(key) == 0


async def test_load_inside_the_lock_uses_the_prefetch_and_stays_correct(
    redis_harness: Harness,
) -> None:
    store = make(redis_harness)
    await store.append_turns("t", [user("a")])
    async with store.thread_lock("t"):
        assert [x.text for x in await store.load_turns("t")] == ["a"]
        assert [x.text for x in await store.load_turns("t")] == ["a"]
        await store.append_turns("t", [user("b")])
        assert [x.text for x in await store.load_turns("t")] == ["a", "b"]
    async with store.thread_lock("t"):
        assert await store.forget("t") is True
        assert await store.load_turns("t") == []


async def test_feedback_stream_is_trimmed(redis_harness: Harness) -> None:
    from bot.core.store.base import Feedback

    h = redis_harness
    store = make(h, feedback_cap=100)
    assert h.redis is not None
    for i in range(400):
        await store.add_feedback(Feedback(rating="up", verdict="rag", comment=str(i)))
    assert await h.redis.xlen(f"{h.namespace}:feedback") < 400  # MAXLEN ~ trims by node
    newest = await store.recent_feedback(limit=10_000)
    assert len(newest) == 100
    assert newest[0].comment == "399"


async def test_unreachable_redis_raises_store_error_quickly() -> None:
    store = RedisStore(
        f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60, max_turns=5, timeout_seconds=0.5
    )
    started = time.monotonic()
    try:
        for call in (
            store.ping(),
            store.load_turns("t"),
            store.append_turns("t", [user("x")]),
            store.first_time("k", 60),
            store.allow("k", 1, 60),
        ):
            with pytest.raises(StoreError):
                await call
        with pytest.raises(StoreError):
            async with store.thread_lock("t"):
                pytest.fail("locked without a server")
    finally:
        await store.close()
    assert time.monotonic() - started < 2.5


async def test_rediss_url_and_password_are_accepted_without_connecting() -> None:
    store = RedisStore(
        "rediss://:s3cret@redis.example.com:6380/2",
        ttl_seconds=60,
        max_turns=5,
        timeout_seconds=0.5,
    )
    kwargs = store.client.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]) == (
        "redis.example.com",
        6380,
        2,
        "s3cret",
    )
    assert "SSL" in store.client.connection_pool.connection_class.__name__
    await store.close()
