"""Pick the passages that back one reason: BM25 retrieval, biased toward curated anchors.

Each reason in the phrase file names anchor sentences from the articles. They are found by
content when the engine starts (passage ids are never written down), so an edit to
`knowledge/` that removes or rewords one stops the engine with the anchor in the error instead
of silently citing something else. At answer time the reason's own query runs through the
`LexicalIndex`; the first anchor leads, and the second slot goes to whichever passage scores
best once the other anchors get a bonus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.knowledge import KnowledgeBase, normalize_ws
from bot.core.retrieval import LexicalIndex
from bot.core.triage.phrases import Entry
from bot.errors import KnowledgeError

ANCHOR_BONUS = 0.6
# A retrieved passage must score at least this share of the best one to back a reason.
MIN_SHARE = 0.5


class Evidence:
    def __init__(self, knowledge: KnowledgeBase, index: LexicalIndex, entries: Iterable[Entry]):
        self.index = index
        self._position = {p.id: i for i, p in enumerate(index.passages)}
        self._anchors: dict[str, str] = {}
        texts = [(p.id, normalize_ws(p.text)) for p in knowledge.passages]
        for entry in entries:
            for anchor in entry.anchors:
                if anchor not in self._anchors:
                    self._anchors[anchor] = _locate(anchor, texts)

    def anchor_passage(self, anchor: str) -> str:
        return self._anchors[anchor]

    def passages(self, entry: Entry, limit: int = 2) -> list[str]:
        """Up to `limit` passage ids for `entry`, best first (see the module docstring)."""
        preferred = list(dict.fromkeys(self._anchors[a] for a in entry.anchors))
        scores = self.index.scores(entry.query) if entry.query else None
        chosen = preferred[:1]
        if scores is not None and len(scores):
            top = float(scores.max())
            ranked: list[tuple[float, int, str]] = []
            for pid, position in self._position.items():
                bonus = ANCHOR_BONUS * top + 1.0 if pid in preferred[1:] else 0.0
                ranked.append((-(float(scores[position]) + bonus), position, pid))
            ranked.sort()
            floor = -MIN_SHARE * top
            chosen += [pid for score, _, pid in ranked if score < floor and pid not in chosen]
        else:
            chosen += preferred[1:]
        return chosen[:limit]


def _locate(anchor: str, texts: Sequence[tuple[str, str]]) -> str:
    needle = normalize_ws(anchor)
    for pid, text in texts:
        if needle in text:
            return pid
    raise KnowledgeError(
        f"offline_phrases.yaml anchor not found in knowledge/ (was an article edited?): {anchor!r}"
    )
