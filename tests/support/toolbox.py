"""The tests' one toolbox: build a runtime like `serve` does, poll for a condition, read a counter.

- `runtime_for(settings, engine=…, store=…)`: `bot.runtime.build_runtime` itself, with fakes
  injected and the grounding (knowledge, index, offline engine with its precedents) loaded once
  per set of folders instead of once per test.
- `until(condition, what)`: poll a sync or async condition under a deadline; never a fixed sleep.
- `counter(metrics, name, **labels)`: a sample straight from the runtime's Prometheus registry.
- `redis_store(url, namespace)`: a Redis store in a key namespace of its own.
- `GatedEngine(inner)`: an engine that holds every answer until the test opens its gate.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.core.engine import Engine
from bot.core.store import Store
from bot.core.store.redis_store import RedisStore
from bot.core.store.resilient import ResilientStore
from bot.core.types import Answer, Fact
from bot.observability import Metrics
from bot.runtime import Grounding, Runtime, build_runtime
from bot.settings import Settings

WAIT_SECONDS = 15.0
_groundings: dict[tuple[Path, Path, Path], Grounding] = {}


def grounding_for(settings: Settings) -> Grounding:
    key = (settings.knowledge_dir, settings.prompts_dir, settings.precedents_dir)
    if key not in _groundings:
        _groundings[key] = Grounding.load(settings)
    return _groundings[key]


async def runtime_for(
    settings: Settings, *, engine: Engine | None = None, store: Store | None = None
) -> Runtime:
    return await build_runtime(
        settings, engine=engine, store=store, grounding=grounding_for(settings)
    )


async def until(
    condition: Callable[[], bool | Awaitable[bool]],
    what: str,
    *,
    within: float = WAIT_SECONDS,
    every: float = 0.02,
) -> None:
    """Return once `condition()` holds; AssertionError naming `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


def counter(metrics: Metrics, name: str, **labels: str) -> float:
    """The value of one counter sample (`name` as exported, e.g. `…_total`), 0 if never counted."""
    return metrics.registry.get_sample_value(name, labels) or 0.0


def redis_store(url: str, namespace: str) -> ResilientStore:
    inner = RedisStore(url, namespace=namespace, ttl_seconds=3600, max_turns=50, timeout_seconds=2)
    return ResilientStore(inner, logging.getLogger("tests.store"))


class GatedEngine:
    """`inner` behind a gate: counts the answers started and finishes none until `gate` is set
    (proves an ack does not wait for the answer, or holds work while the test looks)."""

    name = "gated"

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.started = 0
        self.gate = asyncio.Event()

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        self.started += 1
        await self.gate.wait()
        return await self.inner.answer(messages, facts)
