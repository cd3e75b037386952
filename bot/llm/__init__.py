"""The LLM agent: an `Engine` over any OpenAI-compatible endpoint (or Azure OpenAI).

Only `bot.runtime` imports this package, and only when an LLM is configured: langchain and the
openai client take a second or more to import, and `rag-or-ft ask` without an LLM must not pay
for them. For the same reason the heavy modules are imported inside `build_llm_engine`, so the
pure parts (`prompts`, `schema`, `breaker`) can be imported on their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex, Retriever
from bot.core.triage import OfflineEngine
from bot.observability import Metrics
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.llm.engine import LLMEngine

EMBEDDINGS_SHARE = 0.25
"""Share of the turn budget retrieval may wait for embeddings before using BM25 alone."""

__all__ = ["build_llm_engine"]


def build_llm_engine(
    settings: Settings,
    knowledge: KnowledgeBase,
    index: LexicalIndex,
    *,
    fallback: OfflineEngine,
    metrics: Metrics | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LLMEngine:
    """Build the engine once at start-up; no connection is made until the first turn."""
    from bot.llm.breaker import CircuitBreaker
    from bot.llm.client import StructuredCaller, build_endpoint
    from bot.llm.embeddings import HybridRetriever, VectorIndex, cache_path
    from bot.llm.engine import LLMEngine
    from bot.llm.examples import Examples
    from bot.llm.prompts import Prompts

    prompts = Prompts.load(settings.prompts_dir)
    endpoint = build_endpoint(settings)
    retriever: Retriever = index
    vectors: VectorIndex | None = None
    if endpoint.embeddings is not None and endpoint.embeddings_model:
        vectors = VectorIndex(
            index.passages,
            endpoint.embeddings,
            model=endpoint.embeddings_model,
            cache_file=cache_path(settings.state_file.parent, endpoint.embeddings_model),
            clock=clock,
        )
        retriever = HybridRetriever(
            index, vectors, wait_seconds=settings.llm_timeout_seconds * EMBEDDINGS_SHARE
        )
    return LLMEngine(
        endpoint=endpoint,
        caller=StructuredCaller(endpoint.chat, settings.llm_structured_output),
        retriever=retriever,
        prompts=prompts,
        fallback=fallback,
        breaker=CircuitBreaker(clock=clock),
        timeout_seconds=settings.llm_timeout_seconds,
        decision=settings.llm_decision,
        metrics=metrics,
        vectors=vectors,
        examples=Examples(fallback.reader) if fallback.precedents else None,
    )
