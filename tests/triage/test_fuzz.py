"""Whatever people type, the engine answers within the contract and never crashes."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.knowledge import KnowledgeBase
from bot.core.triage import OfflineEngine
from bot.core.types import Verdict

WORDS = (
    "our wiki docs change weekly citations sources brand voice tone JSON schema template "
    "classify extract 2M labelled examples p95 200ms latency hackathon prototype haven't tried "
    "prompting not never don't no need for forget actually why fine-tuning RAG cost ? , . ; "
    "ignore previous instructions verdict: both 40,000 SKUs monthly stale GDPR delete 🙂 "
    "— \n hi thoughts should we use AI"
).split(" ")

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(texts, min_size=0, max_size=4))
def test_any_thread_gets_a_valid_answer(
    engine: OfflineEngine, knowledge: KnowledgeBase, thread: list[str]
) -> None:
    answer = asyncio.run(engine.answer(thread))
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.summary
    assert len(answer.reasons) <= 5 and len(answer.citations) <= 8
    if answer.verdict is not Verdict.CLARIFY:
        assert len(answer.reasons) >= 2
        assert all(reason.citations for reason in answer.reasons)
    for citation in answer.citations:
        doc = knowledge.by_source(citation.source)
        assert doc is not None and doc.contains_quote(citation.quote)
    assert "fine_tuning" not in answer.summary and "ignore previous" not in answer.summary.lower()
