"""Pick the passages that back one reason: BM25 retrieval, biased toward curated anchors.

Each reason in the phrase file names anchor sentences from the articles. They are found by
content when the engine starts (passage ids are never written down), so an edit to
`knowledge/` that removes or rewords one stops the engine with the anchor in the error instead
of silently citing something else. The reason's own query runs through the `LexicalIndex`;
the first anchor leads, and the second slot goes to whichever passage scores best once the
other anchors get a bonus (a passage far below the best hit backs nothing). The query belongs
to the reason template, so each template's passages are retrieved once and kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

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
        self._ids = [p.id for p in index.passages]
        self._anchors: dict[str, str] = {}
        self._chosen: dict[tuple[Entry, int], list[str]] = {}
        texts = [(p.id, normalize_ws(p.text)) for p in knowledge.passages]
        for entry in entries:
            for anchor in entry.anchors:
                if anchor not in self._anchors:
                    self._anchors[anchor] = _locate(anchor, texts)

    def passages(self, entry: Entry, limit: int = 2) -> list[str]:
        """Up to `limit` passage ids for `entry`, best first (see the module docstring).

        The query is the entry's own, so the result depends on the entry alone and is kept.
        """
        key = (entry, limit)
        if key not in self._chosen:
            self._chosen[key] = self._retrieve(entry)[:limit]
        return list(self._chosen[key])

    def _retrieve(self, entry: Entry) -> list[str]:
        preferred = list(dict.fromkeys(self._anchors[a] for a in entry.anchors))
        chosen = preferred[:1]
        scores = self.index.scores(entry.query) if entry.query else np.zeros(0)
        if not len(scores) or not scores.max() > 0:
            return chosen + preferred[1:]
        top = float(scores.max())
        boosted = scores.copy()
        for pid in preferred[1:]:
            boosted[self._ids.index(pid)] += ANCHOR_BONUS * top + 1.0
        for position in np.argsort(-boosted, kind="stable"):
            pid = self._ids[position]
            if boosted[position] <= MIN_SHARE * top:
                break
            if pid not in chosen:
                chosen.append(pid)
        return chosen


def _locate(anchor: str, texts: Sequence[tuple[str, str]]) -> str:
    needle = normalize_ws(anchor)
    for pid, text in texts:
        if needle in text:
            return pid
    raise KnowledgeError(
        f"offline_phrases.yaml anchor not found in knowledge/ (was an article edited?): {anchor!r}"
    )
