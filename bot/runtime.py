"""Everything the bot needs, built once at start-up and handed down explicitly (no globals)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.core.retrieval import LexicalIndex
from bot.core.service import TriageService
from bot.core.store.factory import open_store
from bot.core.store.resilient import ResilientStore
from bot.core.triage import OfflineEngine
from bot.core.triage.engine import PHRASES_FILE
from bot.core.triage.precedents import Precedents
from bot.server.metrics import Metrics
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    knowledge: KnowledgeBase
    index: LexicalIndex
    store: ResilientStore
    engine: Engine
    offline: Engine
    service: TriageService
    metrics: Metrics
    started_at: float = field(default_factory=time.time)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str = "") -> asyncio.Task[Any]:
        """Run work after a platform was acknowledged; tracked so shutdown can finish it."""
        task = asyncio.create_task(coro, name=name or None)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def drain(self, grace_seconds: float) -> None:
        """Wait (bounded) for in-flight answers; cancel what is left."""
        pending = set(self._tasks)
        if not pending:
            return
        log.info("waiting for in-flight answers", extra={"count": len(pending)})
        _, late = await asyncio.wait(pending, timeout=grace_seconds)
        for task in late:
            task.cancel()
        if late:
            log.warning("cancelled unfinished answers at shutdown", extra={"count": len(late)})

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        store_ok = await self.store.ping()
        parts: dict[str, Any] = {
            "knowledge": {
                "ok": bool(self.knowledge.documents),
                "documents": len(self.knowledge.documents),
                "passages": len(self.index.passages),
            },
            "store": {"ok": store_ok, "kind": self.store.kind, "error": self.store.last_error},
        }
        health = getattr(self.engine, "health", None)
        if callable(health):
            parts["llm"] = health()
        ok = parts["knowledge"]["ok"] and store_ok
        return ok, parts

    async def close(self) -> None:
        await self.store.close()
        closer = getattr(self.engine, "aclose", None)
        if callable(closer):
            await closer()


def load_precedents(folder: Path) -> Precedents | None:
    """The labelled cases in `folder` (`PRECEDENTS_DIR`), or None when it holds none."""
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not files:
        log.info("no precedents", extra={"folder": str(folder)})
        return None
    return Precedents.load(files)


async def build_runtime(settings: Settings) -> Runtime:
    knowledge = load_knowledge(settings.knowledge_dir)
    index = LexicalIndex(knowledge)
    metrics = Metrics()
    store = await open_store(settings, on_error=metrics.redis_errors.inc)
    offline = OfflineEngine(
        knowledge,
        index,
        settings.prompts_dir / PHRASES_FILE,
        precedents=load_precedents(settings.precedents_dir),
    )
    engine: Engine = offline
    if settings.llm_configured:
        from bot.llm import build_llm_engine  # imported only when configured: cold start matters

        engine = build_llm_engine(settings, knowledge, index, fallback=offline, metrics=metrics)
    service = TriageService(
        engine,
        store,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        observer=metrics,
    )
    log.info(
        "ready",
        extra={
            "documents": len(knowledge.documents),
            "passages": len(index.passages),
            "engine": engine.name,
            "store": store.kind,
        },
    )
    return Runtime(settings, knowledge, index, store, engine, offline, service, metrics)
