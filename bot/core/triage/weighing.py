"""The weighing: how much each need the reader found, and the precedents' vote, counts — learned
from the labelled cases instead of set by hand.

`decide`'s framework adds the needs on each side with weights a person chose while reading the
cases the rules were written beside; on projects described in other words those weights
misjudge how a plain-words behaviour gap stands against a knowledge need, or when look-alike
cases should outweigh the rules. The weighing is a small multinomial logistic regression over
named features only: each dimension's strength (yes and no apart), the framework's three side
scores, the message's length and each verdict's share of the precedents' vote. It is fitted on
every labelled precedent, read by the same reader (each case's vote leaves the case out), so a
team that adds precedents also re-weighs. Deterministic: plain gradient descent from zero.

Fitting reads every precedent (seconds), so the fitted weights are kept beside the precedents
(`weighing.json`, written by `make calibrate`) with a fingerprint of what they were fitted on:
the cases and the reader's code. A stale or missing file is fitted again at start-up.
`explain` lists the features that pushed the verdict over the framework's, for `--explain`.
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
from bot.core.types import Verdict

log = logging.getLogger(__name__)

FILE = "weighing.json"
VERDICTS = (
    Verdict.RAG,
    Verdict.FINE_TUNING,
    Verdict.BOTH,
    Verdict.PROMPT_ENGINEERING,
    Verdict.CLARIFY,
)
FEATURES: tuple[str, ...] = (
    *(f"{sign}{d.name}" for d in DIMENSIONS for sign in ("", "no ")),
    "knowledge score",
    "behaviour score",
    "prompt-first score",
    "both sides",
    "light behaviour",
    "length",
    *(f"precedents {v.value}" for v in VERDICTS),
)
L2 = 1.0
STEPS = 1500
RATE = 0.5
LENGTH_CAP = 400
ROOT = Path(__file__).resolve().parents[3]
CODE = ("bot/core/triage", "bot/core/retrieval.py")
"""What the reading of a case depends on, besides the case: the fingerprint hashes it."""


def features(reading: Reading, scores: Scores, vote: Vote) -> np.ndarray:
    """The named features (`FEATURES`, in order) of one reading."""
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
    return np.asarray(values, dtype=float)


@dataclass(frozen=True, slots=True)
class Weighed:
    """The weighing's verdict for one reading and each verdict's probability."""

    verdict: Verdict
    probabilities: dict[Verdict, float]
    row: np.ndarray
    cases: int
    """How many labelled cases the weighing was fitted on."""


class Weighing:
    """Weights per feature and verdict (`FEATURES` + a bias, by `VERDICTS`)."""

    def __init__(self, weights: np.ndarray, cases: int) -> None:
        if weights.shape != (len(FEATURES) + 1, len(VERDICTS)):
            raise ValueError(f"weights have shape {weights.shape}")
        self.weights = weights
        self.cases = cases

    @classmethod
    def fit(cls, rows: Sequence[tuple[np.ndarray, Verdict]]) -> Weighing:
        """L2-regularised softmax regression by gradient descent from zero (deterministic)."""
        x = np.hstack([np.stack([r for r, _ in rows]), np.ones((len(rows), 1))])
        y = np.eye(len(VERDICTS))[[VERDICTS.index(v) for _, v in rows]]
        w = np.zeros((x.shape[1], len(VERDICTS)))
        keep = np.ones((x.shape[1], 1))
        keep[-1] = 0.0  # the bias is not regularised
        for _ in range(STEPS):
            p = _softmax(x @ w)
            w -= RATE * (x.T @ (p - y) + L2 * keep * w) / len(rows)
        return cls(w, len(rows))

    def weigh(self, reading: Reading, scores: Scores, vote: Vote) -> Weighed:
        row = features(reading, scores, vote)
        p = _softmax(np.append(row, 1.0) @ self.weights)
        probabilities = {v: float(p[i]) for i, v in enumerate(VERDICTS)}
        return Weighed(VERDICTS[int(p.argmax())], probabilities, row, self.cases)

    def explain(self, weighed: Weighed, against: Verdict, limit: int = 4) -> list[str]:
        """The features that most favour the weighed verdict over `against`, as `name +x.xx`."""
        i, j = VERDICTS.index(weighed.verdict), VERDICTS.index(against)
        push = weighed.row * (self.weights[:-1, i] - self.weights[:-1, j])
        order = np.argsort(-push, kind="stable")
        return [f"{FEATURES[k]} {push[k]:+.2f}" for k in order[:limit] if push[k] > 0]

    def to_json(self, fingerprint: str) -> str:
        return json.dumps(
            {
                "fingerprint": fingerprint,
                "cases": self.cases,
                "features": list(FEATURES),
                "verdicts": [v.value for v in VERDICTS],
                "weights": [[round(float(x), 6) for x in r] for r in self.weights],
            },
            indent=1,
        )

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
        return cls(np.asarray(data["weights"], dtype=float), int(data["cases"]))


def training_rows(precedents: Precedents, reader: Reader) -> list[tuple[np.ndarray, Verdict]]:
    """Each precedent read by `reader`, with its vote leaving the case itself out."""
    rows = []
    for case in precedents.cases:
        reading = reader.read(case.turns or (case.text,))
        vote = precedents.vote(" ".join(reading.texts), exclude=case.text)
        rows.append((features(reading, score(reading), vote), case.verdict))
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
    weighing = Weighing.fit(training_rows(precedents, reader))
    log.info(
        "weighing fitted",
        extra={
            "cases": weighing.cases,
            "seconds": round(time.monotonic() - started, 1),
            "hint": f"`make calibrate` saves it to {path}",
        },
    )
    return weighing


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out
