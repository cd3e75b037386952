"""Retrieval over knowledge passages, behind one small interface.

`LexicalIndex` is BM25 (the bm25s library) over passage text plus its heading and document title,
built once at start-up. The LLM path can wrap it with an embeddings index and fuse the rankings;
callers only see `Retriever.search`.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Protocol

import bm25s
import numpy as np

from bot.core.knowledge import KnowledgeBase, Passage

_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a an and are as at be but by can do does for from has have how i if in into is it its
    of on or our so such that the their them then there these they this to was we what when
    which who will with you your us my me than too very just also""".split()
)


def _stem(word: str) -> str:
    """A deliberately light stemmer: plural, -ing/-ed, trailing e (change/changes/changing)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # formatting → format, planned → plan
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stop words, lightly stemmed (shared by index and queries)."""
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float


class Retriever(Protocol):
    async def search(self, query: str, k: int = 6) -> list[Hit]:
        """The `k` passages that best match `query`, best first."""
        ...


class LexicalIndex:
    """BM25 over every passage of the knowledge base."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        # bm25s sets its logger to DEBUG when imported; defer to the application's configuration.
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        started = time.perf_counter()
        self.knowledge = knowledge
        self.passages: tuple[Passage, ...] = knowledge.passages
        corpus = [tokenize(f"{p.heading}\n{p.text}") for p in self.passages]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        self.build_seconds = time.perf_counter() - started

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens:
            return np.zeros(len(self.passages))
        return np.asarray(self._bm25.get_scores(tokens), dtype=float)

    @property
    def _vocab(self) -> dict[str, int]:
        vocab: dict[str, int] = self._bm25.vocab_dict
        return vocab

    def search_sync(self, query: str, k: int = 6) -> list[Hit]:
        scores = self.scores(query)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.passages[i], float(scores[i])) for i in order if scores[i] > 0]

    async def search(self, query: str, k: int = 6) -> list[Hit]:
        return self.search_sync(query, k)
