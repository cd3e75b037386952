"""One harness per store kind, so the contract tests run unchanged against all three.

Time is faked rather than waited for: every store gets the same injectable clock, and for
Redis — whose expiry is the server's own — `advance()` also shortens the TTL of every key in
the test's namespace by the same amount (deleting those that run out).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.core.store.base import Store
from bot.core.store.memory_store import MemoryStore
from bot.core.store.redis_store import RedisStore
from bot.core.store.sqlite_store import SqliteStore

START = 1_700_000_000.0


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Harness:
    kind: str
    namespace: str
    tmp_path: Path
    redis_url: str
    clock: FakeClock = field(default_factory=FakeClock)
    redis: Redis | None = None
    stores: list[Store] = field(default_factory=list)

    def make(self, **options: Any) -> Store:
        """A fresh store of this kind; for SQLite and Redis, several share one backend."""
        options.setdefault("ttl_seconds", 3600)
        options.setdefault("max_turns", 50)
        store: Store
        if self.kind == "memory":
            store = MemoryStore(namespace=self.namespace, clock=self.clock, **options)
        elif self.kind == "sqlite":
            store = SqliteStore(
                self.tmp_path / "state" / "state.db",
                namespace=self.namespace,
                clock=self.clock,
                **options,
            )
        else:
            options.setdefault("timeout_seconds", 2.0)
            store = RedisStore(
                self.redis_url, namespace=self.namespace, clock=self.clock, **options
            )
        self.stores.append(store)
        return store

    async def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        if self.redis is None:
            return
        async for key in self.redis.scan_iter(match=f"{self.namespace}:*"):
            left = await self.redis.pttl(key)
            if left < 0:
                continue
            if left - seconds * 1000 <= 0:
                await self.redis.delete(key)
            else:
                await self.redis.pexpire(key, int(left - seconds * 1000))

    async def close(self) -> None:
        for store in self.stores:
            await store.close()
        if self.redis is not None:
            keys = [k async for k in self.redis.scan_iter(match=f"{self.namespace}:*")]
            if keys:
                await self.redis.delete(*keys)
            await self.redis.aclose()


async def redis_client(url: str) -> Redis:
    client = Redis.from_url(url, decode_responses=True, socket_timeout=2)
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        pytest.skip(f"no Redis at {url}: {exc}")
    return client


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def harness(
    request: pytest.FixtureRequest, namespace: str, tmp_path: Path, redis_url: str
) -> AsyncIterator[Harness]:
    h = Harness(request.param, namespace, tmp_path, redis_url)
    if h.kind == "redis":
        h.redis = await redis_client(redis_url)
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
async def redis_harness(namespace: str, tmp_path: Path, redis_url: str) -> AsyncIterator[Harness]:
    h = Harness("redis", namespace, tmp_path, redis_url, redis=await redis_client(redis_url))
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
async def sqlite_harness(namespace: str, tmp_path: Path, redis_url: str) -> AsyncIterator[Harness]:
    h = Harness("sqlite", namespace, tmp_path, redis_url)
    try:
        yield h
    finally:
        await h.close()
