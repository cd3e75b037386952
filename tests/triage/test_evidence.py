"""The reading behind an answer: the user's own words, copied verbatim, and wording that never
names a thing the user did not say was the subject of a need."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import OfflineEngine
from bot.core.triage.analysis import read_thread
from bot.core.triage.dimensions import DIMENSIONS, check_registry
from bot.core.triage.text import verbatim
from bot.core.types import Verdict
from bot.errors import ConfigError
from bot.evaluation import span_in_message
from bot.settings import PROJECT_ROOT

EVAL_FILES = ("scenarios.jsonl", "threads.jsonl", "cases_public.jsonl")


def _threads() -> list[tuple[str, list[str]]]:
    out = []
    for name in EVAL_FILES:
        for line in (PROJECT_ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                out.append((case["id"], case.get("turns") or [case["text"]]))
    return out


async def test_every_reason_rests_on_verbatim_words_of_the_user(engine: OfflineEngine) -> None:
    threads = _threads()
    assert len(threads) > 100
    for case_id, turns in threads:
        answer = await engine.answer(turns)
        spans = [s for item in answer.reading for s in item.evidence]
        for reason in answer.reasons:
            if answer.verdict is not Verdict.CLARIFY:
                assert reason.evidence, (case_id, reason.text)
            spans += reason.evidence
        for span in spans:
            assert span_in_message(span, turns), (case_id, span)


async def test_the_reading_lists_every_dimension(engine: OfflineEngine) -> None:
    answer = await engine.answer(["Bot over our wiki, which changes weekly. No citations needed."])
    states = {item.dimension: item.state for item in answer.reading}
    assert list(states) == [d.name for d in DIMENSIONS]
    assert states["changing"] == "yes" and states["citations"] == "no"
    assert states["format"] == "unknown"
    changing = next(i for i in answer.reading if i.dimension == "changing")
    assert changing.evidence[0].turn == 1 and "changes weekly" in changing.evidence[0].text


def test_evidence_is_copied_as_typed_not_as_normalised() -> None:
    message = "We sell **40,000 SKUs** and prices are Updated Monthly."
    reading = read_thread([message])
    texts = [s.text for need in reading.needs.values() for s in need.evidence]
    assert any("40,000 SKUs" in t for t in texts), texts
    assert any("Updated Monthly" in t for t in texts), texts
    assert all(t in message for t in texts)


def test_evidence_names_the_turn_it_came_from() -> None:
    reading = read_thread(["Assistant over our HR policies.", "they get revised every quarter"])
    (span,) = reading.evidence("changing")[:1]
    assert span.turn == 2 and span.text == "they get revised every quarter"


@pytest.mark.parametrize(
    ("raw", "fragment", "expected"),
    [
        ("Prices change **weekly**", "prices change weekly", "Prices change **weekly"),
        ("We don’t need sources", "we don't need sources", "We don’t need sources"),
        ("about 12,500 PDFs", "12500 pdfs", "12,500 PDFs"),
        ("nothing here", "prices change weekly", None),
    ],
)
def test_verbatim_finds_the_typed_words(raw: str, fragment: str, expected: str | None) -> None:
    assert verbatim(raw, fragment) == expected


async def test_a_reason_does_not_name_the_input_as_the_thing_that_changes(
    engine: OfflineEngine,
) -> None:
    answer = await engine.answer(
        [
            "Our legal team wants a contract review assistant that flags non-standard clauses"
            " against our playbook of 300 clause positions, which gets revised every quarter."
        ]
    )
    changing = [r for r in answer.reasons if "every quarter" in r.text]
    assert changing, [r.text for r in answer.reasons]
    assert "contract" not in changing[0].text.lower()
    assert changing[0].text.startswith("Your playbook changes every quarter")
    assert any("playbook" in s.text and "every quarter" in s.text for s in changing[0].evidence)
    sources = [r for r in answer.reasons if r.text.startswith("The answers live in")]
    assert sources and "playbook" in sources[0].text


async def test_a_reason_does_not_invent_the_users_source(engine: OfflineEngine) -> None:
    answer = await engine.answer(
        ["An internal helpdesk bot for HR questions over our policy handbook"]
    )
    for reason in answer.reasons:
        assert "help articles" not in reason.text, reason.text
    assert any("your handbook" in r.text for r in answer.reasons)


async def test_an_unnamed_subject_is_worded_neutrally(engine: OfflineEngine) -> None:
    answer = await engine.answer(["a bot for our support team; it all gets revised every month"])
    changing = next(r for r in answer.reasons if "every month" in r.text)
    assert changing.text.startswith("Your content changes every month")


@pytest.mark.parametrize(
    ("message", "said", "never"),
    [
        # a count the user gave in words is said back in their words, not as a number
        (
            "classify tickets into our 40 categories; we have thousands of labelled tickets",
            "you have thousands of labelled tickets to train on",
            "2,000",
        ),
        # words that name no thing ("paired with") are not said back as if they did
        (
            "classify claims as fraud or not; the records are paired with the outcome"
            " investigators assigned",
            "you have labelled examples to train on",
            "paired with to train",
        ),
        # the user's "our" is the bot's "your"
        (
            "classify chats by intent; we have 11,000 conversations from our best agents",
            "conversations from your best agents",
            "from our best agents",
        ),
    ],
)
async def test_the_users_thing_is_said_back_as_a_noun_they_gave(
    engine: OfflineEngine, message: str, said: str, never: str
) -> None:
    answer = await engine.answer([message])
    words = " ".join([answer.summary, *(r.text for r in answer.reasons)])
    assert said in words.lower()
    assert never not in words


def test_a_rule_naming_an_unknown_dimension_stops_start_up() -> None:
    with pytest.raises(ConfigError, match="tone_of_voice"):
        check_registry([("style.x", "tone_of_voice")], {"dimensions": {}, "prompt_first": {}})


def test_a_dimension_without_wording_stops_start_up(
    tmp_path: Path, phrases_path: Path, knowledge: KnowledgeBase, index: LexicalIndex
) -> None:
    broken = tmp_path / "phrases.yaml"
    text = phrases_path.read_text(encoding="utf-8")
    broken.write_text(text.replace("\n  jargon:\n", "\n  jargon_x:\n", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="jargon"):
        OfflineEngine(knowledge, index, broken)
