"""The LLM engine's answers: structured output in, cited contract answer out."""

from __future__ import annotations

import pytest

from bot import messages
from bot.core.knowledge import KnowledgeBase
from bot.core.triage.dimensions import DIMENSIONS
from bot.core.types import Answer, Verdict
from bot.evaluation import span_in_message
from bot.observability import Metrics
from tests.llm.answers import PROJECT, messages_of, shown_passages, squash, structured
from tests.llm.conftest import MODEL, BuildEngine
from tests.support.fake_openai import FakeOpenAI, answer
from tests.support.toolbox import counter


def assert_grounded(
    result: Answer, knowledge: KnowledgeBase, thread: list[str] | None = None
) -> None:
    """Every reason cites a citation of the answer; every quote is verbatim in its article;
    with `thread`, every reason rests on words of the user's message its turn names."""
    ids = {c.id for c in result.citations}
    for reason in result.reasons:
        assert reason.citations and set(reason.citations) <= ids
        if thread is not None:
            assert reason.evidence, reason.text
            assert all(span_in_message(span, thread) for span in reason.evidence)
    for citation in result.citations:
        doc = knowledge.by_source(citation.source)
        assert doc is not None and doc.contains_quote(citation.quote)


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
async def test_structured_answer_becomes_a_cited_llm_answer(
    mode: str, fake_openai: FakeOpenAI, build_engine: BuildEngine, knowledge: KnowledgeBase
) -> None:
    fake_openai.push(answer(structured()))
    engine = build_engine(llm_structured_output=mode)

    result = await engine.answer([PROJECT])

    assert result.engine == "llm"
    assert result.notice is None
    assert result.verdict is Verdict.RAG
    assert result.confidence == 0.8
    assert len(result.reasons) == 2
    assert result.follow_up_questions == ["Must answers follow a fixed format or tone?"]
    assert_grounded(result, knowledge, [PROJECT])
    states = {item.dimension: item.state for item in result.reading}
    assert len(states) == len(DIMENSIONS) and "yes" in states.values()
    shown = shown_passages(fake_openai.chat_requests[0])
    first_reason_quotes = [result.citation(c) for c in result.reasons[0].citations]
    assert all(
        q is not None and squash(q.quote) in squash(shown["P1"]) for q in first_reason_quotes
    )


async def test_tools_mode_forces_the_function_and_json_schema_mode_uses_response_format(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured()), answer(structured()))
    await build_engine().answer([PROJECT])
    await build_engine(llm_structured_output="json_schema").answer([PROJECT])

    tools_body, schema_body = (r.body for r in fake_openai.chat_requests)
    assert tools_body["model"] == MODEL
    name = tools_body["tools"][0]["function"]["name"]
    assert tools_body["tool_choice"]["function"]["name"] == name
    assert "response_format" not in tools_body
    assert schema_body["response_format"]["type"] == "json_schema"
    assert "tools" not in schema_body
    schema = schema_body["response_format"]["json_schema"]["schema"]
    assert set(schema["required"]) == {
        "verdict",
        "confidence",
        "summary",
        "reasons",
        "follow_up_questions",
    }


async def test_output_is_normalised_clamped_and_bounded(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(
        answer(
            structured(
                verdict="Fine-Tuning",
                confidence=1.7,
                summary="word " * 400,
                follow_up_questions=[f"Question {n}?" for n in range(6)],
            )
        )
    )
    result = await build_engine().answer([PROJECT])

    assert result.engine == "llm"
    assert result.verdict is Verdict.FINE_TUNING
    assert result.confidence == 1.0
    assert len(result.summary) <= 600 and result.summary.endswith("…")
    assert len(result.follow_up_questions) == 3


async def test_invented_passage_ids_are_dropped_with_their_reasons(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, knowledge: KnowledgeBase
) -> None:
    reasons = [
        {"text": "Weekly changes need retrieval at query time.", "passage_ids": ["P77", "P1"]},
        {"text": "A reason backed by nothing the model was shown.", "passage_ids": ["P42"]},
        {"text": "Another made-up source.", "passage_ids": ["some-article#99"]},
    ]
    fake_openai.push(answer(structured(reasons=reasons)))
    result = await build_engine().answer([PROJECT])

    assert result.engine == "llm"
    assert [r.text for r in result.reasons] == ["Weekly changes need retrieval at query time."]
    assert_grounded(result, knowledge)
    shown = shown_passages(fake_openai.chat_requests[0])
    assert all(squash(c.quote) in squash(shown["P1"]) for c in result.citations)


async def test_only_invented_ids_means_the_offline_answer(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics
) -> None:
    reasons = [{"text": "Trust me.", "passage_ids": ["P99", "made-up#01"]}]
    fake_openai.push(answer(structured(reasons=reasons)))
    result = await build_engine().answer([PROJECT])

    assert result.engine == "offline"
    assert result.notice == messages.LLM_UNAVAILABLE
    assert result.reasons and all(r.citations for r in result.reasons)
    assert counter(metrics, "ragorft_llm_calls_total", outcome="invalid") == 1


async def test_clarify_may_come_without_reasons(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(
        answer(
            structured(
                verdict="clarify",
                confidence=0.2,
                summary="I need to know what the assistant should do before I can say.",
                reasons=[],
                follow_up_questions=["What will users ask it?", "Where does the data live?"],
            )
        )
    )
    result = await build_engine().answer(["hi there"])

    assert result.engine == "llm"
    assert result.verdict is Verdict.CLARIFY
    assert result.reasons == [] and result.citations == []
    assert len(result.follow_up_questions) == 2


async def test_the_whole_thread_is_sent_oldest_first(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured()))
    follow_up = "Why not fine-tuning on the articles instead?"
    result = await build_engine().answer([PROJECT, follow_up])

    assert result.engine == "llm"
    user = messages_of(fake_openai.chat_requests[0])["user"]
    assert user.index(squash(PROJECT)[:40]) < user.index(follow_up)
    assert f'<message n="2" newest="true">\n{follow_up}\n</message>' in user


async def test_tokens_and_calls_are_counted_and_health_reports_the_circuit(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics
) -> None:
    fake_openai.push(answer(structured(), usage=(1000, 120)), answer(structured(), usage=(900, 80)))
    engine = build_engine()
    await engine.answer([PROJECT])
    await engine.answer([PROJECT])

    assert counter(metrics, "ragorft_llm_tokens_total", kind="input") == 1900
    assert counter(metrics, "ragorft_llm_tokens_total", kind="output") == 200
    assert counter(metrics, "ragorft_llm_calls_total", outcome="ok") == 2
    assert engine.health() == {
        "ok": True,
        "circuit": "closed",
        "failures": 0,
        "model": MODEL,
        "embeddings": "off",
    }


async def test_azure_deployment_is_called_with_its_api_version(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured()))
    engine = build_engine(
        openai_base_url=None,
        openai_model=None,
        openai_api_key=None,
        azure_openai_endpoint=fake_openai.root,
        azure_openai_deployment="triage-prod",
        azure_openai_api_key="azure-key",
        openai_api_version="2024-10-21",
    )
    result = await engine.answer([PROJECT])

    assert result.engine == "llm"
    request = fake_openai.chat_requests[0]
    assert request.path == "/openai/deployments/triage-prod/chat/completions"
    assert request.query["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == "azure-key"
    assert engine.health()["model"] == "triage-prod"
