"""The LLM path from outside: cold start without langchain, and `rag-or-ft eval --engine llm`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.llm.answers import structured
from tests.llm.conftest import MODEL
from tests.support.fake_openai import FakeOpenAI, answer

HEAVY = ("langchain_core", "langchain_openai", "openai")


async def run_bot(fake_openai: FakeOpenAI, tmp_path: Path, *args: str) -> tuple[bytes, bytes]:
    """`python -m bot ARGS` configured for the stand-in; asserts it exits 0."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_"))},
        "OPENAI_BASE_URL": fake_openai.url,
        "OPENAI_MODEL": MODEL,
        "OPENAI_API_KEY": "test-key",
        "STATE_PATH": str(tmp_path / "state.db"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    return stdout, stderr


def test_the_bot_without_an_llm_never_imports_langchain_or_openai(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "import bot.runtime, bot.cli\n"
        "rc = bot.cli.main(['ask', '--json', 'Support bot over help articles, changed weekly'])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "assert rc == 0 and not heavy, (rc, heavy)\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "AZURE_OPENAI_", "EMBEDDINGS_"))
    }
    env["STATE_PATH"] = str(tmp_path / "state.db")
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


async def test_eval_runs_against_the_llm_engine(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(case)
            for case in (
                {"id": "wiki", "text": "Q&A bot over our wiki, edited daily.", "expected": "rag"},
                {
                    "id": "thread",
                    "turns": ["A bot for our policies.", "They change every quarter."],
                    "expected": "rag",
                },
            )
        ),
        encoding="utf-8",
    )
    fake_openai.default = answer(structured())
    stdout, stderr = await run_bot(
        fake_openai, tmp_path, "eval", str(cases), "--engine", "llm", "--json"
    )

    report = json.loads(stdout)
    assert report["n"] == 2 and report["accuracy"] == 1.0
    assert {case["answer"]["engine"] for case in report["cases"]} == {"llm"}
    assert len(fake_openai.chat_requests) == 2
    progress = stderr.decode().splitlines()
    assert progress[0].startswith("eval: case 1/2, accuracy 1.00 so far")
    assert progress[-1].startswith("eval: case 2/2, accuracy 1.00 so far")
    assert all("left" in line for line in progress)


async def test_ask_explain_shows_what_the_rules_and_the_model_read(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.default = answer(
        {
            "facts": [
                {"dim": "style", "state": "yes", "quote": "read more like Priya's", "ids": []},
                {"dim": "changing", "state": "yes", "quote": "edited daily", "ids": []},
            ],
            "verdict": "both",
        }
    )
    stdout, _ = await run_bot(
        fake_openai,
        tmp_path,
        "ask",
        "--explain",
        "Q&A bot over our wiki, edited daily; the answers should read more like Priya's.",
    )
    out = stdout.decode()
    assert "Rules and model (the model's verdict: both):" in out
    readers = out.split("Rules and model")[1]
    style = next(line for line in readers.splitlines() if line.strip().startswith("style "))
    assert style.split()[:4] == ["style", "unknown", "yes", "yes"]
    assert "“read more like Priya's”" in style
    assert "Decided by the framework: decide over the merged reading" in out
