"""The eval runner: loading labelled files, the report's figures, and the project's own eval data.

A fake engine with fixed answers stands in for the real ones, so every expected figure below is
known in advance; the citation checks run against the real `knowledge/` articles.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.core.types import Answer, Citation, Fact, Reason, Span, Verdict
from bot.errors import UsageError
from bot.evaluation import (
    Case,
    CaseResult,
    EvalReport,
    ProgressReport,
    format_report,
    load_cases,
    report_json,
    run_eval,
)
from bot.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "eval"
SRC_000 = "knowledge/000-rag-or-fine-tuning-different-problems.md"
SRC_001 = "knowledge/001-rag-vs-fine-tuning-when-to-use-each.md"
SRC_004 = "knowledge/004-which-one-does-your-use-case-need.md"
REAL_QUOTE = "RAG solves the problem of missing information."
FORGED_QUOTE = "Fine-tuning is always the cheapest way to add new facts to a model."
BIO_QUOTE = (
    "Muhammad Hamd is an agentic AI engineer and systems builder based in Karachi, Pakistan."
)


def write_lines(tmp_path: Path, lines: Sequence[str]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def citation(cid: str, source: str, quote: str) -> Citation:
    return Citation(id=cid, source=source, title="t", quote=quote)


def answer(
    verdict: Verdict,
    citations: Sequence[Citation] = (),
    reasons: Sequence[Reason] | None = None,
) -> Answer:
    if reasons is None:
        reasons = [Reason(text="because", citations=[c.id for c in citations])]
    return Answer(
        verdict=verdict,
        confidence=0.7,
        summary="s",
        reasons=list(reasons),
        citations=list(citations),
    )


class FakeEngine:
    """Answers by the newest message; remembers every call so thread handling can be checked."""

    name = "fake"

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = answers
        self.calls: list[list[str]] = []

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        self.calls.append(list(messages))
        return self.answers[messages[-1]]


# ------------------------------------------------------------------------------------ loading


def test_load_cases_reads_messages_and_threads(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        [
            json.dumps({"id": "a", "text": "wiki bot", "expected": "rag", "note": "docs"}),
            "",
            json.dumps({"id": "b", "turns": ["hi", "a classifier"], "expected": "fine_tuning"}),
        ],
    )
    cases = load_cases(path)
    assert cases == [
        Case(id="a", turns=("wiki bot",), expected=Verdict.RAG, note="docs", line=1),
        Case(id="b", turns=("hi", "a classifier"), expected=Verdict.FINE_TUNING, line=3),
    ]


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        [
            json.dumps({"id": "a", "text": "x", "expected": "rag"}),
            json.dumps({"id": "b", "text": "y", "expected": "both"}),
            '{"id": "c", "text": "z", "expected": "rag"',
        ],
    )
    with pytest.raises(UsageError, match=r"cases\.jsonl:3: not valid JSON"):
        load_cases(path)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": "x", "expected": "rag"}, r":1: missing field 'id'"),
        ({"id": "a", "text": "x"}, r":1 \(a\): missing field 'expected'"),
        ({"id": "a", "expected": "rag"}, r"exactly one of 'text'"),
        ({"id": "a", "text": "x", "turns": ["x"], "expected": "rag"}, r"exactly one of 'text'"),
        ({"id": "a", "turns": [], "expected": "rag"}, r"'turns' must be a non-empty list"),
        ({"id": "a", "text": "  ", "expected": "rag"}, r"'text' must hold non-empty strings"),
        ({"id": "a", "text": "x", "expected": "RAG"}, r"unknown verdict 'RAG'"),
        ({"id": "a", "text": "x", "expected": "finetune"}, r"unknown verdict 'finetune'"),
    ],
)
def test_bad_case_is_a_usage_error(tmp_path: Path, record: object, message: str) -> None:
    path = write_lines(tmp_path, [json.dumps(record)])
    with pytest.raises(UsageError, match=message):
        load_cases(path)


def test_duplicate_ids_and_empty_and_missing_files_are_usage_errors(tmp_path: Path) -> None:
    row = json.dumps({"id": "a", "text": "x", "expected": "rag"})
    with pytest.raises(UsageError, match=r":2: duplicate id 'a' \(first on line 1\)"):
        load_cases(write_lines(tmp_path, [row, row]))
    with pytest.raises(UsageError, match="no cases"):
        load_cases(write_lines(tmp_path, ["", "  "]))
    with pytest.raises(UsageError, match="no such eval file"):
        load_cases(tmp_path / "absent.jsonl")


# ------------------------------------------------------------------------------ report maths


async def test_quotes_are_checked_against_the_named_article(knowledge: KnowledgeBase) -> None:
    cases = [Case(id="one", turns=("q",), expected=Verdict.RAG)]
    fixed = answer(
        Verdict.RAG,
        [citation("c1", SRC_000, REAL_QUOTE), citation("c2", SRC_001, FORGED_QUOTE)],
    )
    report = await run_eval(cases, FakeEngine({"q": fixed}), knowledge)

    assert (report.citations_total, report.citations_valid) == (2, 1)
    assert [c.valid for c in report.results[0].citations] == [True, False]
    assert report_json(report)["citations"] == {"total": 2, "valid": 1}


async def test_quote_from_wrong_article_unknown_source_or_bio_is_invalid(
    knowledge: KnowledgeBase,
) -> None:
    cites = [
        citation("c1", SRC_001, REAL_QUOTE),  # real sentence, but from article 000
        citation("c2", "knowledge/999-made-up.md", REAL_QUOTE),
        citation("c3", SRC_004, BIO_QUOTE),  # in the file, but in the author bio
        citation("c4", SRC_000, "RAG  solves the problem\nof missing   information."),
    ]
    report = await run_eval(
        [Case(id="x", turns=("q",), expected=Verdict.RAG)],
        FakeEngine({"q": answer(Verdict.RAG, cites)}),
        knowledge,
    )
    checks = report.results[0].citations
    assert [c.valid for c in checks] == [False, False, False, True]
    assert checks[1].problem == "unknown source"
    assert report.citations_valid == 1


async def test_wrong_verdict_lands_in_confusion_table_and_misses(knowledge: KnowledgeBase) -> None:
    cases = [
        Case(id="hit", turns=("a",), expected=Verdict.RAG),
        Case(id="miss", turns=("b",), expected=Verdict.RAG),
        Case(id="pe", turns=("c",), expected=Verdict.PROMPT_ENGINEERING),
    ]
    good = [citation("c1", SRC_000, REAL_QUOTE)]
    engine = FakeEngine(
        {
            "a": answer(Verdict.RAG, good),
            "b": answer(Verdict.FINE_TUNING, good),
            "c": answer(Verdict.PROMPT_ENGINEERING, good),
        }
    )
    report = await run_eval(cases, engine, knowledge)

    assert report.n == 3
    assert report.correct == 2
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.confusion[Verdict.RAG] == {
        Verdict.RAG: 1,
        Verdict.FINE_TUNING: 1,
        Verdict.BOTH: 0,
        Verdict.PROMPT_ENGINEERING: 0,
        Verdict.CLARIFY: 0,
    }
    assert report.confusion[Verdict.PROMPT_ENGINEERING][Verdict.PROMPT_ENGINEERING] == 1
    assert sum(sum(row.values()) for row in report.confusion.values()) == 3
    assert [r.case.id for r in report.misses] == ["miss"]


async def test_threads_pass_every_turn_oldest_first(knowledge: KnowledgeBase) -> None:
    engine = FakeEngine({"why not fine-tuning?": answer(Verdict.CLARIFY, reasons=[])})
    case = Case(id="t", turns=("first", "second", "why not fine-tuning?"), expected=Verdict.RAG)
    await run_eval([case], engine, knowledge)
    assert engine.calls == [["first", "second", "why not fine-tuning?"]]


async def test_reasons_must_cite_an_existing_citation_except_for_clarify(
    knowledge: KnowledgeBase,
) -> None:
    cite = [citation("c1", SRC_000, REAL_QUOTE)]
    reasons = [
        Reason(text="backed", citations=["c1"]),
        Reason(text="dangling", citations=["c9"]),
        Reason(text="bare", citations=[]),
    ]
    engine = FakeEngine(
        {
            "rag": answer(Verdict.RAG, cite, reasons),
            "clarify": answer(Verdict.CLARIFY, [], [Reason(text="tell me more")]),
        }
    )
    cases = [
        Case(id="r", turns=("rag",), expected=Verdict.RAG),
        Case(id="c", turns=("clarify",), expected=Verdict.CLARIFY),
    ]
    report = await run_eval(cases, engine, knowledge)

    assert (report.reasons_cited, report.reasons_total) == (1, 3)
    assert report.results[0].reason_problems == (
        "reason 2 cites unknown id(s) c9",
        "reason 3 has no citation",
    )
    assert report.results[1].reason_problems == ()


async def test_engine_error_names_the_case(knowledge: KnowledgeBase) -> None:
    class Broken:
        name = "broken"

        async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom") as info:
        await run_eval(
            [Case(id="c7", turns=("x",), expected=Verdict.RAG, line=7)], Broken(), knowledge
        )
    assert "while evaluating case 'c7' (line 7)" in info.value.__notes__


class Gated:
    """Answers only when the test opens a case's gate, so cases finish in any order it likes;
    counts how many are in flight at once."""

    name = "gated"

    def __init__(self, verdicts: Mapping[str, Verdict]) -> None:
        self.verdicts = verdicts
        self.gates = {text: asyncio.Event() for text in verdicts}
        self.begun = {text: asyncio.Event() for text in verdicts}
        self.in_flight = self.most_in_flight = 0

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        self.begun[messages[-1]].set()
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await self.gates[messages[-1]].wait()
        self.in_flight -= 1
        return answer(self.verdicts[messages[-1]])


async def test_concurrency_runs_cases_at_once_and_keeps_their_order(
    knowledge: KnowledgeBase,
) -> None:
    texts = [f"case {n}" for n in range(6)]
    verdicts = {t: list(Verdict)[n % 5] for n, t in enumerate(texts)}
    cases = [Case(id=f"c{n}", turns=(t,), expected=verdicts[t]) for n, t in enumerate(texts)]
    engine = Gated(verdicts)
    seen: list[tuple[str, int, int]] = []
    run = asyncio.create_task(
        run_eval(
            cases,
            engine,
            knowledge,
            concurrency=3,
            progress=lambda r, done, total: seen.append((r.case.id, done, total)),
        )
    )
    # Finish out of order: each released case lets the next one start.
    for n in (2, 1, 0, 5, 4, 3):
        await asyncio.wait_for(engine.begun[texts[n]].wait(), timeout=5)
        engine.gates[texts[n]].set()
    report = await run

    assert engine.most_in_flight == 3
    assert [r.case.id for r in report.results] == [c.id for c in cases]
    assert [r.verdict for r in report.results] == [verdicts[t] for t in texts]
    assert [(done, total) for _, done, total in seen] == [(n, 6) for n in range(1, 7)]
    assert [case for case, _, _ in seen] == ["c2", "c1", "c0", "c5", "c4", "c3"]


async def test_concurrency_below_one_is_a_usage_error(knowledge: KnowledgeBase) -> None:
    with pytest.raises(UsageError, match="concurrency"):
        await run_eval([], FakeEngine({}), knowledge, concurrency=0)


def test_progress_without_a_terminal_is_a_plain_line_now_and_then() -> None:
    stream = io.StringIO()
    now = [0.0]
    progress = ProgressReport(5, stream, clock=lambda: now[0])
    case = Case(id="x", turns=("t",), expected=Verdict.RAG)
    result = CaseResult(case, answer(Verdict.RAG), (), 0, 0, ())
    for step in range(5):
        now[0] = 10.0 * (step + 1)
        progress(result, step + 1, 5)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "eval: case 1/5, accuracy 1.00 so far, 10s elapsed, about 40s left"
    assert lines[1].startswith("eval: case 4/5")  # 30 s after the first line
    assert lines[-1] == "eval: case 5/5, accuracy 1.00 so far, 50s elapsed, about 0s left"
    assert len(lines) == 3


# --------------------------------------------------------------------------------- rendering


async def _two_case_report(knowledge: KnowledgeBase) -> EvalReport:
    cases = [
        Case(id="ok-case", turns=("a",), expected=Verdict.BOTH),
        Case(id="wrong-case", turns=("b",), expected=Verdict.CLARIFY),
    ]
    engine = FakeEngine(
        {
            "a": answer(Verdict.BOTH, [citation("c1", SRC_000, REAL_QUOTE)]),
            "b": answer(Verdict.RAG, [citation("c1", SRC_001, FORGED_QUOTE)]),
        }
    )
    return await run_eval(cases, engine, knowledge)


async def test_report_json_has_the_contract_shape(knowledge: KnowledgeBase) -> None:
    report = await _two_case_report(knowledge)
    data = report_json(report)

    assert set(data) == {"accuracy", "n", "cases", "confusion", "citations", "evidence"}
    assert data["accuracy"] == 0.5
    assert data["n"] == 2
    assert [set(c) for c in data["cases"]] == [{"id", "expected", "verdict", "ok", "answer"}] * 2
    second = data["cases"][1]
    assert (second["id"], second["expected"], second["verdict"], second["ok"]) == (
        "wrong-case",
        "clarify",
        "rag",
        False,
    )
    assert second["answer"] == report.results[1].answer.model_dump(mode="json")
    assert data["confusion"]["clarify"] == {
        "rag": 1,
        "fine_tuning": 0,
        "both": 0,
        "prompt_engineering": 0,
        "clarify": 0,
    }
    assert set(data["confusion"]) == {v.value for v in Verdict}
    assert data["citations"] == {"total": 2, "valid": 1}
    assert json.loads(json.dumps(data)) == data


async def test_format_report_shows_figures_table_and_misses(knowledge: KnowledgeBase) -> None:
    text = format_report(await _two_case_report(knowledge))
    lines = text.splitlines()

    assert "Accuracy: 1/2 (50.0%)" in lines
    assert "Citations: 1/2 quotes valid (50.0%)" in lines
    header = lines.index("Confusion (rows: expected, columns: got)")
    table = lines[header + 1 : header + 2 + len(Verdict)]
    assert table[0].split() == ["expected", "\\", "got", *(v.value for v in Verdict), "total"]
    assert len({len(row) for row in table}) == 1, "columns are aligned"
    assert table[5].split() == ["clarify", "1", "0", "0", "0", "0", "1"]
    misses = lines.index("Misses (1):")
    assert lines[misses + 2].split() == ["wrong-case", "clarify", "rag"]
    assert any("wrong-case" in line and "quote not found" in line for line in lines)


# ------------------------------------------------------------------------ the project's data


@pytest.mark.parametrize("name", ["scenarios.jsonl", "threads.jsonl"])
def test_eval_files_parse_and_cover_every_verdict(name: str) -> None:
    cases = load_cases(EVAL_DIR / name)
    assert {c.expected for c in cases} == set(Verdict)
    assert all(c.note for c in cases), "every label says why"


def test_scenarios_are_single_messages_with_a_spread_of_verdicts() -> None:
    cases = load_cases(EVAL_DIR / "scenarios.jsonl")
    assert len(cases) >= 70
    assert all(len(c.turns) == 1 for c in cases)
    for verdict in Verdict:
        assert sum(c.expected == verdict for c in cases) >= 10, verdict


def test_threads_are_multi_turn() -> None:
    cases = load_cases(EVAL_DIR / "threads.jsonl")
    assert len(cases) >= 10
    assert all(len(c.turns) >= 2 for c in cases)


async def test_evidence_must_be_the_users_words_of_the_turn_it_names(
    knowledge: KnowledgeBase,
) -> None:
    cite = [citation("c1", SRC_000, REAL_QUOTE)]
    reasons = [
        Reason(text="a", citations=["c1"], evidence=[Span(turn=2, text="Prices CHANGE  weekly")]),
        Reason(text="b", citations=["c1"], evidence=[Span(turn=1, text="prices change weekly")]),
        Reason(text="c", citations=["c1"], evidence=[Span(turn=3, text="anything")]),
        Reason(text="d", citations=["c1"]),
    ]
    engine = FakeEngine({"prices change weekly": answer(Verdict.RAG, cite, reasons)})
    case = Case(id="e", turns=("our docs", "prices change weekly"), expected=Verdict.RAG)
    report = await run_eval([case], engine, knowledge)

    assert (report.spans_valid, report.spans_total) == (1, 3)
    assert (report.reasons_grounded, report.reasons_total) == (3, 4)
    assert report.results[0].evidence_problems == (
        "reason 2: evidence not in turn 1: 'prices change weekly'",
        "reason 3: evidence not in turn 3: 'anything'",
        "reason 4 has no evidence from the user's words",
    )
    assert "Evidence: 1/3 spans verbatim" in format_report(report)
