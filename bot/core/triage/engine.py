"""The offline triage engine: deterministic rules over the articles' decision framework.

It needs no network and no model: read the thread into dimensions (`analysis`), decide
(`decide`), put it into words (`compose`), back each reason with passages retrieved for it
(`evidence`) and let `CitationBuilder` copy the quotes. Same messages in, same answer out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.core.citations import CitationBuilder, DraftReason
from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage.analysis import read_thread
from bot.core.triage.compose import compose
from bot.core.triage.decide import decide
from bot.core.triage.evidence import Evidence
from bot.core.triage.phrases import load_phrases
from bot.core.types import Answer
from bot.settings import PROJECT_ROOT

PHRASES_PATH = PROJECT_ROOT / "prompts" / "offline_phrases.yaml"
MAX_CITATIONS = 8


class OfflineEngine:
    """Implements `bot.core.engine.Engine` without an LLM; also the LLM path's fallback."""

    name = "offline"

    def __init__(
        self, knowledge: KnowledgeBase, index: LexicalIndex, phrases_path: Path | None = None
    ) -> None:
        self.phrases = load_phrases(phrases_path or PHRASES_PATH)
        self.evidence = Evidence(knowledge, index, self.phrases.entries())
        self.builder = CitationBuilder(knowledge, max_per_reason=2)

    async def answer(self, messages: Sequence[str]) -> Answer:
        return self.answer_now(messages)

    def answer_now(self, messages: Sequence[str]) -> Answer:
        """The same answer as `answer`, for callers outside an event loop (evaluation, tests)."""
        reading = read_thread(messages)
        decision = decide(reading)
        composition = compose(reading, decision, self.phrases)
        per_reason = 2 if len(composition.drafts) <= MAX_CITATIONS // 2 else 1
        drafts = [
            DraftReason(
                text=d.text,
                passage_ids=self.evidence.passages(d.entry, limit=per_reason),
                hint=" ".join(d.entry.anchors),
            )
            for d in composition.drafts
        ]
        reasons, citations = self.builder.build(drafts)
        return Answer(
            verdict=decision.verdict,
            confidence=decision.confidence,
            summary=composition.summary,
            reasons=reasons,
            citations=citations,
            follow_up_questions=composition.follow_ups,
            engine="offline",
            thread=None,
            turn=1,
        )
