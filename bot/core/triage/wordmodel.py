"""The word model: which verdict projects described in these words were given, learned from the
labelled cases.

The rules read what a message says in the framework's terms, and the precedents' vote finds the
few cases described most alike; both miss a project whose needs are said in words no rule and no
near neighbour shares ("the replies never sound like our agents", "we iterated on the
instructions for a month"). The word model is a linear model over every case at once: TF-IDF
weights of the words and word pairs of the messages, and a softmax regression from them to the
five verdicts, fitted on the labelled precedents. Its probabilities are one group of the
weighing's features (`weighing.py`), next to the rules' reading and the vote: the weighing learns
how far they count, and the framework's first steps stand whatever they say. `--explain` names
the words and pairs that leaned most.

Deterministic (plain gradient descent from zero) and fast (a sparse matrix kept as three numpy
arrays). `out_of_fold` gives each case the probabilities of a model that never saw its batch
(the cases sharing its id prefix, written by one writer), so the weighing learns how far words
from a new writer can be trusted rather than how well the model remembers its own cases.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.triage.text import words
from bot.core.types import Verdict

VERDICTS = (
    Verdict.RAG,
    Verdict.FINE_TUNING,
    Verdict.BOTH,
    Verdict.PROMPT_ENGINEERING,
    Verdict.CLARIFY,
)
MIN_CASES = 2
"""A word or pair must occur in this many cases to be a feature."""
L2 = 0.1
STEPS = 300
RATE = 2.0
"""A small L2 term: stopping after `STEPS` steps from zero is most of the regularisation, so
rare terms keep small weights."""
FOLDS = 10
FLOOR = 1e-4
"""Probabilities are clipped here before their logarithm becomes a feature."""


def terms(text: str) -> list[str]:
    """The words of a normalised text and each pair of neighbouring words."""
    w = words(text)
    return w + [f"{a} {b}" for a, b in itertools.pairwise(w)]


@dataclass(frozen=True, slots=True)
class _Matrix:
    """A sparse documents × terms matrix: entry k is (rows[k], cols[k]) = values[k]."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]

    def times(self, w: np.ndarray) -> np.ndarray:
        """self @ w, for w of shape (terms, classes)."""
        return _scatter(self.rows, self.values[:, None] * w[self.cols], self.shape[0])

    def transposed_times(self, g: np.ndarray) -> np.ndarray:
        """self.T @ g, for g of shape (documents, classes)."""
        return _scatter(self.cols, self.values[:, None] * g[self.rows], self.shape[1])


def _scatter(index: np.ndarray, contributions: np.ndarray, size: int) -> np.ndarray:
    classes = contributions.shape[1]
    flat = (index[:, None] * classes + np.arange(classes)).ravel()
    summed = np.bincount(flat, weights=contributions.ravel(), minlength=size * classes)
    out: np.ndarray = summed.reshape(size, classes)
    return out


class WordModel:
    """A vocabulary with IDF weights, and weights per term and verdict (`VERDICTS`)."""

    def __init__(
        self, vocabulary: dict[str, int], idf: np.ndarray, weights: np.ndarray, bias: np.ndarray
    ) -> None:
        if weights.shape != (len(vocabulary), len(VERDICTS)) or idf.shape != (len(vocabulary),):
            raise ValueError(f"weights have shape {weights.shape} for {len(vocabulary)} terms")
        self.vocabulary = vocabulary
        self.idf = idf
        self.weights = weights
        self.bias = bias
        self._names = sorted(vocabulary, key=vocabulary.__getitem__)

    @classmethod
    def fit(cls, texts: Sequence[str], verdicts: Sequence[Verdict]) -> WordModel:
        """L2-regularised softmax regression over TF-IDF terms, by gradient descent from zero."""
        counted = [Counter(terms(t)) for t in texts]
        seen = Counter(term for c in counted for term in c)
        names = sorted(t for t, n in seen.items() if n >= MIN_CASES)
        vocabulary = {t: i for i, t in enumerate(names)}
        cases = len(texts)
        idf = np.asarray([np.log((1 + cases) / (1 + seen[t])) + 1 for t in names], dtype=float)
        empty = cls(vocabulary, idf, np.zeros((len(names), len(VERDICTS))), np.zeros(len(VERDICTS)))
        x = empty._matrix(counted)
        y = np.eye(len(VERDICTS))[[VERDICTS.index(v) for v in verdicts]]
        w = np.zeros((len(names), len(VERDICTS)))
        b = np.zeros(len(VERDICTS))
        for _ in range(STEPS):
            g = softmax(x.times(w) + b) - y
            w -= RATE * (x.transposed_times(g) + L2 * w) / cases
            b -= RATE * g.sum(axis=0) / cases
        return cls(vocabulary, idf, w, b)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's probability of each verdict (rows: texts; columns: `VERDICTS`)."""
        x = self._matrix([Counter(terms(t)) for t in texts])
        return softmax(x.times(self.weights) + self.bias)

    def explain(self, text: str, verdict: Verdict, against: Verdict, limit: int = 4) -> list[str]:
        """The terms of `text` that most favour `verdict` over `against`, as `"term" +x.xx`."""
        x = self._matrix([Counter(terms(text))])
        i, j = VERDICTS.index(verdict), VERDICTS.index(against)
        push = x.values * (self.weights[x.cols, i] - self.weights[x.cols, j])
        order = np.argsort(-push, kind="stable")[:limit]
        return [f'"{self._names[x.cols[k]]}" {push[k]:+.2f}' for k in order if push[k] > 0]

    def _matrix(self, counted: Sequence[Counter[str]]) -> _Matrix:
        """Log-scaled term counts times IDF, each row scaled to unit length."""
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for r, counts in enumerate(counted):
            found = [(self.vocabulary[t], n) for t, n in counts.items() if t in self.vocabulary]
            found.sort()
            row = np.asarray([(1 + np.log(n)) * self.idf[c] for c, n in found], dtype=float)
            norm = float(np.linalg.norm(row)) if found else 0.0
            rows += [r] * len(found)
            cols += [c for c, _ in found]
            values += list(row / norm) if norm else []
        return _Matrix(
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(values, dtype=float),
            (len(counted), len(self.vocabulary)),
        )


def out_of_fold(
    texts: Sequence[str], verdicts: Sequence[Verdict], ids: Sequence[str]
) -> np.ndarray:
    """Each text's probabilities from a model fitted without its fold: cases whose id shares a
    prefix (before the first `-`: one batch, one writer) fall in the same one of `FOLDS` folds."""
    folds = [fold(i) for i in ids]
    out = np.zeros((len(texts), len(VERDICTS)))
    for part in sorted(set(folds)):
        train = [k for k, f in enumerate(folds) if f != part]
        held = [k for k, f in enumerate(folds) if f == part]
        if not train:
            out[held] = 1 / len(VERDICTS)
            continue
        model = WordModel.fit([texts[k] for k in train], [verdicts[k] for k in train])
        out[held] = model.probabilities([texts[k] for k in held])
    return out


def log_odds(probabilities: np.ndarray) -> np.ndarray:
    """The weighing's word-model features: log-probabilities, floored."""
    out: np.ndarray = np.log(np.clip(probabilities, FLOOR, 1.0))
    return out


def fold(case_id: str) -> int:
    """The fold of a case: every case with the same id prefix falls in the same one."""
    prefix = case_id.split("-", 1)[0]
    return int(hashlib.sha256(prefix.encode()).hexdigest(), 16) % FOLDS


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out
