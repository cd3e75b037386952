"""Embeddings retrieval: fused with BM25, cached on disk, never a reason to fail a turn."""

from __future__ import annotations

from pathlib import Path

from bot.core.knowledge import KnowledgeBase, Passage
from bot.core.retrieval import LexicalIndex
from bot.llm.embeddings import embedded_text, reciprocal_rank_fusion
from bot.llm.engine import retrieval_query
from tests.llm.answers import PROJECT, shown_passages, squash, structured
from tests.llm.conftest import BuildEngine
from tests.support.fake_openai import FakeOpenAI, answer

EMBED = "test-embed"
MARKER = "quokka"


def one_hot_embedder(knowledge: KnowledgeBase, target: Passage) -> object:
    """Passages are orthogonal; a query mentioning MARKER points exactly at `target`."""
    order = {embedded_text(p): i for i, p in enumerate(knowledge.passages)}
    size = len(order)

    def embed(text: str) -> list[float]:
        vector = [0.0] * size
        if MARKER in text:
            vector[order[embedded_text(target)]] = 1.0
        elif text in order:
            vector[order[text]] = 1.0
        return vector

    return embed


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert [pid for pid, _ in fused] == ["a", "c", "b", "d"]


async def test_embeddings_bring_in_a_passage_bm25_cannot_find(
    fake_openai: FakeOpenAI,
    build_engine: BuildEngine,
    knowledge: KnowledgeBase,
    index: LexicalIndex,
) -> None:
    message = f"{PROJECT} Our mascot is a {MARKER}."
    scores = index.scores(retrieval_query([message]))
    target = next(p for p, s in zip(index.passages, scores, strict=True) if s == 0 and p.text)
    best_lexical = index.search_sync(retrieval_query([message]), 1)[0].passage
    fake_openai.embed = one_hot_embedder(knowledge, target)  # type: ignore[assignment]
    fake_openai.push(answer(structured()))

    engine = build_engine(embeddings_model=EMBED)
    result = await engine.answer([message])

    assert result.engine == "llm"
    shown = {
        squash(t).rstrip("…")[:60] for t in shown_passages(fake_openai.chat_requests[0]).values()
    }
    assert squash(target.text)[:60] in shown
    assert squash(best_lexical.text)[:60] in shown
    assert engine.health()["embeddings"] == "ready"


async def test_knowledge_embeddings_are_cached_and_reused_by_the_next_start(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    fake_openai.push(answer(structured()), answer(structured()))
    await build_engine(embeddings_model=EMBED).answer([PROJECT])
    first = len(fake_openai.embedding_requests)
    inputs = [len(r.body["input"]) for r in fake_openai.embedding_requests]
    assert len(knowledge.passages) in inputs
    assert (tmp_path / f"embeddings-{EMBED}.json").is_file()

    await build_engine(embeddings_model=EMBED).answer([PROJECT])
    later = fake_openai.embedding_requests[first:]
    assert len(later) == 1
    assert later[0].body["input"] in ([retrieval_query([PROJECT])], retrieval_query([PROJECT]))


async def test_failing_embeddings_fall_back_to_bm25_not_to_offline(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.embeddings_status = 500
    fake_openai.push(answer(structured()))
    engine = build_engine(embeddings_model=EMBED)

    result = await engine.answer([PROJECT])

    assert result.engine == "llm"
    assert result.notice is None
    assert engine.health()["embeddings"] == "failed"
