"""The LLM path: the model's reading in, checked against the user's words; the framework's
(or, by setting, the model's) verdict out, composed and cited like every answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import OfflineEngine
from bot.core.triage.dimensions import DIMENSIONS
from bot.core.triage.precedents import Precedent, Precedents
from bot.core.types import Answer, Verdict
from bot.evaluation import span_in_message
from bot.observability import Metrics
from tests.llm.answers import PROJECT, fact, messages_of, shown_passages, squash, structured
from tests.llm.conftest import MODEL, BuildEngine
from tests.support.fake_openai import FakeOpenAI, answer
from tests.support.toolbox import counter

# A project the rules read as knowledge only; a model that reads behaviour in it moves it.
SUPPORT = (
    "Support assistant over our 3,000 help articles, which change weekly. The agents wish the "
    "drafts read more like Priya's, and they keep reshuffling them into the reply layout."
)


def assert_grounded(result: Answer, knowledge: KnowledgeBase, thread: list[str]) -> None:
    """Every reason cites a citation of the answer, quoted verbatim from its article, and rests
    on words of the user's message its turn names."""
    ids = {c.id for c in result.citations}
    for reason in result.reasons:
        assert reason.citations and set(reason.citations) <= ids
        assert reason.evidence, reason.text
        assert all(span_in_message(span, thread) for span in reason.evidence)
    for citation in result.citations:
        doc = knowledge.by_source(citation.source)
        assert doc is not None and doc.contains_quote(citation.quote)
    for item in result.reading:
        assert all(span_in_message(span, thread) for span in item.evidence)


def states(result: Answer) -> dict[str, str]:
    return {item.dimension: item.state for item in result.reading}


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
async def test_the_models_reading_is_decided_by_the_framework_and_cited_by_the_bot(
    mode: str,
    fake_openai: FakeOpenAI,
    build_engine: BuildEngine,
    knowledge: KnowledgeBase,
    index: LexicalIndex,
    offline: OfflineEngine,
) -> None:
    rules_only = await offline.answer([SUPPORT])
    fake_openai.push(
        answer(
            structured(
                facts=[
                    fact("changing", "which change weekly", ids=["P1"]),
                    fact("style", "wish the drafts read more like Priya's"),
                    fact("format", "keep reshuffling them into the reply layout", ids=["P2"]),
                ],
                verdict="rag",
            )
        )
    )
    result = await build_engine(llm_structured_output=mode).answer([SUPPORT])

    assert result.engine == "llm" and result.notice is None
    assert rules_only.verdict is not Verdict.BOTH
    assert result.verdict is Verdict.BOTH  # the framework over the merged reading, not "rag"
    assert states(result)["style"] == "yes" and states(result)["format"] == "yes"
    assert len(states(result)) == len(DIMENSIONS)
    assert_grounded(result, knowledge, [SUPPORT])
    said = {span.text for r in result.reasons for span in r.evidence}
    assert "wish the drafts read more like Priya's" in said


async def test_the_schema_is_small_and_flat_and_asks_for_the_verdict_last(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured()), answer(structured()))
    await build_engine().answer([PROJECT])
    await build_engine(llm_structured_output="json_schema").answer([PROJECT])

    tools_body, schema_body = (r.body for r in fake_openai.chat_requests)
    assert tools_body["model"] == MODEL
    function = tools_body["tools"][0]["function"]
    assert tools_body["tool_choice"]["function"]["name"] == function["name"]
    assert "response_format" not in tools_body and "tools" not in schema_body
    schema = schema_body["response_format"]["json_schema"]["schema"]
    assert list(schema["properties"]) == ["facts", "verdict"]
    item = schema["properties"]["facts"]["items"]
    assert list(item["properties"]) == ["dim", "state", "quote", "ids"]
    assert item["properties"]["dim"]["enum"] == [d.name for d in DIMENSIONS]
    assert item["properties"]["state"]["enum"] == ["yes", "no"]
    assert list(function["parameters"]["properties"]) == ["facts", "verdict"]


async def test_quotes_not_in_the_messages_and_unknown_dimensions_are_dropped(
    fake_openai: FakeOpenAI,
    build_engine: BuildEngine,
    knowledge: KnowledgeBase,
    offline: OfflineEngine,
) -> None:
    rules_only = await offline.answer([PROJECT])
    fake_openai.push(
        answer(
            structured(
                facts=[
                    # invented words: dropped, and "changing" keeps the rules' "yes"
                    fact("changing", "the articles never change at all", state="no"),
                    fact("style", "our customers love a playful voice"),
                    fact("sentiment", "help articles that change weekly"),
                    fact("format", "agents can check them", state="maybe"),
                    {"dim": "jargon", "state": "yes"},
                ]
            )
        )
    )
    result = await build_engine().answer([PROJECT])

    assert result.engine == "llm"
    assert result.verdict is rules_only.verdict
    assert states(result) == states(rules_only)
    assert result.explanation is not None and result.explanation.model_reading == []
    assert_grounded(result, knowledge, [PROJECT])


async def test_one_sentence_pinned_to_many_dimensions_shows_none_of_them(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    """A small model that walks the list of dimensions with the same words is not reading."""
    sentence = "Support assistant over our 3,000 help articles, which change weekly"
    walked = [
        fact(dim, sentence, state=state)
        for dim, state in (("changing", "yes"), ("format", "no"), ("style", "yes"), ("skill", "no"))
    ]
    fake_openai.push(
        answer(structured(facts=[*walked, fact("style", "wish the drafts read more like Priya's")]))
    )
    result = await build_engine().answer([SUPPORT])

    assert result.explanation is not None
    assert [(i.dimension, i.evidence[0].text) for i in result.explanation.model_reading] == [
        ("style", "wish the drafts read more like Priya's")
    ]


async def test_a_model_that_reads_nothing_leaves_the_rules_reading(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, offline: OfflineEngine
) -> None:
    rules_only = await offline.answer([PROJECT])
    fake_openai.push(answer({"facts": [], "verdict": "fine_tuning"}))
    result = await build_engine().answer([PROJECT])

    assert result.engine == "llm" and result.notice is None
    assert result.verdict is rules_only.verdict is Verdict.RAG
    assert result.reading == rules_only.reading
    assert [r.text for r in result.reasons] == [r.text for r in rules_only.reasons]


async def test_a_passage_the_model_names_for_a_fact_is_cited_under_that_reason(
    fake_openai: FakeOpenAI,
    build_engine: BuildEngine,
    knowledge: KnowledgeBase,
    index: LexicalIndex,
) -> None:
    fake_openai.push(answer(structured(facts=[fact("changing", "change weekly", ids=["P3"])])))
    result = await build_engine().answer([PROJECT])

    shown = squash(shown_passages(fake_openai.chat_requests[0])["P3"]).rstrip("…")[:80]
    reason = next(r for r in result.reasons if any("weekly" in s.text for s in r.evidence))
    behind = {
        squash(p.text)[:80]
        for c in map(result.citation, reason.citations)
        if c is not None
        for p in index.passages
        if squash(c.quote) in squash(p.text)
    }
    assert shown in behind
    assert_grounded(result, knowledge, [PROJECT])


async def test_passage_ids_it_was_not_given_are_ignored(
    fake_openai: FakeOpenAI,
    build_engine: BuildEngine,
    knowledge: KnowledgeBase,
    offline: OfflineEngine,
) -> None:
    rules_only = await offline.answer([PROJECT])
    fake_openai.push(
        answer(
            structured(
                facts=[
                    fact("changing", "help articles that change weekly", ids=["P77", "doc#9"]),
                    fact("citations", "answers must cite the article", ids=["P404"]),
                ]
            )
        )
    )
    result = await build_engine().answer([PROJECT])

    assert result.engine == "llm"
    assert result.citations == rules_only.citations
    assert_grounded(result, knowledge, [PROJECT])


async def test_quotes_are_matched_as_typed_entities_and_quote_marks_aside(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    message = "We can't use the vendor's model as is: it doesn't know our part numbers."
    fake_openai.push(
        answer(
            structured(
                facts=[fact("missing", "&#39;it doesn&#39;t know our part numbers.&#39;")],
                verdict="rag",
            )
        )
    )
    result = await build_engine().answer([message])

    assert result.explanation is not None
    (missing,) = result.explanation.model_reading
    assert (missing.dimension, missing.state) == ("missing", "yes")
    assert [s.text for s in missing.evidence] == ["it doesn't know our part numbers"]


@pytest.mark.parametrize("decision", ["framework", "model"])
async def test_the_decision_setting_chooses_whose_verdict_is_given(
    decision: str, fake_openai: FakeOpenAI, build_engine: BuildEngine, knowledge: KnowledgeBase
) -> None:
    fake_openai.push(
        answer(
            structured(
                facts=[
                    fact("changing", "help articles that change weekly"),
                    fact("format", "answers must cite the article they come from"),
                ],
                verdict="fine_tuning",
            )
        )
    )
    result = await build_engine(llm_decision=decision).answer([PROJECT])

    assert result.engine == "llm"
    expected = Verdict.FINE_TUNING if decision == "model" else Verdict.RAG
    assert result.verdict is expected
    assert result.explanation is not None
    assert result.explanation.decided_by.startswith(decision)
    assert result.explanation.model_verdict is Verdict.FINE_TUNING
    assert result.reasons
    assert_grounded(result, knowledge, [PROJECT])
    if decision == "model":  # confidence from the reading, not the model: little backs it
        assert result.confidence < 0.6


async def test_a_model_verdict_the_reading_cannot_back_falls_back_to_the_framework(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured(verdict="fine_tuning")))
    result = await build_engine(llm_decision="model").answer([PROJECT])

    assert result.verdict is Verdict.RAG
    assert result.explanation is not None
    assert result.explanation.decided_by.startswith("framework: the model's fine_tuning")


async def test_examples_are_the_nearest_labelled_cases_never_the_thread_itself(
    fake_openai: FakeOpenAI,
    build_engine: BuildEngine,
    knowledge: KnowledgeBase,
    index: LexicalIndex,
    phrases_path: Path,
) -> None:
    cases = [
        Precedent("same", PROJECT, Verdict.RAG),
        Precedent(
            "near", "Help centre bot: 900 articles, updated weekly, cite the page.", Verdict.RAG
        ),
        Precedent(
            "far",
            "Classify invoices into 40 cost codes; we have 80k labelled.",
            Verdict.FINE_TUNING,
        ),
    ]
    offline = OfflineEngine(knowledge, index, phrases_path, precedents=Precedents(cases))
    fake_openai.push(answer(structured()))
    engine = build_engine(fallback=offline)
    await engine.answer([PROJECT])

    user = messages_of(fake_openai.chat_requests[0])["user"]
    assert "900 articles, updated weekly" in user
    examples = user[user.index("<example>") : user.rindex("</example>")]
    assert PROJECT not in examples
    reading = json.loads(examples.split("<reading>")[1].split("</reading>")[0])
    assert reading["verdict"] == "rag" and reading["facts"]
    assert all(f["quote"].lower() in cases[1].text.lower() for f in reading["facts"])


async def test_the_whole_thread_is_sent_oldest_first_and_quotes_find_their_turn(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    follow_up = "Also: the agents wish the replies read more like Priya's."
    fake_openai.push(
        answer(structured(facts=[fact("style", "wish the replies read more like Priya's")]))
    )
    result = await build_engine().answer([PROJECT, follow_up])

    user = messages_of(fake_openai.chat_requests[0])["user"]
    assert user.index(squash(PROJECT)[:40]) < user.index(follow_up)
    assert f'<message n="2" newest="true">\n{follow_up}\n</message>' in user
    style = next(i for i in result.reading if i.dimension == "style")
    assert [(s.turn, s.text) for s in style.evidence] == [
        (2, "wish the replies read more like Priya's")
    ]


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
