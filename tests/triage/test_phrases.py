"""The phrase file: every reason leads with its curated evidence, every template renders."""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.citations import CitationBuilder, DraftReason
from bot.core.knowledge import KnowledgeBase, normalize_ws
from bot.core.triage import OfflineEngine
from bot.core.triage.phrases import FIELDS, Entry, render


def _entries(engine: OfflineEngine) -> Iterator[tuple[str, Entry]]:
    phrases = engine.phrases
    for table, name in (
        (phrases.dimensions, "dim"),
        (phrases.prompt_first, "prompt_first"),
        (phrases.extra, "extra"),
    ):
        for key, entry in table.items():
            yield f"{name}.{key}", entry
    for intent, by_verdict in phrases.questions.items():
        for verdict, entry in by_verdict.items():
            yield f"questions.{intent}.{verdict}", entry


def test_each_reason_is_first_backed_by_its_first_anchor(
    engine: OfflineEngine, knowledge: KnowledgeBase
) -> None:
    builder = CitationBuilder(knowledge)
    sample = {name: "x" for name in FIELDS}
    for name, entry in _entries(engine):
        if not entry.anchors:
            continue
        ids = engine.evidence.passages(entry)
        draft = DraftReason(render(entry.reason, sample), ids, " ".join(entry.anchors))
        _, citations = builder.build([draft])
        assert normalize_ws(entry.anchors[0]) in normalize_ws(citations[0].quote), name


def test_every_dimension_the_rules_produce_has_wording(engine: OfflineEngine) -> None:
    from bot.core.triage.decide import BEHAVIOUR, KNOWLEDGE, PROMPT_FIRST

    for dimension in (*KNOWLEDGE, *BEHAVIOUR, "prompting", "examples"):
        entry = engine.phrases.dimensions[dimension]
        assert entry.short and entry.reason and entry.anchors, dimension
    for dimension, _ in PROMPT_FIRST:
        assert engine.phrases.prompt_first[dimension].anchors, dimension
    for by_verdict in engine.phrases.questions.values():
        assert "any" in by_verdict
