"""`make bench`: prints the performance figures the issues ask for. Bounded in count and time.

Core figures are measured here (cold start of `rag-or-ft ask`, retrieval and triage latency,
peak RSS); the store, Slack, Teams and load benchmarks are separate scripts run in turn, each
printing its own figures. Targets are printed beside the numbers; nothing here fails a build.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.knowledge import load_knowledge  # noqa: E402
from bot.core.retrieval import LexicalIndex  # noqa: E402
from bot.core.triage import OfflineEngine  # noqa: E402
from bot.core.triage.engine import PHRASES_FILE  # noqa: E402

SUB_BENCHES = ["bench_store.py", "bench_slack.py", "bench_teams.py", "bench_load.py"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<38}{value:>16}   {target}")


def cold_start(runs: int = 5) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STATE_PATH": f"{tmp}/state.db"}
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [str(ROOT / ".venv/bin/rag-or-ft"), "ask", "--json", "wiki bot, docs change daily"],
                env=env, capture_output=True, check=True, timeout=60,
            )  # fmt: skip
            times.append(time.perf_counter() - started)
    return times


def eval_messages() -> list[list[str]]:
    cases = []
    for name in ("scenarios.jsonl", "threads.jsonl"):
        for raw in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                case = json.loads(raw)
                cases.append(case.get("turns") or [case["text"]])
    return cases


async def core() -> None:
    print("core (offline engine, this machine)")
    cold = cold_start()
    line("`rag-or-ft ask` cold start (median)", f"{statistics.median(cold):.2f} s", "≤ 1.5 s")
    knowledge = load_knowledge(ROOT / "knowledge")
    index = LexicalIndex(knowledge)
    line("index build", f"{index.build_seconds * 1000:.1f} ms")
    cases = eval_messages()
    retrieval, triage = [], []
    for _ in range(5):
        for turns in cases:
            started = time.perf_counter()
            index.search_sync(" ".join(turns), 6)
            retrieval.append(time.perf_counter() - started)
    engine = OfflineEngine(knowledge, index, ROOT / "prompts" / PHRASES_FILE)
    for _ in range(5):
        for turns in cases:
            started = time.perf_counter()
            await engine.answer(turns)
            triage.append(time.perf_counter() - started)
    ms = 1000
    line(
        "retrieval p50 / p95",
        f"{pct(retrieval, 50) * ms:.2f} / {pct(retrieval, 95) * ms:.2f} ms",
        "p95 ≤ 5 ms",
    )
    line(
        "triage p50 / p95",
        f"{pct(triage, 50) * ms:.2f} / {pct(triage, 95) * ms:.2f} ms",
        "p95 ≤ 20 ms",
    )
    line("(over eval cases × 5)", f"{len(triage)} answers")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line("peak RSS of this process", f"{peak:.0f} MB")


def main() -> int:
    asyncio.run(core())
    for name in SUB_BENCHES:
        script = ROOT / "scripts" / name
        if script.exists():
            print(f"\n{name.removesuffix('.py').replace('_', ' ')}")
            sys.stdout.flush()
            subprocess.run([sys.executable, str(script)], check=False, timeout=600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
