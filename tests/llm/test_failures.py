"""Failure is normal: every way the LLM can fail ends in the offline answer, on time."""

from __future__ import annotations

import time

import pytest

from bot import messages
from bot.core.types import Answer
from bot.observability import Metrics
from tests.llm.answers import PROJECT, structured
from tests.llm.conftest import BuildEngine, FakeClock
from tests.support.fake_openai import (
    FakeOpenAI,
    Reply,
    answer,
    content,
    error,
    hang,
    refusal,
    tool_call,
)
from tests.support.toolbox import counter


def assert_offline(result: Answer) -> None:
    assert result.engine == "offline"
    assert result.notice == messages.LLM_UNAVAILABLE
    assert result.reasons and all(r.citations for r in result.reasons)


async def test_http_500_gives_the_offline_answer_without_three_attempts(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics
) -> None:
    fake_openai.default = error(500)
    result = await build_engine().answer([PROJECT])

    assert_offline(result)
    assert 1 <= len(fake_openai.chat_requests) <= 2
    assert counter(metrics, "ragorft_llm_calls_total", outcome="error") == 1


async def test_a_model_slower_than_the_budget_is_abandoned_in_time(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics
) -> None:
    budget = 0.5
    fake_openai.push(hang())
    engine = build_engine(llm_timeout_seconds=budget)

    started = time.perf_counter()
    result = await engine.answer([PROJECT])
    elapsed = time.perf_counter() - started

    assert_offline(result)
    assert elapsed < budget + 0.5
    assert counter(metrics, "ragorft_llm_calls_total", outcome="timeout") == 1


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
@pytest.mark.parametrize(
    "reply",
    [
        content("}} this is {{ not json <|im_end|>"),
        tool_call('{"verdict": "rag", "confidence": 0.9, "summ'),
        answer(structured(facts="none")),
        answer(structured(facts={"dim": "changing"})),
        answer({"verdict": "rag"}),
        refusal(),
    ],
    ids=[
        "garbage",
        "partial-tool-call",
        "facts-not-a-list",
        "facts-an-object",
        "missing-fields",
        "refusal",
    ],
)
async def test_unusable_output_gives_the_offline_answer(
    mode: str, reply: Reply, fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics
) -> None:
    fake_openai.push(reply)
    result = await build_engine(llm_structured_output=mode).answer([PROJECT])

    assert_offline(result)
    assert counter(metrics, "ragorft_llm_calls_total", outcome="invalid") == 1
    assert len(fake_openai.chat_requests) == 1


async def test_prose_instead_of_a_tool_call_is_a_failure_not_an_answer(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics
) -> None:
    fake_openai.push(content("Great question! I would go with RAG here, because it is flexible."))
    result = await build_engine().answer([PROJECT])

    assert_offline(result)
    assert counter(metrics, "ragorft_llm_calls_total", outcome="invalid") == 1
    assert counter(metrics, "ragorft_llm_tokens_total", kind="input") == 321


async def test_circuit_opens_after_five_failures_then_a_trial_closes_it(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, metrics: Metrics, clock: FakeClock
) -> None:
    fake_openai.default = error(503)
    engine = build_engine()
    for _ in range(5):
        assert_offline(await engine.answer([PROJECT]))
    calls = len(fake_openai.chat_requests)
    assert engine.health()["circuit"] == "open"
    assert engine.health()["ok"] is False
    assert engine.health()["failures"] == 5

    assert_offline(await engine.answer([PROJECT]))
    assert len(fake_openai.chat_requests) == calls
    assert counter(metrics, "ragorft_llm_calls_total", outcome="circuit_open") == 1

    clock.advance(60)
    assert engine.health()["circuit"] == "half_open"
    fake_openai.push(answer(structured()))
    result = await engine.answer([PROJECT])
    assert result.engine == "llm"
    assert engine.health() | {"model": ""} == {
        "ok": True,
        "circuit": "closed",
        "failures": 0,
        "model": "",
        "embeddings": "off",
    }


async def test_a_failed_trial_opens_the_circuit_again(
    fake_openai: FakeOpenAI, build_engine: BuildEngine, clock: FakeClock
) -> None:
    fake_openai.default = content("not a tool call")
    engine = build_engine()
    for _ in range(5):
        await engine.answer([PROJECT])
    clock.advance(60)

    assert_offline(await engine.answer([PROJECT]))
    calls = len(fake_openai.chat_requests)
    assert engine.health()["circuit"] == "open"
    assert_offline(await engine.answer([PROJECT]))
    assert len(fake_openai.chat_requests) == calls
