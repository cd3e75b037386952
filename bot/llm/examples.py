"""Worked examples for the reader's prompt: the labelled cases most like the thread.

The precedents (`bot.core.triage.precedents`, BM25 over the labelled sets) pick the two or three
cases described most like this thread; each is shown as its message (cut short), a reading in
the output's own shape, and the verdict the team chose. The reading is the rules' reading of
that message, kept to the dimensions on the side the verdict stands for, so an example never
shows facts that argue against its own verdict. A case whose text is the thread itself is never
its own example, so `eval` on a shipped set is leave-one-out here too.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from bot.core.triage.analysis import Need, Reader
from bot.core.triage.dimensions import BY_NAME
from bot.core.triage.precedents import Vote
from bot.core.triage.text import clip_words
from bot.core.types import Side, Verdict

EXAMPLES = 3
EXAMPLE_CHARS = 360
FACTS_PER_EXAMPLE = 4
QUOTE_WORDS = 10
_SIDES_OF_BOTH: tuple[Side, ...] = ("knowledge", "behaviour")
_SIDES: dict[Verdict, frozenset[Side]] = {
    Verdict.RAG: frozenset({"knowledge"}),
    Verdict.FINE_TUNING: frozenset({"behaviour", "enabler"}),
    Verdict.BOTH: frozenset({"knowledge", "behaviour"}),
    Verdict.PROMPT_ENGINEERING: frozenset({"prompt-first"}),
    Verdict.CLARIFY: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    reading: str
    """`{"facts": [...], "verdict": "..."}` as the model is asked to write it."""


class Examples:
    """Picks and renders the examples for one thread."""

    def __init__(self, reader: Reader, count: int = EXAMPLES) -> None:
        self.reader = reader
        self.count = count

    def among(self, vote: Vote) -> list[Example]:
        """The examples among the precedents' vote on a thread (the vote the engine takes once
        a turn: `OfflineEngine.similar`, which never counts the thread itself)."""
        chosen: list[Example] = []
        for neighbour in vote.neighbours:
            example = self._example(neighbour.precedent.text, neighbour.precedent.verdict)
            if example is not None:
                chosen.append(example)
            if len(chosen) == self.count:
                break
        return chosen

    def _example(self, text: str, verdict: Verdict) -> Example | None:
        """The case as an example, or None when its shortened text no longer shows what its
        verdict rests on (no fact; for `both`, not a fact on each side)."""
        shown = clip_words(" ".join(text.split()), EXAMPLE_CHARS)
        reading = self.reader.read([shown])
        facts: list[dict[str, object]] = []
        for name, need in reading.needs.items():
            dim = BY_NAME.get(name)
            if dim is None or not need.evidence or not _supports(dim.side, name, need, verdict):
                continue
            quote = " ".join(need.evidence[0].text.split()[:QUOTE_WORDS])
            state = "yes" if need.polarity > 0 else "no"
            facts.append({"dim": name, "state": state, "quote": quote, "ids": []})
        sides_shown = {BY_NAME[str(f["dim"])].side for f in facts}
        if verdict is Verdict.BOTH and not {"knowledge", "behaviour"} <= sides_shown:
            return None
        if verdict is not Verdict.CLARIFY and not facts:
            return None
        if verdict is Verdict.BOTH:  # the sides take turns, so the cut keeps both
            by_side = [
                [f for f in facts if BY_NAME[str(f["dim"])].side == s] for s in _SIDES_OF_BOTH
            ]
            facts = [f for pair in itertools.zip_longest(*by_side) for f in pair if f is not None]
        reading_json = {"facts": facts[:FACTS_PER_EXAMPLE], "verdict": verdict.value}
        return Example(shown, json.dumps(reading_json))


def _supports(side: Side, name: str, need: Need, verdict: Verdict) -> bool:
    """Whether this statement argues for the case's verdict: a need of the verdict's side that
    is there ("yes"), prompting tried and fallen short for training, prompting not yet tried
    for prompting first. Only these are shown, so a misread fact never teaches the opposite."""
    if name == "prompting":
        if verdict in (Verdict.FINE_TUNING, Verdict.BOTH):
            return need.polarity > 0
        return verdict is Verdict.PROMPT_ENGINEERING and need.polarity < 0
    return side in _SIDES[verdict] and need.polarity > 0
