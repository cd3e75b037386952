"""The weighing: how much each need the reader found, and the precedents' vote, counts — learned
from the labelled cases instead of set by hand.

`decide`'s framework adds the needs on each side with weights a person chose while reading the
cases the rules were written beside; on projects described in other words those weights
misjudge how a plain-words behaviour gap stands against a knowledge need, or when look-alike
cases should outweigh the rules. The weighing is a small multinomial logistic regression over
named features only: each dimension's strength (yes and no apart), the framework's three side
scores, the message's length, each verdict's share of the precedents' vote and the word model's
log-probability of each verdict (`wordmodel.py`, a model over the words of every case). It is
fitted on every labelled precedent, read by the same reader: each case's vote leaves the case
out, and its word-model probabilities come from a model that never saw its batch, so the
weighing learns how far each reader can be trusted on a new writer's words. A team that adds
precedents also re-weighs. Deterministic: plain gradient descent from zero.

Fitting reads every precedent and fits the word model once per fold (under a minute), so the
fitted weights and the word model are kept beside the precedents (`weighing.json`, written by
`make calibrate`) with a fingerprint of what they were fitted on: the cases and the reader's
code. A stale or missing file is fitted again at start-up. `explain` lists the features that
pushed the verdict over the framework's, and the words behind the word model, for `--explain`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.triage.analysis import Reader, Reading
from bot.core.triage.decide import Scores, score
from bot.core.triage.dimensions import DIMENSIONS
from bot.core.triage.precedents import Precedents, Vote
from bot.core.triage.wordmodel import VERDICTS, WordModel, log_odds, out_of_fold, softmax
from bot.core.types import Verdict

log = logging.getLogger(__name__)

FILE = "weighing.json"
FEATURES: tuple[str, ...] = (
    *(f"{sign}{d.name}" for d in DIMENSIONS for sign in ("", "no ")),
    "knowledge score",
    "behaviour score",
    "prompt-first score",
    "both sides",
    "light behaviour",
    "length",
    *(f"precedents {v.value}" for v in VERDICTS),
    *(f"words {v.value}" for v in VERDICTS),
)
WORDS = tuple(i for i, name in enumerate(FEATURES) if name.startswith("words "))
EVEN = np.full(len(VERDICTS), 1 / len(VERDICTS))
NEUTRAL = np.zeros(len(FEATURES))
NEUTRAL[list(WORDS)] = log_odds(EVEN)
"""A reading with nothing in it: `explain` weighs each feature by how far it is from here."""
L2 = 1.0
STEPS = 1500
RATE = 0.5
LENGTH_CAP = 400
ROOT = Path(__file__).resolve().parents[3]
CODE = ("bot/core/triage", "bot/core/retrieval.py")
"""What the reading of a case depends on, besides the case: the fingerprint hashes it."""


def features(
    reading: Reading, scores: Scores, vote: Vote, words: np.ndarray | None = None
) -> np.ndarray:
    """The named features (`FEATURES`, in order) of one reading; `words` is the word model's
    probability of each verdict (`VERDICTS` order), even odds when there is none."""
    s = reading.strength
    values = [s(d.name, polarity) for d in DIMENSIONS for polarity in (1, -1)]
    values += [
        scores.knowledge,
        scores.behaviour,
        scores.prompt,
        min(scores.knowledge, scores.behaviour),
        float(scores.light),
        min(reading.words, LENGTH_CAP) / 100,
    ]
    values += [vote.share(v) for v in VERDICTS]
    values += list(log_odds(EVEN if words is None else words))
    return np.asarray(values, dtype=float)


@dataclass(frozen=True, slots=True)
class Weighed:
    """The weighing's verdict for one reading and each verdict's probability."""

    verdict: Verdict
    probabilities: dict[Verdict, float]
    row: np.ndarray
    cases: int
    """How many labelled cases the weighing was fitted on."""
    text: str = ""
    """The reading's text, as the word model saw it."""


class Weighing:
    """Weights per feature and verdict (`FEATURES` + a bias, by `VERDICTS`), and the word model
    whose probabilities are among the features (none: even odds)."""

    def __init__(
        self, weights: np.ndarray, cases: int, word_model: WordModel | None = None
    ) -> None:
        if weights.shape != (len(FEATURES) + 1, len(VERDICTS)):
            raise ValueError(f"weights have shape {weights.shape}")
        self.weights = weights
        self.cases = cases
        self.word_model = word_model

    @classmethod
    def fit_on(cls, precedents: Precedents, reader: Reader) -> Weighing:
        """The word model fitted on every precedent, and the weighing fitted on `training_rows`."""
        readings = _read(precedents, reader)
        word_model = WordModel.fit(
            [r.text for r in readings], [c.verdict for c in precedents.cases]
        )
        return cls.fit(_rows(precedents, readings), word_model)

    @classmethod
    def fit(
        cls, rows: Sequence[tuple[np.ndarray, Verdict]], word_model: WordModel | None = None
    ) -> Weighing:
        """L2-regularised softmax regression by gradient descent from zero (deterministic)."""
        x = np.hstack([np.stack([r for r, _ in rows]), np.ones((len(rows), 1))])
        y = np.eye(len(VERDICTS))[[VERDICTS.index(v) for _, v in rows]]
        w = np.zeros((x.shape[1], len(VERDICTS)))
        keep = np.ones((x.shape[1], 1))
        keep[-1] = 0.0  # the bias is not regularised
        for _ in range(STEPS):
            p = softmax(x @ w)
            w -= RATE * (x.T @ (p - y) + L2 * keep * w) / len(rows)
        return cls(w, len(rows), word_model)

    def weigh(self, reading: Reading, scores: Scores, vote: Vote) -> Weighed:
        text = reading.text
        model = self.word_model
        words = model.probabilities([text])[0] if model is not None else None
        row = features(reading, scores, vote, words)
        p = softmax(np.append(row, 1.0) @ self.weights)
        probabilities = {v: float(p[i]) for i, v in enumerate(VERDICTS)}
        return Weighed(VERDICTS[int(p.argmax())], probabilities, row, self.cases, text)

    def explain(self, weighed: Weighed, against: Verdict, limit: int = 4) -> list[str]:
        """The features that most favour the weighed verdict over `against`, as `name +x.xx`;
        the word model's features name the words that leaned most."""
        i, j = VERDICTS.index(weighed.verdict), VERDICTS.index(against)
        push = (weighed.row - NEUTRAL) * (self.weights[:-1, i] - self.weights[:-1, j])
        order = [k for k in np.argsort(-push, kind="stable")[:limit] if push[k] > 0]
        out = [f"{FEATURES[k]} {push[k]:+.2f}" for k in order]
        if self.word_model is not None and any(k in WORDS for k in order):
            leaning = self.word_model.explain(weighed.text, weighed.verdict, against)
            out += [f"the words {', '.join(leaning)}"] if leaning else []
        return out

    def to_json(self, fingerprint: str) -> str:
        """The weights, then the word model one term a line (so a person can look a word up)."""
        head = json.dumps(
            {
                "fingerprint": fingerprint,
                "cases": self.cases,
                "features": list(FEATURES),
                "verdicts": [v.value for v in VERDICTS],
                "weights": [[round(float(x), 6) for x in r] for r in self.weights],
            },
            indent=1,
        )
        if self.word_model is None:
            return head
        w = self.word_model
        terms = ",\n".join(
            json.dumps([name, *(round(float(x), 5) for x in (w.idf[i], *w.weights[i]))])
            for name, i in sorted(w.vocabulary.items(), key=lambda t: t[1])
        )
        bias = json.dumps([round(float(x), 6) for x in w.bias])
        return f'{head[:-2]},\n "word_model": {{"bias": {bias}, "terms": [\n{terms}\n ]}}\n}}'

    @classmethod
    def from_json(cls, text: str, fingerprint: str) -> Weighing | None:
        """The saved weighing, or None when it was fitted on something else."""
        data = json.loads(text)
        if (
            data.get("fingerprint") != fingerprint
            or data.get("features") != list(FEATURES)
            or data.get("verdicts") != [v.value for v in VERDICTS]
        ):
            return None
        word_model = None
        if "word_model" in data:
            terms = data["word_model"]["terms"]
            word_model = WordModel(
                {t[0]: i for i, t in enumerate(terms)},
                np.asarray([t[1] for t in terms], dtype=float),
                np.asarray([t[2:] for t in terms], dtype=float).reshape(len(terms), len(VERDICTS)),
                np.asarray(data["word_model"]["bias"], dtype=float),
            )
        return cls(np.asarray(data["weights"], dtype=float), int(data["cases"]), word_model)


def training_rows(precedents: Precedents, reader: Reader) -> list[tuple[np.ndarray, Verdict]]:
    """Each precedent read by `reader`, with its vote leaving the case itself out and its
    word model's probabilities from one that never saw its batch (`wordmodel.out_of_fold`)."""
    return _rows(precedents, _read(precedents, reader))


def _read(precedents: Precedents, reader: Reader) -> list[Reading]:
    return [reader.read(c.turns or (c.text,)) for c in precedents.cases]


def _rows(precedents: Precedents, readings: Sequence[Reading]) -> list[tuple[np.ndarray, Verdict]]:
    cases = precedents.cases
    texts = [r.text for r in readings]
    words = out_of_fold(texts, [c.verdict for c in cases], [c.id for c in cases])
    rows = []
    for case, reading, odds in zip(cases, readings, words, strict=True):
        vote = precedents.vote(reading.text, exclude=case.text)
        rows.append((features(reading, score(reading), vote, odds), case.verdict))
    return rows


def fingerprint(precedents: Precedents, root: Path = ROOT) -> str:
    """A hash of the cases and of the code their reading depends on."""
    digest = hashlib.sha256()
    for case in precedents.cases:
        digest.update(json.dumps([case.id, case.text, case.verdict.value]).encode())
    for part in CODE:
        path = root / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def load_weighing(precedents: Precedents, reader: Reader, folder: Path) -> Weighing:
    """The weighing saved in `folder` if it was fitted on these precedents and this code, else
    one fitted now (and a log line saying how to save it)."""
    mark = fingerprint(precedents)
    path = folder / FILE
    if path.is_file():
        saved = Weighing.from_json(path.read_text(encoding="utf-8"), mark)
        if saved is not None:
            return saved
    started = time.monotonic()
    weighing = Weighing.fit_on(precedents, reader)
    log.info(
        "weighing fitted",
        extra={
            "cases": weighing.cases,
            "seconds": round(time.monotonic() - started, 1),
            "hint": f"`make calibrate` saves it to {path}",
        },
    )
    return weighing
