"""BM25 retrieval and the citation builder (quotes are copied from passages, never invented)."""

from __future__ import annotations

from bot.core.citations import CitationBuilder, DraftReason
from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex, tokenize


def test_tokenize_drops_stop_words_and_stems() -> None:
    assert tokenize("The prices are changing monthly") == ["pric", "chang", "monthly"]


async def test_search_finds_the_passage_about_changing_prices(index: LexicalIndex) -> None:
    hits = await index.search("our prices change monthly", k=3)
    assert hits and hits[0].score >= hits[-1].score
    assert any("prices change monthly" in h.passage.text for h in hits)


async def test_search_with_unknown_words_returns_nothing(index: LexicalIndex) -> None:
    assert await index.search("zzzz qqqq", k=3) == []


def test_builder_quotes_a_verbatim_sentence(knowledge: KnowledgeBase, index: LexicalIndex) -> None:
    pid = index.search_sync("need citations source attribution", 1)[0].passage.id
    reasons, citations = CitationBuilder(knowledge).build(
        [DraftReason("Answers must cite their source document.", [pid])]
    )
    assert [r.citations for r in reasons] == [["c1"]]
    cited = citations[0]
    assert cited.passage_id == pid
    assert knowledge.by_source(cited.source) is not None
    assert knowledge.document(cited.passage_id.split("#")[0]).contains_quote(cited.quote)


def test_unknown_passages_and_uncited_reasons_are_dropped(
    knowledge: KnowledgeBase, index: LexicalIndex
) -> None:
    real = index.search_sync("brand voice tone", 1)[0].passage.id
    reasons, citations = CitationBuilder(knowledge).build(
        [
            DraftReason("Invented source only.", ["made-up#01"]),
            DraftReason("The tone must match the brand voice.", ["made-up#02", real]),
        ]
    )
    assert [r.text for r in reasons] == ["The tone must match the brand voice."]
    assert [c.passage_id for c in citations] == [real]


def test_the_same_quote_is_cited_once(knowledge: KnowledgeBase, index: LexicalIndex) -> None:
    pid = index.search_sync("frequently changing data", 1)[0].passage.id
    reasons, citations = CitationBuilder(knowledge).build(
        [DraftReason("Data changes often.", [pid]), DraftReason("Data changes often.", [pid])]
    )
    assert len(citations) == 1
    assert reasons[0].citations == reasons[1].citations == ["c1"]
