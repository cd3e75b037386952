"""The reading schema's checks: each fact alone, leniently where a small model slips."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.core.types import Verdict
from bot.llm.schema import MAX_FACTS, ReadingOutput, normalize_passage_id, parse_verdict
from tests.llm.answers import fact


def test_a_bad_fact_is_dropped_and_counted_the_rest_kept() -> None:
    out = ReadingOutput.model_validate(
        {
            "facts": [
                fact("Changing", "weekly"),
                fact("behaviour-gap", "it rambles"),
                fact("sentiment", "weekly"),
                fact("style", ""),
                fact("format", "a table", state="maybe"),
                "not an object",
                {"dim": "jargon", "state": "yes"},
            ],
            "verdict": "rag",
        }
    )
    assert [(f.dim, f.state, f.quote) for f in out.facts] == [
        ("changing", "yes", "weekly"),
        ("behaviour_gap", "yes", "it rambles"),
    ]
    assert out.rejected == 5


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ('"updated weekly"', "updated weekly"),
        ("“updated weekly…”", "updated weekly"),
        ("&#39;we don&#39;t cite&#39;", "we don't cite"),
        ("  ...updated weekly.  ", "updated weekly"),
    ],
)
def test_quotes_lose_entities_and_the_quote_marks_round_them(given: str, expected: str) -> None:
    out = ReadingOutput.model_validate({"facts": [fact("changing", given)], "verdict": None})
    assert out.facts[0].quote == expected


@pytest.mark.parametrize(("given", "state"), [("Yes", "yes"), ("true", "yes"), ("NO", "no")])
def test_states_are_read_leniently(given: str, state: str) -> None:
    (read,) = ReadingOutput.model_validate({"facts": [fact("style", "x y", state=given)]}).facts
    assert read.state == state


def test_passage_ids_are_read_leniently() -> None:
    (read,) = ReadingOutput.model_validate(
        {"facts": [{**fact("style", "x y"), "ids": "[p2], P3 ; p2 doc#4 P5"}]}
    ).facts
    assert read.ids == ["P2", "P3", "doc#4"]
    assert normalize_passage_id('"p07"') == "P7"


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ("Fine-Tuning", Verdict.FINE_TUNING),
        ("prompting", Verdict.PROMPT_ENGINEERING),
        ("definitely_rag", None),
        (3, None),
        (None, None),
    ],
)
def test_a_verdict_outside_the_five_is_no_verdict(given: object, verdict: Verdict | None) -> None:
    assert parse_verdict(given) is verdict
    assert ReadingOutput.model_validate({"facts": [], "verdict": given}).verdict is verdict


@pytest.mark.parametrize("facts", [None, "none", {"dim": "style"}])
def test_facts_that_are_not_a_list_are_a_schema_violation(facts: object) -> None:
    with pytest.raises(ValidationError):
        ReadingOutput.model_validate({"facts": facts, "verdict": "rag"})


def test_at_most_max_facts_are_read() -> None:
    many = [fact("style", f"word{n} here") for n in range(MAX_FACTS + 5)]
    assert len(ReadingOutput.model_validate({"facts": many}).facts) == MAX_FACTS
