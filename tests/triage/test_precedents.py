"""Precedents: the nearest labelled cases vote; a clear vote outweighs unsure rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import OfflineEngine
from bot.core.triage.analysis import read_thread
from bot.core.triage.decide import RULES_SURE, decide
from bot.core.triage.precedents import Neighbour, Precedent, Precedents, Vote
from bot.core.types import Verdict
from bot.errors import ConfigError
from bot.evaluation import span_in_message

CASES = [
    ("p1", "fine-tune on call transcripts scored by analysts, costs too high", "both"),
    ("p2", "score recorded sales calls on indicators, transcripts scored by our QA", "both"),
    ("p3", "call transcripts indicators scoring with a cheaper model", "both"),
    ("p4", "help centre bot over product docs that change weekly", "rag"),
]
VAGUE_SCORING = "we score recorded sales calls on indicators from the transcripts"


def _write(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "cases.jsonl"
    lines = [
        json.dumps({"id": i, "text": t, "expected": e, "note": f"note {i}"}) for i, t, e in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_nearest_cases_vote_and_a_case_is_never_its_own_precedent(tmp_path: Path) -> None:
    precedents = Precedents.load([_write(tmp_path, CASES)])
    vote = precedents.vote(VAGUE_SCORING)
    assert vote.top is Verdict.BOTH
    assert abs(sum(vote.shares.values()) - 1.0) < 1e-9
    assert [n.precedent.id for n in vote.neighbours][:1] == ["p2"]
    itself = precedents.vote(CASES[1][1], exclude=CASES[1][1])
    assert "p2" not in [n.precedent.id for n in itself.neighbours]
    assert precedents.vote("zzz qqq").top is None


def test_a_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "a", "text": "x", "expected": "rag"}\n{"id": "b", "text": "y"}\n')
    with pytest.raises(ConfigError, match=r"cases.jsonl:2 \(b\): missing field 'expected'"):
        Precedents.load([path])


def _vote(verdict: Verdict, share: float) -> Vote:
    case = Precedent("x", "text", verdict, note="Team X chose it")
    rest = Verdict.RAG if verdict is not Verdict.RAG else Verdict.BOTH
    other = Precedent("y", "text", rest)
    return Vote((Neighbour(case, 2.0), Neighbour(other, 1.0)), {verdict: share, rest: 1 - share})


def test_a_clear_vote_outweighs_unsure_rules_but_not_sure_ones() -> None:
    unsure = read_thread(["an assistant over our docs for the support team"])
    assert decide(unsure).confidence <= RULES_SURE
    overruled = decide(unsure, _vote(Verdict.FINE_TUNING, 0.8))
    assert overruled.verdict is Verdict.FINE_TUNING and overruled.overruled is Verdict.RAG
    assert decide(unsure, _vote(Verdict.FINE_TUNING, 0.5)).verdict is Verdict.RAG
    sure = read_thread(
        ["Support bot over 3,000 help articles that change weekly; answers must cite the source."]
    )
    assert decide(sure).confidence > RULES_SURE
    assert decide(sure, _vote(Verdict.FINE_TUNING, 0.9)).verdict is Verdict.RAG
    vague = read_thread(["thoughts?"])
    assert decide(vague, _vote(Verdict.RAG, 1.0)).verdict is Verdict.CLARIFY


async def test_an_overruled_answer_says_so_with_cited_reasons_and_the_users_words(
    tmp_path: Path, knowledge: KnowledgeBase, index: LexicalIndex, phrases_path: Path
) -> None:
    engine = OfflineEngine(
        knowledge, index, phrases_path, precedents=Precedents.load([_write(tmp_path, CASES)])
    )
    plain = OfflineEngine(knowledge, index, phrases_path)
    assert (await plain.answer([VAGUE_SCORING])).verdict is Verdict.FINE_TUNING
    answer = await engine.answer([VAGUE_SCORING])
    assert answer.verdict is Verdict.BOTH
    assert answer.summary.startswith("Teams who described projects much like yours")
    first = answer.reasons[0]
    assert "note p2" in first.text and first.citations
    assert all(span_in_message(s, [VAGUE_SCORING]) for s in first.evidence) and first.evidence
    assert answer.explanation is not None and answer.explanation.precedents[0].id == "p2"
    assert any("outweighed the rules" in line for line in answer.explanation.why)


def test_untried_prompting_is_not_overruled_by_look_alikes() -> None:
    untried = read_thread(
        ["We want to fine-tune a classifier for our tickets; we haven't tried prompting yet."]
    )
    assert decide(untried).verdict is Verdict.PROMPT_ENGINEERING
    assert decide(untried, _vote(Verdict.FINE_TUNING, 0.9)).verdict is Verdict.PROMPT_ENGINEERING


def test_a_described_project_no_rule_reads_can_still_get_the_precedents_verdict() -> None:
    long = read_thread(
        [
            "We are a mid sized company with many teams and lots of ideas about what to do next"
            " year, and we would like some help thinking about which direction makes sense for"
            " all of us here."
        ]
    )
    assert decide(long).verdict is Verdict.CLARIFY
    assert decide(long, _vote(Verdict.RAG, 0.8)).verdict is Verdict.RAG
    short = read_thread(["should we do ai for our docs thing?"])
    assert decide(short, _vote(Verdict.RAG, 1.0)).verdict is not Verdict.FINE_TUNING
    assert decide(read_thread(["thoughts?"]), _vote(Verdict.RAG, 1.0)).verdict is Verdict.CLARIFY
