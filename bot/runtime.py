"""Everything the bot needs, built once at start-up and handed down explicitly (no globals).

`build_runtime` is the one composition root: `serve`, the CLI, the benchmarks and the tests all
build through it; tests hand in their fakes (`engine=`, `store=`) instead of patching, and may
reuse one loaded `Grounding` (knowledge, index, offline engine) across runtimes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import messages
from bot.core.conversation import Conversations
from bot.core.engine import Closable, Engine, HealthReporting
from bot.core.jobs import JobQueue, Workers
from bot.core.jobs.redis_queue import RedisJobQueue
from bot.core.jobs.sqlite_queue import SqliteJobQueue
from bot.core.jobs.workers import Excuses, Limits
from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.core.retrieval import LexicalIndex
from bot.core.service import TriageService
from bot.core.store import Store
from bot.core.store.factory import open_store
from bot.core.store.resilient import ResilientStore
from bot.core.triage import OfflineEngine
from bot.core.triage.analysis import RulesReader
from bot.core.triage.engine import PHRASES_FILE
from bot.core.triage.precedents import Precedents
from bot.core.triage.weighing import load_weighing
from bot.observability import Metrics
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grounding:
    """What every answer rests on, loaded from `KNOWLEDGE_DIR`, `PROMPTS_DIR` and
    `PRECEDENTS_DIR`: the articles, their index and the offline engine over them."""

    knowledge: KnowledgeBase
    index: LexicalIndex
    offline: OfflineEngine

    @classmethod
    def load(cls, settings: Settings) -> Grounding:
        knowledge = load_knowledge(settings.knowledge_dir)
        index = LexicalIndex(knowledge)
        precedents = load_precedents(settings.precedents_dir)
        reader = RulesReader()  # the weighing is fitted with the reader the engine reads with
        weighing = (
            load_weighing(precedents, reader, settings.precedents_dir)
            if precedents is not None
            else None
        )
        offline = OfflineEngine(
            knowledge,
            index,
            settings.prompts_dir / PHRASES_FILE,
            reader=reader,
            precedents=precedents,
            weighing=weighing,
        )
        return cls(knowledge, index, offline)


@dataclass
class Runtime:
    settings: Settings
    knowledge: KnowledgeBase
    index: LexicalIndex
    store: ResilientStore
    engine: Engine
    offline: Engine
    service: TriageService
    conversations: Conversations
    metrics: Metrics
    queue: JobQueue | None = None
    started_at: float = field(default_factory=time.time)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    jobs: Workers = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.jobs = Workers(
            self.queue,
            limits=Limits(
                concurrency=s.job_concurrency,
                lease_seconds=s.job_lease_seconds,
                poll_seconds=s.job_poll_seconds,
                max_attempts=s.job_max_attempts,
                stale_seconds=s.job_stale_seconds,
                dedup_ttl_seconds=s.dedup_ttl_seconds,
            ),
            excuses=Excuses(gave_up=messages.JOB_GAVE_UP, stale=messages.JOB_STALE),
            spawn=lambda coro, name: self.spawn(coro, name=name),
            observer=self.metrics,
            first_delivery=lambda job: self.conversations.first_delivery(
                job.platform, job.deliveries, job.kind
            ),
        )

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
        """Wait (bounded) for in-flight answers; cancel what is left (a cancelled job stays in
        the queue: another replica, or this one restarted, answers it). Shutdown stops the
        workers first (`jobs.stop`), so no new job is taken meanwhile."""
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
        if isinstance(self.engine, HealthReporting):
            parts["llm"] = self.engine.health()
        ok = parts["knowledge"]["ok"] and store_ok
        return ok, parts

    async def close(self) -> None:
        await self.jobs.stop()
        if self.queue is not None:
            await self.queue.close()
        await self.store.close()
        if isinstance(self.engine, Closable):
            await self.engine.aclose()


def load_precedents(folder: Path) -> Precedents | None:
    """The labelled cases in `folder` (`PRECEDENTS_DIR`), or None when it holds none."""
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not files:
        log.info("no precedents", extra={"folder": str(folder)})
        return None
    return Precedents.load(files)


async def open_configured_store(settings: Settings, *, on_error: Any = None) -> ResilientStore:
    """The store `REDIS_URL` / `STATE_PATH` ask for."""
    return await open_store(
        redis_url=settings.redis_url,
        state_file=settings.state_file,
        ttl_seconds=settings.conversation_ttl_seconds,
        max_turns=settings.max_turns,
        redis_timeout_seconds=settings.redis_timeout_seconds,
        lock_lease_seconds=settings.job_lease_seconds,
        on_error=on_error,
    )


def open_queue(settings: Settings) -> JobQueue:
    """The work queue beside the configured store: the Redis stream, or the SQLite table."""
    if settings.redis_url:
        return RedisJobQueue(
            settings.redis_url,
            lease_seconds=settings.job_lease_seconds,
            timeout_seconds=max(settings.redis_timeout_seconds, 1.0),
        )
    return SqliteJobQueue(settings.state_file, lease_seconds=settings.job_lease_seconds)


async def build_runtime(
    settings: Settings,
    *,
    engine: Engine | None = None,
    store: Store | None = None,
    grounding: Grounding | None = None,
) -> Runtime:
    """The runtime `settings` describe; `engine` and `store` replace the configured ones, and a
    `grounding` loaded before is reused instead of reading the files again. The work queue
    lives beside the configured store; with an injected `store` there is none (answers are
    in-process, as the CLI's are)."""
    grounding = grounding or Grounding.load(settings)
    knowledge, index, offline = grounding.knowledge, grounding.index, grounding.offline
    metrics = Metrics()
    if store is None:
        resilient = await open_configured_store(settings, on_error=metrics.redis_errors.inc)
    elif isinstance(store, ResilientStore):
        resilient = store
    else:
        resilient = ResilientStore(store, log, on_error=metrics.redis_errors.inc)
    if engine is None:
        engine = offline
        if settings.llm_configured:
            from bot.llm import build_llm_engine  # imported only when configured: cold start

            engine = build_llm_engine(settings, knowledge, index, fallback=offline, metrics=metrics)
    service = TriageService(
        engine,
        resilient,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        texts=messages.CORE_TEXTS,
        observer=metrics,
    )
    conversations = Conversations(
        service,
        resilient,
        texts=messages.CORE_TEXTS,
        observer=metrics,
        dedup_ttl_seconds=settings.dedup_ttl_seconds,
        vote_ttl_seconds=settings.conversation_ttl_seconds,
    )
    log.info(
        "ready",
        extra={
            "documents": len(knowledge.documents),
            "passages": len(index.passages),
            "engine": engine.name,
            "store": resilient.kind,
        },
    )
    queue = open_queue(settings) if store is None else None
    return Runtime(
        settings,
        knowledge,
        index,
        resilient,
        engine,
        offline,
        service,
        conversations,
        metrics,
        queue,
    )
