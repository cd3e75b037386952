"""The user's facts on the LLM path (issue 16): given to the model as facts, not as their text,
and winning over the model's reading and the rules' alike."""

from __future__ import annotations

from bot.core.types import Fact
from tests.llm.answers import PROJECT, fact, messages_of, structured
from tests.llm.conftest import BuildEngine
from tests.support.fake_openai import FakeOpenAI, answer


async def test_facts_win_over_the_model_and_reach_it_as_given_facts(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured(facts=[fact("changing", "change weekly")])))
    given = [Fact("changing", "no", 1), Fact("format", "yes", 1)]
    result = await build_engine().answer([PROJECT], given)

    assert result.engine == "llm"
    read = {r.dimension: (r.state, r.source) for r in result.reading}
    assert read["changing"] == ("no", "user")  # the model read "yes"; the user said otherwise
    assert read["format"] == ("yes", "user")
    assert read["citations"][1] == "reader"
    prompt = messages_of(fake_openai.chat_requests[0])["user"]
    assert '<fact dim="changing" state="no"/>' in prompt
    assert '<fact dim="format" state="yes"/>' in prompt


async def test_without_facts_the_prompt_says_none(
    fake_openai: FakeOpenAI, build_engine: BuildEngine
) -> None:
    fake_openai.push(answer(structured()))
    await build_engine().answer([PROJECT])
    assert "<given_facts>" not in messages_of(fake_openai.chat_requests[0])["user"]
