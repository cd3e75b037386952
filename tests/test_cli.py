"""The command line as a user runs it: separate processes, exit codes, the answer object."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase
from bot.settings import PROJECT_ROOT

PROJECT = (
    "Support assistant over 3,000 help articles that change weekly; answers must cite the source."
)


def run(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "STATE_PATH": str(tmp_path / "state.db"), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_ask_json_prints_the_contract_answer(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    result = run(tmp_path, "ask", "--json", PROJECT)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {
        "verdict", "confidence", "summary", "reasons", "citations",
        "follow_up_questions", "reading", "engine", "thread", "turn",
    }  # fmt: skip
    assert answer["verdict"] == "rag"
    assert (answer["engine"], answer["thread"], answer["turn"]) == ("offline", None, 1)
    ids = {c["id"] for c in answer["citations"]}
    for reason in answer["reasons"]:
        assert reason["citations"] and set(reason["citations"]) <= ids
        assert reason["evidence"], reason
        for span in reason["evidence"]:
            assert span["turn"] == 1 and span["text"].lower() in PROJECT.lower()
    states = {item["dimension"]: item["state"] for item in answer["reading"]}
    assert states["changing"] == "yes" and states["citations"] == "yes"
    assert states["format"] == "unknown"
    for citation in answer["citations"]:
        assert set(citation) == {"id", "source", "title", "quote", "url"}
        doc = knowledge.by_source(citation["source"])
        assert doc is not None and doc.contains_quote(citation["quote"])


def test_ask_reads_stdin_and_prints_readable_text(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "-", stdin=PROJECT)
    assert result.returncode == 0, result.stderr
    assert "RAG" in result.stdout and "Sources" in result.stdout
    assert "[1]" in result.stdout


def test_a_thread_continues_across_processes(tmp_path: Path) -> None:
    first = run(tmp_path, "ask", "--json", "--thread", "t-1", PROJECT)
    second = run(
        tmp_path, "ask", "--json", "--thread", "t-1",
        "Also every reply must follow our strict JSON template and brand voice.",
    )  # fmt: skip
    assert first.returncode == second.returncode == 0, second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert (one["turn"], two["turn"]) == (1, 2)
    assert two["thread"] == "t-1"
    assert two["verdict"] == "both"
    forgot = run(tmp_path, "forget", "--thread", "t-1")
    assert forgot.returncode == 0 and "forgot" in forgot.stdout
    third = run(tmp_path, "ask", "--json", "--thread", "t-1", PROJECT)
    assert json.loads(third.stdout)["turn"] == 1


@pytest.mark.parametrize(
    "args",
    [(), ("ask",), ("ask", "  "), ("nonsense",), ("forget",), ("eval", "missing.jsonl")],
)
def test_usage_errors_exit_2_with_a_message(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(tmp_path, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr


def test_bad_configuration_exits_1_with_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", PROJECT, PORT="eighty")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("error: PORT:")


@pytest.mark.parametrize(
    "env",
    [
        {"REDIS_URL": "http://:hunter2@127.0.0.1:6379/0"},
        {"SLACK_API_URL": "ftp://bot:hunter2@slack.example/api/"},
    ],
)
def test_serve_never_prints_url_credentials(tmp_path: Path, env: dict[str, str]) -> None:
    result = run(tmp_path, "serve", "--port", "1", **env)
    assert result.returncode == 1 and result.stderr.startswith("error:")
    assert "hunter2" not in result.stderr + result.stdout


def test_broken_knowledge_exits_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "note.md").write_text("no front matter\n", encoding="utf-8")
    result = run(tmp_path, "index", KNOWLEDGE_DIR=str(tmp_path / "kb"))
    assert result.returncode == 1
    assert "note.md" in result.stderr and "Traceback" not in result.stderr


def test_index_prints_counts(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    result = run(tmp_path, "index")
    assert result.returncode == 0, result.stderr
    assert f"{len(knowledge.documents)} documents, {len(knowledge.passages)} passages" in (
        result.stdout
    )


def test_eval_on_the_labelled_sets(tmp_path: Path) -> None:
    # The public cases are leave-one-out over real teams' projects: a lower, honest bar.
    for name, floor in (
        ("scenarios.jsonl", 0.9),
        ("threads.jsonl", 0.85),
        ("cases_public.jsonl", 0.8),
    ):
        result = run(tmp_path, "eval", str(PROJECT_ROOT / "eval" / name), "--json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["n"] == len(report["cases"]) > 0
        assert report["citations"]["valid"] == report["citations"]["total"]
        assert report["evidence"]["valid"] == report["evidence"]["spans"]
        assert report["evidence"]["reasons_grounded"] == report["evidence"]["reasons"]
        assert report["accuracy"] >= floor, [c["id"] for c in report["cases"] if not c["ok"]]


def test_feedback_with_nothing_recorded(tmp_path: Path) -> None:
    result = run(tmp_path, "feedback")
    assert result.returncode == 0
    assert "no feedback yet" in result.stdout


def test_ask_explain_shows_rules_spans_and_scores(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "--explain", PROJECT)
    assert result.returncode == 0, result.stderr
    explain = result.stdout.split("**Explain**", 1)[1]
    assert "changing." in explain and "citations." in explain  # rule ids
    assert "“help articles that change weekly”" in explain or "change weekly" in explain
    assert "knowledge" in explain and "behaviour" in explain and "prompt-first" in explain
    assert "knowledge outweighs" in explain


def test_ask_json_explain_adds_the_explanation(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "--json", "--explain", PROJECT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    kept = [h for h in data["explain"]["hits"] if h["kept"]]
    assert kept and all(h["text"].lower() in PROJECT.lower() for h in kept)
    assert data["explain"]["scores"]["knowledge"] > data["explain"]["scores"]["behaviour"]
    plain = run(tmp_path, "ask", "--json", PROJECT)
    assert "explain" not in json.loads(plain.stdout)
