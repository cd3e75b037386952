"""Fixtures for the LLM engine: a local OpenAI-compatible stand-in and engines built against it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import OfflineEngine
from bot.llm import build_llm_engine
from bot.llm.engine import LLMEngine
from bot.observability import Metrics
from bot.settings import Settings
from tests.support.fake_openai import FakeOpenAI

MODEL = "test-model"


class FakeClock:
    """Monotonic time the tests move by hand (the circuit breaker's open period)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def offline(knowledge: KnowledgeBase, index: LexicalIndex, phrases_path: Path) -> OfflineEngine:
    return OfflineEngine(knowledge, index, phrases_path)


BuildEngine = Callable[..., LLMEngine]


@pytest.fixture
async def build_engine(
    fake_openai: FakeOpenAI,
    make_settings: Callable[..., Settings],
    knowledge: KnowledgeBase,
    index: LexicalIndex,
    offline: OfflineEngine,
    metrics: Metrics,
    clock: FakeClock,
) -> AsyncIterator[BuildEngine]:
    """`build_engine(**settings)`: an engine via `build_llm_engine`, pointed at the stand-in."""
    built: list[LLMEngine] = []

    def _build(fallback: OfflineEngine | None = None, **overrides: Any) -> LLMEngine:
        values: dict[str, Any] = {
            "openai_base_url": fake_openai.url,
            "openai_model": MODEL,
            "openai_api_key": "test-key",
            "llm_timeout_seconds": 5.0,
        }
        values.update(overrides)
        engine = build_llm_engine(
            make_settings(**values),
            knowledge,
            index,
            fallback=fallback or offline,
            metrics=metrics,
            clock=clock,
        )
        built.append(engine)
        return engine

    yield _build
    for engine in built:
        await engine.aclose()
