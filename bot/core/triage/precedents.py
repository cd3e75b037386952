"""Precedents: what teams who described similar projects chose, from labelled public cases.

The rules read what a message says in the framework's terms; people describe the same project
in endless other words. The labelled sets in `eval/` (written from public case studies, each
with its source and what the team chose) are a second, lexical reader: BM25 finds the cases
described most like this thread, and their verdicts vote, weighted by similarity. `decide`
follows a clear vote (`SHARE` of the weight for one verdict among the `NEIGHBOURS` nearest)
when it disagrees with the rules, and the answer says so, naming the cases. A case whose text
is the thread itself is never its own precedent, so `eval` on a shipped set is leave-one-out.
A team adds its own precedents by dropping a JSON Lines file of labelled cases into the folder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from bot.core.cases import load_cases
from bot.core.retrieval import tokenize
from bot.core.types import Verdict
from bot.errors import ConfigError, UsageError

NEIGHBOURS = 15
SHARE = 0.6
"""The share of the neighbours' similarity a verdict needs before it outweighs the rules."""


@dataclass(frozen=True, slots=True)
class Precedent:
    """One labelled case: a project as a team described it, and what it chose."""

    id: str
    text: str
    verdict: Verdict
    source: str = ""
    note: str = ""
    turns: tuple[str, ...] = ()
    """The messages of the thread, when it has several (`text` joins them)."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    precedent: Precedent
    score: float


@dataclass(frozen=True, slots=True)
class Vote:
    """The nearest precedents and each verdict's share of their similarity."""

    neighbours: tuple[Neighbour, ...] = ()
    shares: dict[Verdict, float] = field(default_factory=dict)

    @property
    def top(self) -> Verdict | None:
        return max(self.shares, key=lambda v: self.shares[v]) if self.shares else None

    def share(self, verdict: Verdict) -> float:
        return self.shares.get(verdict, 0.0)

    def backing(self, verdict: Verdict, limit: int = 2) -> list[Precedent]:
        """The nearest precedents that chose `verdict`, nearest first."""
        return [n.precedent for n in self.neighbours if n.precedent.verdict is verdict][:limit]


class Precedents:
    """BM25 over labelled cases; `vote` answers for one thread."""

    def __init__(self, cases: Sequence[Precedent], neighbours: int = NEIGHBOURS) -> None:
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        self.cases = tuple(cases)
        self.neighbours = neighbours
        self._keys = [_key(c.text) for c in self.cases]
        self._bm25 = bm25s.BM25()
        if self.cases:
            self._bm25.index([tokenize(c.text) for c in self.cases], show_progress=False)

    @classmethod
    def load(cls, paths: Iterable[Path], neighbours: int = NEIGHBOURS) -> Precedents:
        """Every labelled case in `paths` (the `bot.core.cases` format); a bad line stops
        start-up with the file and line in the message."""
        cases: list[Precedent] = []
        for path in sorted(paths):
            try:
                loaded = load_cases(path)
            except UsageError as exc:
                raise ConfigError(f"precedents: {exc}") from None
            cases += [
                Precedent(c.id, " ".join(c.turns), c.expected, c.source, c.note, tuple(c.turns))
                for c in loaded
            ]
        return cls(cases, neighbours)

    def vote(self, query: str, exclude: str = "") -> Vote:
        """The nearest precedents to `query`, leaving out any whose text is `exclude`."""
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens:
            return Vote()
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=float)
        skip = _key(exclude) if exclude else None
        chosen: list[Neighbour] = []
        for i in np.argsort(-scores, kind="stable"):
            if scores[i] <= 0 or len(chosen) >= self.neighbours:
                break
            if self._keys[i] != skip:
                chosen.append(Neighbour(self.cases[i], float(scores[i])))
        total = sum(n.score for n in chosen)
        shares: dict[Verdict, float] = {}
        for n in chosen:
            shares[n.precedent.verdict] = shares.get(n.precedent.verdict, 0.0) + n.score / total
        return Vote(tuple(chosen), shares)

    @property
    def _vocab(self) -> dict[str, int]:
        if not self.cases:
            return {}
        vocab: dict[str, int] = self._bm25.vocab_dict
        return vocab


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
