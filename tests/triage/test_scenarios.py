"""The development scenarios: the verdict, and the answer's contract, for every one of them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.triage import OfflineEngine
from bot.core.types import Verdict
from tests.triage.conftest import load_scenarios

SCENARIOS = load_scenarios()


async def test_scenarios_cover_every_verdict_and_enough_cases() -> None:
    assert len(SCENARIOS) >= 40
    assert len({c["id"] for c in SCENARIOS}) == len(SCENARIOS)
    assert {c["expected"] for c in SCENARIOS} == {v.value for v in Verdict}
    assert sum(len(c["turns"]) > 1 for c in SCENARIOS) >= 10


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["id"] for c in SCENARIOS])
async def test_verdict(engine: OfflineEngine, case: dict[str, Any]) -> None:
    answer = await engine.answer(case["turns"])
    assert answer.verdict.value == case["expected"], answer.summary


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["id"] for c in SCENARIOS])
async def test_answer_contract(
    engine: OfflineEngine, knowledge: KnowledgeBase, case: dict[str, Any]
) -> None:
    answer = await engine.answer(case["turns"])
    assert answer.engine == "offline" and answer.thread is None and answer.turn == 1
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.summary and answer.summary[0].isupper()
    assert 2 <= len(answer.reasons) <= 5
    assert len(answer.citations) <= 8
    assert len(answer.follow_up_questions) <= 3
    ids = {c.id for c in answer.citations}
    for citation in answer.citations:
        doc = knowledge.by_source(citation.source)
        assert doc is not None and doc.title == citation.title
        assert doc.contains_quote(citation.quote), citation.quote
    for reason in answer.reasons:
        assert set(reason.citations) <= ids
        if answer.verdict is not Verdict.CLARIFY:
            assert reason.citations, reason.text
    assert {cid for r in answer.reasons for cid in r.citations} == ids
    if answer.verdict is Verdict.CLARIFY:
        assert answer.follow_up_questions
