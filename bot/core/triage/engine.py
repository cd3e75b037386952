"""The offline triage engine: deterministic rules over the articles' decision framework.

It needs no network and no model: a `Reader` turns the thread into a `Reading` (per dimension a
state, a strength and the user's words), `decide` weighs it, `compose` puts it into words,
`evidence` picks the passages behind each reason and `CitationBuilder` copies the quotes. Same
messages in, same answer out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.core.citations import CitationBuilder, DraftReason
from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import lexicon
from bot.core.triage.analysis import Reader, Reading, RulesReader, with_facts
from bot.core.triage.compose import compose
from bot.core.triage.decide import Decision, decide, why
from bot.core.triage.dimensions import check_registry
from bot.core.triage.evidence import Evidence
from bot.core.triage.phrases import load_phrases
from bot.core.triage.precedents import Precedents, Vote
from bot.core.triage.weighing import Weighing
from bot.core.types import Answer, Explanation, Fact, PrecedentHit, RuleHit, Span

PHRASES_FILE = "offline_phrases.yaml"
MAX_CITATIONS = 8


class OfflineEngine:
    """Implements `bot.core.engine.Engine` without an LLM; also the LLM path's fallback.

    `phrases_path` is the phrase file (`PROMPTS_DIR/offline_phrases.yaml`); `reader` reads
    the thread (the lexicon's rules unless another reader is given); `precedents` vote and
    `weighing` (fitted on them) decides with the framework (`decide`).
    """

    name = "offline"

    def __init__(
        self,
        knowledge: KnowledgeBase,
        index: LexicalIndex,
        phrases_path: Path,
        reader: Reader | None = None,
        precedents: Precedents | None = None,
        weighing: Weighing | None = None,
    ) -> None:
        self.phrases = load_phrases(phrases_path)
        check_registry(
            ((r.id, r.dimension) for r in lexicon.catalogue()),
            {"dimensions": self.phrases.dimensions, "prompt_first": self.phrases.prompt_first},
        )
        self.reader: Reader = reader or RulesReader()
        self.precedents = precedents
        self.weighing = weighing
        self.evidence = Evidence(knowledge, index, self.phrases.entries())
        self.builder = CitationBuilder(knowledge, max_per_reason=2)

    def read(self, messages: Sequence[str]) -> Reading:
        return self.reader.read(messages)

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        reading = with_facts(self.read(messages), facts)
        return self.answer_reading(reading, self.vote(reading, messages))

    def vote(self, reading: Reading, messages: Sequence[str]) -> Vote | None:
        """The precedents' vote on a thread (never counting the thread itself), if any. None
        once the user set facts: cases alike in words say nothing against what the user set."""
        return None if reading.given else self.similar(reading, messages)

    def similar(self, reading: Reading, messages: Sequence[str]) -> Vote | None:
        """The precedents most like the thread, whatever the user set (the LLM path's examples
        come from the same vote)."""
        if self.precedents is None:
            return None
        return self.precedents.vote(reading.text, exclude=" ".join(messages))

    def answer_reading(self, reading: Reading, vote: Vote | None = None) -> Answer:
        """The answer a reading (and the precedents' vote) leads to."""
        return self.answer_decision(reading, decide(reading, vote, self.weighing))

    def answer_decision(
        self,
        reading: Reading,
        decision: Decision,
        passages: Mapping[Span, Sequence[str]] | None = None,
    ) -> Answer:
        """The answer for a decision over a reading, in words and with citations. `passages`
        adds, for a reason resting on one of its spans, those passages after the rules' first."""
        composition = compose(reading, decision, self.phrases)
        per_reason = 2 if len(composition.drafts) <= MAX_CITATIONS // 2 else 1
        drafts = []
        for d in composition.drafts:
            found = self.evidence.passages(d.entry, limit=per_reason)
            extra = [pid for span in d.evidence for pid in (passages or {}).get(span, ())]
            ids = list(dict.fromkeys([*found[:1], *extra, *found[1:]]))[:per_reason]
            drafts.append(
                DraftReason(
                    text=d.text,
                    passage_ids=ids,
                    hint=" ".join(d.entry.anchors),
                    evidence=d.evidence,
                    set_by_user=d.set_by_user,
                    lead=d.entry.lead,
                )
            )
        reasons, citations = self.builder.build(drafts)
        return Answer(
            verdict=decision.verdict,
            confidence=decision.confidence,
            summary=composition.summary,
            reasons=reasons,
            citations=citations,
            follow_up_questions=composition.follow_ups,
            reading=reading.items(),
            engine="offline",
            thread=None,
            turn=1,
            explanation=explain(reading, decision),
        )


def explain(reading: Reading, decision: Decision) -> Explanation:
    """The rules that fired, on which words, and the scores and comparisons behind the verdict."""
    hits = [
        RuleHit(
            rule=h.rule,
            dimension=h.dimension,
            state="yes" if h.polarity > 0 else "no",
            strength=round(h.strength, 2),
            turn=h.span.turn,
            text=h.span.text,
            kept=h.kept,
        )
        for h in reading.hits
    ]
    s = decision.scores
    scores = {"knowledge": s.knowledge, "behaviour": s.behaviour, "prompt": s.prompt}
    precedents = [
        PrecedentHit(
            id=n.precedent.id,
            verdict=n.precedent.verdict,
            score=round(n.score, 2),
            source=n.precedent.source,
        )
        for n in (decision.vote.neighbours if decision.vote else ())
    ]
    return Explanation(
        hits=hits,
        scores={k: round(v, 3) for k, v in scores.items()},
        why=why(decision),
        precedents=precedents,
    )
