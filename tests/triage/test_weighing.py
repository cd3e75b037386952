"""The weighing: learned from labelled cases, saved beside them, and kept within the framework's
first steps when it decides."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import OfflineEngine
from bot.core.triage.analysis import RulesReader, read_thread
from bot.core.triage.decide import decide, score, why
from bot.core.triage.precedents import Precedents, Vote
from bot.core.triage.weighing import (
    FEATURES,
    FILE,
    Weighing,
    features,
    fingerprint,
    load_weighing,
    training_rows,
)
from bot.core.triage.wordmodel import VERDICTS
from bot.core.types import Verdict
from bot.evaluation import span_in_message
from bot.runtime import load_precedents
from bot.settings import PROJECT_ROOT

DOCS = (
    "A help-centre assistant over our product docs, which change every week; answers must link"
    " the page they came from."
)
TONE = (
    "Drafts must follow our four-part reply template and sound like our agents; we have 20k"
    " past replies."
)
UNTRIED = "We want to fine-tune a classifier for our tickets; we haven't tried prompting yet."


def _leaning(verdict: Verdict, strength: float = 6.0) -> Weighing:
    """A weighing that, whatever it reads, finds `verdict` by far the likeliest."""
    weights = np.zeros((len(FEATURES) + 1, len(VERDICTS)))
    weights[-1, VERDICTS.index(verdict)] = strength
    return Weighing(weights, cases=3)


def _vote() -> Vote:
    return Vote((), {Verdict.RAG: 1.0})


def test_the_saved_weighing_is_fitted_on_the_shipped_cases_and_this_code() -> None:
    folder = PROJECT_ROOT / "eval"
    precedents = load_precedents(folder)
    assert precedents is not None
    saved = Weighing.from_json((folder / FILE).read_text(encoding="utf-8"), fingerprint(precedents))
    assert saved is not None, "eval/weighing.json is stale: run `make calibrate` and commit it"
    assert saved.cases == len(precedents.cases)
    assert saved.word_model is not None and len(saved.word_model.vocabulary) > 1000


def test_fitting_is_deterministic_and_learns_which_needs_go_with_which_verdict() -> None:
    reader = RulesReader()
    rows = []
    for text, verdict in ((DOCS, Verdict.RAG), (TONE, Verdict.FINE_TUNING)):
        reading = reader.read([text])
        rows += [(features(reading, score(reading), Vote()), verdict)] * 3
    first, second = Weighing.fit(rows), Weighing.fit(rows)
    assert np.array_equal(first.weights, second.weights)
    for text, verdict in ((DOCS, Verdict.RAG), (TONE, Verdict.FINE_TUNING)):
        reading = reader.read([text])
        weighed = first.weigh(reading, score(reading), Vote())
        assert weighed.verdict is verdict
        assert abs(sum(weighed.probabilities.values()) - 1.0) < 1e-9
    tone = reader.read([TONE])
    reasons = first.explain(first.weigh(tone, score(tone), Vote()), Verdict.RAG)
    assert reasons and any(r.startswith(("format", "style", "behaviour score")) for r in reasons)


def test_a_weighing_fitted_on_other_cases_or_features_is_not_loaded(tmp_path: Path) -> None:
    weighing = _leaning(Verdict.RAG)
    text = weighing.to_json("abc")
    assert Weighing.from_json(text, "abc") is not None
    assert Weighing.from_json(text, "other") is None
    data = json.loads(text)
    data["features"] = data["features"][:-1]
    assert Weighing.from_json(json.dumps(data), "abc") is None


def test_without_a_saved_file_the_weighing_is_fitted_at_start_up(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    rows = [("d", DOCS, "rag"), ("t", TONE, "fine_tuning"), ("u", UNTRIED, "prompt_engineering")]
    cases.write_text(
        "".join(json.dumps({"id": i, "text": t, "expected": e}) + "\n" for i, t, e in rows)
    )
    precedents = Precedents.load([cases])
    weighing = load_weighing(precedents, RulesReader(), tmp_path)
    assert weighing.cases == 3
    assert len(training_rows(precedents, RulesReader())) == 3
    # Each case's own vote leaves the case out: no case is its own precedent.
    assert all(
        row[-len(VERDICTS) :].sum() <= 1.0 for row, _ in training_rows(precedents, RulesReader())
    )


def test_the_weighing_overrules_the_rules_and_says_why() -> None:
    reading = read_thread([DOCS])
    assert decide(reading).verdict is Verdict.RAG
    decision = decide(reading, _vote(), _leaning(Verdict.BOTH))
    assert decision.verdict is Verdict.BOTH and decision.overruled is Verdict.RAG
    assert decision.weighed is not None and decision.drivers
    lines = why(decision)
    assert any("weighing (learned from 3 labelled cases)" in line for line in lines)
    assert any("outweighed the rules' rag" in line for line in lines)
    # The framework's path is told to the rules' verdict, not to the one that overruled it.
    assert any(line.startswith("knowledge outweighs behaviour") for line in lines)
    assert not any(line.startswith("both sides matter") for line in lines)


def test_a_close_call_stays_with_the_rules() -> None:
    reading = read_thread([DOCS])
    close = _leaning(Verdict.BOTH, strength=0.05)  # both barely likelier than rag
    decision = decide(reading, _vote(), close)
    assert decision.verdict is Verdict.RAG and decision.overruled is None


@pytest.mark.parametrize(
    ("text", "stays"),
    [(UNTRIED, Verdict.PROMPT_ENGINEERING), ("thoughts?", Verdict.CLARIFY)],
)
def test_the_frameworks_first_steps_are_never_overruled(text: str, stays: Verdict) -> None:
    reading = read_thread([text])
    assert decide(reading).verdict is stays
    assert decide(reading, _vote(), _leaning(Verdict.RAG)).verdict is stays


async def test_a_weighed_answer_says_so_with_cited_reasons_in_the_users_words(
    knowledge: KnowledgeBase, index: LexicalIndex, phrases_path: Path, tmp_path: Path
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "t", "text": TONE, "expected": "fine_tuning"}) + "\n")
    engine = OfflineEngine(
        knowledge,
        index,
        phrases_path,
        precedents=Precedents.load([cases]),
        weighing=_leaning(Verdict.BOTH),
    )
    answer = await engine.answer([DOCS])
    assert answer.verdict is Verdict.BOTH
    assert answer.summary.startswith("Weighed the way 3 published projects were decided")
    assert "{" not in answer.summary and all("{" not in r.text for r in answer.reasons)
    assert all(r.evidence and r.citations for r in answer.reasons)
    assert all(span_in_message(s, [DOCS]) for r in answer.reasons for s in r.evidence)


def test_the_word_model_is_saved_with_the_weighing_and_names_its_words(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    rows = [
        (f"{b}-{i}", t, e)
        for i in range(3)
        for b, t, e in (("d", DOCS, "rag"), ("t", TONE, "fine_tuning"))
    ]
    cases.write_text(
        "".join(json.dumps({"id": i, "text": t, "expected": e}) + "\n" for i, t, e in rows)
    )
    precedents = Precedents.load([cases])
    weighing = Weighing.fit_on(precedents, RulesReader())
    assert weighing.word_model is not None and weighing.cases == 6
    loaded = Weighing.from_json(weighing.to_json("abc"), "abc")
    assert loaded is not None and loaded.word_model is not None
    reading = read_thread([TONE])
    first = weighing.weigh(reading, score(reading), Vote())
    again = loaded.weigh(reading, score(reading), Vote())
    assert first.verdict is again.verdict is Verdict.FINE_TUNING
    assert all(abs(first.probabilities[v] - again.probabilities[v]) < 1e-4 for v in VERDICTS)
    assert first.text == reading.text == " ".join(reading.texts)
    # Its own features name the words that leaned, each found in the message.
    loaded.weights[:] = 0.0
    loaded.weights[-1, VERDICTS.index(Verdict.FINE_TUNING)] = 10.0  # the bias
    loaded.weights[FEATURES.index("words fine_tuning"), VERDICTS.index(Verdict.FINE_TUNING)] = 5.0
    leaned = loaded.explain(loaded.weigh(reading, score(reading), Vote()), Verdict.RAG)
    assert leaned[0].startswith("words fine_tuning")
    words = [line for line in leaned if line.startswith("the words ")]
    said = TONE.lower().replace(";", "").split()
    named = [w.split('"')[1] for w in words[0].split(", ")] if words else []
    assert named and all(part in said for term in named for part in term.split())


def test_a_thread_that_turned_a_need_round_is_the_rules_to_read() -> None:
    took_back = [
        "We want a bot that drafts replies to customer emails from our knowledge base, with"
        " citations.",
        "actually, forget citations - agents paste the facts in. it's about tone: replies have"
        " to sound like our senior agents and our prompts haven't got there. 200k past replies.",
    ]
    tried = [
        "We want to fine-tune a model to tag our support tickets; we haven't tried prompting yet.",
        "update: we tried prompting with examples for two weeks and it still mislabels one in"
        " four. we have 30k labelled tickets.",
    ]
    assert read_thread(took_back).revised == {"citations"}
    assert read_thread(tried).revised == {"prompting"}
    assert read_thread(took_back[:1]).revised == frozenset()
    for thread in (took_back, tried):
        reading = read_thread(thread)
        rules = decide(reading).verdict
        decision = decide(reading, _vote(), _leaning(Verdict.BOTH))
        assert decision.verdict is rules is Verdict.FINE_TUNING and decision.overruled is None
        assert any("a need the thread turned round" in line for line in why(decision))
