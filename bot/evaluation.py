"""Score an engine against labelled scenarios: the runner behind `rag-or-ft eval` (CONTRACT §2).

Why: a verdict is only useful if it is right and its reasons are backed by real quotes. The
runner measures both on the same files for any engine (offline rules, LLM agent, a test fake):
accuracy and a confusion table for the verdicts, and for the citations whether every quote is
really in the article its `source` names and whether every reason of a non-`clarify` answer
points at a citation that exists. The user's side is checked the same way: every evidence span
(of a reason or of the reading) must be the words of the message its `turn` names, and every
reason of a non-`clarify` answer must rest on at least one. It only reads files and calls the
engine it is given.

An eval file is JSON Lines in the format of `bot.core.cases` (the offline engine reads the same
files as precedents).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from bot.core.cases import VERDICTS, Case, load_cases
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase
from bot.core.types import Answer, Span, Verdict
from bot.errors import UsageError

__all__ = ["VERDICTS", "Case", "load_cases"]  # the case format lives in bot.core.cases


@dataclass(frozen=True, slots=True)
class CitationCheck:
    """Whether one citation's quote is verbatim in the document its `source` names."""

    citation_id: str
    source: str
    valid: bool
    problem: str = ""


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The engine's answer to one case and what was wrong with its verdict or evidence."""

    case: Case
    answer: Answer
    citations: tuple[CitationCheck, ...]
    reasons_checked: int
    reasons_cited: int
    reason_problems: tuple[str, ...]
    spans_total: int = 0
    spans_valid: int = 0
    reasons_grounded: int = 0
    evidence_problems: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        return self.answer.verdict

    @property
    def ok(self) -> bool:
        return self.answer.verdict == self.case.expected


@dataclass(frozen=True, slots=True)
class EvalReport:
    """All results of one run; every figure is derived from them, so nothing can drift apart."""

    results: tuple[CaseResult, ...]
    engine: str = ""

    @property
    def n(self) -> int:
        return len(self.results)

    @property
    def correct(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def confusion(self) -> dict[Verdict, dict[Verdict, int]]:
        """Counts by expected verdict (rows) and the engine's verdict (columns), all verdicts."""
        table = {expected: dict.fromkeys(VERDICTS, 0) for expected in VERDICTS}
        for result in self.results:
            table[result.case.expected][result.verdict] += 1
        return table

    @property
    def citations_total(self) -> int:
        return sum(len(r.citations) for r in self.results)

    @property
    def citations_valid(self) -> int:
        return sum(c.valid for r in self.results for c in r.citations)

    @property
    def reasons_total(self) -> int:
        return sum(r.reasons_checked for r in self.results)

    @property
    def reasons_cited(self) -> int:
        return sum(r.reasons_cited for r in self.results)

    @property
    def spans_total(self) -> int:
        return sum(r.spans_total for r in self.results)

    @property
    def spans_valid(self) -> int:
        return sum(r.spans_valid for r in self.results)

    @property
    def reasons_grounded(self) -> int:
        return sum(r.reasons_grounded for r in self.results)

    @property
    def misses(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.ok)


Progress = Callable[[CaseResult, int, int], None]
"""Called as each case finishes: its result, how many are done, how many there are."""


async def run_eval(
    cases: Sequence[Case],
    engine: Engine,
    knowledge: KnowledgeBase,
    *,
    concurrency: int = 1,
    progress: Progress | None = None,
) -> EvalReport:
    """Ask `engine` about each case (a thread's turns all at once, oldest first) and check the
    answers against `knowledge`. By default cases run one after another, so that an LLM
    engine's rate limits and a stateful engine's order are respected; `concurrency` runs that
    many at once (a hosted model), the results in the cases' order whatever it is. An engine
    error stops the run, noting the case."""
    if concurrency < 1:
        raise UsageError("eval: --concurrency must be at least 1")
    slots = asyncio.Semaphore(concurrency)
    results: list[CaseResult | None] = [None] * len(cases)
    done = 0

    async def one(i: int, case: Case) -> None:
        nonlocal done
        async with slots:
            try:
                answer = await engine.answer(list(case.turns))
            except Exception as exc:
                exc.add_note(f"while evaluating case {case.id!r} (line {case.line})")
                raise
        results[i] = result = _check(case, answer, knowledge)
        done += 1
        if progress is not None:
            progress(result, done, len(cases))

    try:
        async with asyncio.TaskGroup() as group:
            for i, case in enumerate(cases):
                group.create_task(one(i, case))
    except BaseExceptionGroup as group_error:
        raise group_error.exceptions[0] from None
    return EvalReport(results=tuple(r for r in results if r is not None), engine=engine.name)


PLAIN_EVERY_SECONDS = 30.0
"""Without a terminal, a progress line at most this often (and for the first and last case)."""


class ProgressReport:
    """`eval`'s progress on stderr: a tqdm bar on a terminal, else a plain line now and then —
    case i of N, running accuracy, elapsed and remaining time. Never on stdout (`--json`)."""

    def __init__(self, total: int, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.last_line = -PLAIN_EVERY_SECONDS
        self.ok = 0
        self.bar: Any = None
        if stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=stream, unit="case", dynamic_ncols=True)

    def __call__(self, result: CaseResult, done: int, total: int) -> None:
        self.ok += result.ok
        accuracy = self.ok / done
        if self.bar is not None:
            self.bar.set_postfix_str(f"accuracy {accuracy:.2f}", refresh=False)
            self.bar.update(1)
            return
        now = self.clock()
        elapsed = now - self.started
        if done not in (1, total) and now - self.last_line < PLAIN_EVERY_SECONDS:
            return
        self.last_line = now
        left = elapsed / done * (total - done)
        print(
            f"eval: case {done}/{total}, accuracy {accuracy:.2f} so far, "
            f"{_duration(elapsed)} elapsed, about {_duration(left)} left",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _check(case: Case, answer: Answer, knowledge: KnowledgeBase) -> CaseResult:
    checks = tuple(_check_citation(c.id, c.source, c.quote, knowledge) for c in answer.citations)
    known = {c.id for c in answer.citations}
    problems: list[str] = []
    unfounded: list[str] = []
    checked = cited = grounded = 0
    spans = [(f"reason {n}", s) for n, r in enumerate(answer.reasons, 1) for s in r.evidence]
    spans += [(f"reading {item.dimension}", s) for item in answer.reading for s in item.evidence]
    valid_spans = 0
    for where, span in spans:
        if span_in_message(span, case.turns):
            valid_spans += 1
        else:
            unfounded.append(f"{where}: evidence not in turn {span.turn}: {span.text[:60]!r}")
    for number, reason in enumerate(answer.reasons, start=1):
        unknown = [cid for cid in reason.citations if cid not in known]
        if unknown:
            problems.append(f"reason {number} cites unknown id(s) {', '.join(unknown)}")
        if answer.verdict == Verdict.CLARIFY:
            continue  # a request for detail has nothing to cite (CONTRACT §1)
        checked += 1
        if any(cid in known for cid in reason.citations):
            cited += 1
        elif not reason.citations:
            problems.append(f"reason {number} has no citation")
        if reason.evidence or reason.set_by_user:
            grounded += 1
        else:
            unfounded.append(f"reason {number} has no evidence from the user's words")
    return CaseResult(
        case=case,
        answer=answer,
        citations=checks,
        reasons_checked=checked,
        reasons_cited=cited,
        reason_problems=tuple(problems),
        spans_total=len(spans),
        spans_valid=valid_spans,
        reasons_grounded=grounded,
        evidence_problems=tuple(unfounded),
    )


def span_in_message(span: Span, messages: Sequence[str]) -> bool:
    """Whether the span's text is in the message its turn names, whitespace and case aside."""
    if not 1 <= span.turn <= len(messages) or not span.text.strip():
        return False
    return _flat(span.text) in _flat(messages[span.turn - 1])


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_citation(cid: str, source: str, quote: str, knowledge: KnowledgeBase) -> CitationCheck:
    document = knowledge.by_source(source)
    if document is None:
        return CitationCheck(cid, source, valid=False, problem="unknown source")
    if not document.contains_quote(quote):
        return CitationCheck(cid, source, valid=False, problem="quote not found in citable text")
    return CitationCheck(cid, source, valid=True)


def report_json(report: EvalReport) -> dict[str, Any]:
    """CONTRACT §2's `--json` object, plus `confusion` and `citations` for dashboards and CI."""
    return {
        "accuracy": report.accuracy,
        "n": report.n,
        "cases": [
            {
                "id": r.case.id,
                "expected": r.case.expected.value,
                "verdict": r.verdict.value,
                "ok": r.ok,
                "answer": r.answer.model_dump(mode="json"),
            }
            for r in report.results
        ],
        "confusion": {
            expected.value: {got.value: count for got, count in row.items()}
            for expected, row in report.confusion.items()
        },
        "citations": {"total": report.citations_total, "valid": report.citations_valid},
        "evidence": {
            "spans": report.spans_total,
            "valid": report.spans_valid,
            "reasons_grounded": report.reasons_grounded,
            "reasons": report.reasons_total,
        },
    }


def format_report(report: EvalReport) -> str:
    """A plain-text report for a terminal or a CI log: the figures first, then what to fix."""
    engine = f", engine {report.engine}" if report.engine else ""
    lines = [
        f"Evaluated {report.n} case(s){engine}",
        f"Accuracy: {report.correct}/{report.n} ({_percent(report.correct, report.n)})",
        "",
        "Confusion (rows: expected, columns: got)",
        *_table(report.confusion),
        "",
        f"Citations: {report.citations_valid}/{report.citations_total} quotes valid "
        f"({_percent(report.citations_valid, report.citations_total)})",
        f"Reasons: {report.reasons_cited}/{report.reasons_total} of non-clarify answers cite "
        "an existing citation",
        f"Evidence: {report.spans_valid}/{report.spans_total} spans verbatim in the user's words "
        f"({_percent(report.spans_valid, report.spans_total)}); "
        f"{report.reasons_grounded}/{report.reasons_total} reasons rest on one",
    ]
    misses = report.misses
    if misses:
        lines += ["", f"Misses ({len(misses)}):"]
        lines += _columns(
            [("id", "expected", "got")]
            + [(r.case.id, r.case.expected.value, r.verdict.value) for r in misses]
        )
    else:
        lines += ["", "Misses: none"]
    evidence = [
        (r.case.id, c.citation_id, f"{c.source}: {c.problem}")
        for r in report.results
        for c in r.citations
        if not c.valid
    ] + [(r.case.id, "", problem) for r in report.results for problem in r.reason_problems]
    if evidence:
        lines += ["", f"Citation problems ({len(evidence)}):", *_columns(evidence)]
    unfounded = [(r.case.id, problem) for r in report.results for problem in r.evidence_problems]
    if unfounded:
        lines += ["", f"Evidence problems ({len(unfounded)}):", *_columns(unfounded)]
    return "\n".join(lines)


def _table(confusion: Mapping[Verdict, Mapping[Verdict, int]]) -> list[str]:
    header = ("expected \\ got", *(v.value for v in VERDICTS), "total")
    rows = [
        (expected.value, *(str(row[got]) for got in VERDICTS), str(sum(row.values())))
        for expected, row in confusion.items()
    ]
    return _columns([header, *rows], numeric=True)


def _columns(rows: Sequence[Sequence[str]], numeric: bool = False) -> list[str]:
    """Align columns; with `numeric`, every column but the first is right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.rjust(width) if numeric and i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"
