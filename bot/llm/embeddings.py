"""Embeddings retrieval fused with BM25, behind the same `Retriever.search` as the lexical index.

Why fuse: BM25 finds the words a team used, embeddings find what they meant ("our docs change
every sprint" ≈ "frequently updated knowledge"). Reciprocal rank fusion needs no score
calibration between the two, so neither ranking can drown the other.

Why a cache: the knowledge base changes rarely, so passage vectors are computed once — lazily, in
a background task started by the first search — and kept on disk next to the state file, keyed
by the sha256 of the embedded text, so a restart or a second process embeds nothing. Embeddings
are an improvement, never a dependency: if the endpoint fails or is slow, search returns the
BM25 ranking alone (and the knowledge vectors are retried a few minutes later).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.knowledge import Passage
from bot.core.retrieval import Hit, LexicalIndex

log = logging.getLogger(__name__)

RRF_K = 60
CANDIDATES = 20
RETRY_AFTER_SECONDS = 300.0
Status = Literal["pending", "ready", "failed"]


def cache_path(state_dir: Path, model: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "model"
    return state_dir / f"embeddings-{slug}.json"


def embedded_text(passage: Passage) -> str:
    return f"{passage.heading}\n{passage.text}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]]) -> list[tuple[str, float]]:
    """Ids by the sum of 1/(RRF_K + rank) over the rankings they appear in, best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, pid in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


class VectorIndex:
    """Unit vectors of every passage, built once in the background, cached on disk."""

    def __init__(
        self,
        passages: Sequence[Passage],
        embedder: Embeddings,
        *,
        model: str,
        cache_file: Path,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.passages = tuple(passages)
        self.embedder = embedder
        self.model = model
        self.cache_file = cache_file
        self._clock = clock
        self._task: asyncio.Task[np.ndarray] | None = None
        self._failed_at: float | None = None
        self.embedded_count = 0

    @property
    def status(self) -> Status:
        if self._task is not None and self._task.done() and not self._task.cancelled():
            return "failed" if self._task.exception() else "ready"
        return "failed" if self._failed_at is not None else "pending"

    async def rank(self, query: str, wait_seconds: float) -> list[Passage]:
        """Passages nearest to `query`, best first (unrelated ones, cosine <= 0, left out);
        empty if the vectors are not available within `wait_seconds`."""
        try:
            async with asyncio.timeout(wait_seconds):
                matrix = await asyncio.shield(self._ensure_task())
                vector = np.asarray(await self.embedder.aembed_query(query), dtype=float)
        except TimeoutError:
            log.warning("embeddings too slow; lexical retrieval only", extra=self._fields())
            return []
        except Exception as exc:
            log.warning(
                "embeddings failed; lexical retrieval only",
                extra={**self._fields(), "error": type(exc).__name__},
            )
            return []
        norm = float(np.linalg.norm(vector))
        if norm == 0.0 or vector.shape[0] != matrix.shape[1]:
            return []
        scores = matrix @ (vector / norm)
        order = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [self.passages[i] for i in order if scores[i] > 0.0]

    def _fields(self) -> dict[str, object]:
        return {"model": self.model, "status": self.status}

    def _ensure_task(self) -> asyncio.Task[np.ndarray]:
        task = self._task
        retry_due = (
            task is not None
            and task.done()
            and (task.cancelled() or task.exception() is not None)
            and self._failed_at is not None
            and self._clock() - self._failed_at >= RETRY_AFTER_SECONDS
        )
        if task is None or retry_due:
            task = asyncio.create_task(self._build(), name="knowledge-embeddings")
            task.add_done_callback(self._finished)
            self._task = task
        return task

    def _finished(self, task: asyncio.Task[np.ndarray]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            self._failed_at = None
            return
        self._failed_at = self._clock()
        log.warning(
            "knowledge embeddings failed; retrying later",
            extra={"model": self.model, "error": type(exc).__name__},
        )

    async def _build(self) -> np.ndarray:
        texts = [embedded_text(p) for p in self.passages]
        keys = [text_hash(t) for t in texts]
        cached = await asyncio.to_thread(self._load)
        missing = [i for i, key in enumerate(keys) if key not in cached]
        if missing:
            vectors = await self.embedder.aembed_documents([texts[i] for i in missing])
            if len(vectors) != len(missing):
                raise ValueError("embeddings endpoint returned a different number of vectors")
            for i, vector in zip(missing, vectors, strict=True):
                cached[keys[i]] = [round(float(x), 6) for x in vector]
            self.embedded_count += len(missing)
            await asyncio.to_thread(self._save, {k: cached[k] for k in keys})
        matrix = np.asarray([cached[k] for k in keys], dtype=float)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        log.info(
            "knowledge embeddings ready",
            extra={"model": self.model, "passages": len(keys), "embedded": len(missing)},
        )
        return np.asarray(matrix / np.where(norms == 0.0, 1.0, norms))

    def _load(self) -> dict[str, list[float]]:
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("embeddings cache unreadable; rebuilding", extra={"error": str(exc)})
            return {}
        if not isinstance(data, dict) or data.get("model") != self.model:
            return {}
        vectors = data.get("vectors")
        if not isinstance(vectors, dict):
            return {}
        return {k: v for k, v in vectors.items() if isinstance(v, list)}

    def _save(self, vectors: dict[str, list[float]]) -> None:
        """Atomic replace, so a concurrent reader sees the old file or the new one."""
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"model": self.model, "vectors": vectors}), "utf-8")
            tmp.replace(self.cache_file)
        except OSError as exc:
            log.warning("embeddings cache not written", extra={"error": str(exc)})

    async def aclose(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


class HybridRetriever:
    """BM25 and embeddings rankings fused; BM25 alone whenever embeddings are unavailable."""

    def __init__(self, lexical: LexicalIndex, vectors: VectorIndex, wait_seconds: float) -> None:
        self.lexical = lexical
        self.vectors = vectors
        self.wait_seconds = wait_seconds

    async def search(self, query: str, k: int = 6) -> list[Hit]:
        lexical = self.lexical.search_sync(query, CANDIDATES)
        semantic = await self.vectors.rank(query, self.wait_seconds)
        if not semantic:
            return lexical[:k]
        by_id = {h.passage.id: h.passage for h in lexical} | {p.id: p for p in semantic}
        fused = reciprocal_rank_fusion([[h.passage.id for h in lexical], [p.id for p in semantic]])
        return [Hit(by_id[pid], score) for pid, score in fused[:k]]
