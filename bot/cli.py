"""The `rag-or-ft` command line (CONTRACT §2).

Exit codes: 0 success, 2 usage error (message on stderr), 1 anything else (one line, no
traceback unless `--debug`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import messages
from bot.errors import ConfigError, RagOrFtError, UsageError
from bot.redaction import scrub
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.core.types import Answer, Explanation

log = logging.getLogger("bot.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rag-or-ft",
        description="Triage an LLM project: RAG, fine-tuning, both, or prompting first.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ask = sub.add_parser("ask", help="answer one message")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--thread", metavar="KEY", help="continue (or start) this thread")
    ask.add_argument(
        "--explain",
        action="store_true",
        help="also show which rules fired, on which words, and the scores behind the verdict",
    )
    ask.add_argument("text", nargs="+", help="the project description ('-' reads stdin)")

    sub.add_parser("chat", help="interactive conversation in the terminal (one thread)")

    ev = sub.add_parser("eval", help="run a labelled set of scenarios")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--engine", choices=["configured", "offline", "llm"], default="configured")
    ev.add_argument(
        "--concurrency",
        type=int,
        default=1,
        metavar="N",
        help="cases answered at once (a hosted model; default 1); results are the same",
    )

    sub.add_parser("index", help="load and check knowledge/, print counts")

    serve = sub.add_parser("serve", help="run the bot's HTTP server")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)

    fb = sub.add_parser("feedback", help="feedback counts by verdict and latest comments")
    fb.add_argument("--json", action="store_true")

    forget = sub.add_parser("forget", help="delete a thread's stored data")
    forget.add_argument("--thread", metavar="KEY", required=True)

    pkg = sub.add_parser("teams-package", help="write a Teams app package (zip)")
    pkg.add_argument("--app-id", required=True)
    pkg.add_argument("--host", required=True, help="public host of the bot, e.g. bot.example.com")
    pkg.add_argument("--out", required=True, type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(args_list)
        settings = load_settings()
        _configure_logging(settings, args)
        return _dispatch(args, settings)
    except UsageError as exc:
        print(f"error: {scrub(str(exc))}", file=sys.stderr)
        return 2
    except (ConfigError, RagOrFtError) as exc:
        print(f"error: {scrub(str(exc))}", file=sys.stderr)  # printed, so past the log redactor
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if debug:
            raise
        ref = uuid.uuid4().hex[:8]
        print(
            f"error: unexpected {type(exc).__name__} (ref {ref}; rerun with --debug)",
            file=sys.stderr,
        )
        return 1


def _configure_logging(settings: Settings, args: argparse.Namespace) -> None:
    from bot.logging_setup import configure_logging
    from bot.redaction import secret_values

    level = "DEBUG" if args.debug else settings.log_level
    if args.command != "serve" and not args.debug and level in ("DEBUG", "INFO"):
        level = "WARNING"  # keep one-shot commands quiet; `serve` logs at LOG_LEVEL
    configure_logging(level, settings.log_format, secrets=secret_values(settings))


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command: str = args.command
    if command == "serve":
        from bot.server.app import serve

        serve(settings, args.host or settings.host, args.port or settings.port)
        return 0
    if command == "teams-package":
        from bot.packaging.teams import write_package

        path = write_package(app_id=args.app_id, host=args.host, out=args.out)
        print(f"wrote {path}")
        return 0
    if command == "index":
        return _index(settings)
    return asyncio.run(_async_command(args, settings))


def _index(settings: Settings) -> int:
    import time

    from bot.core.knowledge import load_knowledge
    from bot.core.retrieval import LexicalIndex

    started = time.perf_counter()
    knowledge = load_knowledge(settings.knowledge_dir)
    loaded = time.perf_counter() - started
    index = LexicalIndex(knowledge)
    for doc in knowledge.documents:
        print(f"{len(doc.passages):4d} passages  {doc.source}  — {doc.title}")
    print(
        f"{len(knowledge.documents)} documents, {len(index.passages)} passages; "
        f"loaded in {loaded * 1000:.1f} ms, index built in {index.build_seconds * 1000:.1f} ms"
    )
    return 0


async def _async_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import build_runtime

    runtime = await build_runtime(settings)
    try:
        if args.command == "ask":
            return await _ask(runtime, args)
        if args.command == "chat":
            return await _chat(runtime)
        if args.command == "eval":
            return await _eval(runtime, args)
        if args.command == "feedback":
            return await _feedback(runtime, args)
        if args.command == "forget":
            removed = await runtime.store.forget(args.thread)
            print(
                f"forgot thread {args.thread}"
                if removed
                else f"no stored data for thread {args.thread}"
            )
            return 0
        raise UsageError(f"unknown command {args.command!r}")
    finally:
        await runtime.close()


async def _ask(runtime: object, args: argparse.Namespace) -> int:
    from bot.core.render import render_markdown
    from bot.core.service import RateLimited
    from bot.core.types import Incoming
    from bot.runtime import Runtime

    assert isinstance(runtime, Runtime)
    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    if not text.strip():
        raise UsageError("ask: empty message; describe the project (or pass '-' to read stdin)")
    outcome = await runtime.service.handle(Incoming(args.thread, "cli", text, platform="cli"))
    if isinstance(outcome, RateLimited):
        print(outcome.text, file=sys.stderr)
        return 1
    if args.json:
        data = outcome.model_dump(mode="json")
        if args.explain:
            data["explain"] = _explanation(outcome)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(render_markdown(outcome))
        if args.explain:
            print("\n" + format_explanation(outcome))
    return 0


def _explanation(answer: object) -> dict[str, object] | None:
    from bot.core.types import Answer

    assert isinstance(answer, Answer)
    return answer.explanation.model_dump(mode="json") if answer.explanation else None


def format_explanation(answer: object) -> str:
    """`ask --explain`: the rules that fired (✓ kept by the reading), the reading, the decision."""
    from bot.core.types import Answer

    assert isinstance(answer, Answer)
    explanation = answer.explanation
    if explanation is None:
        return f"**Explain**\n(no explanation from the {answer.engine} engine)"
    lines = ["**Explain**", "", "Rules that fired (✓ = kept in the reading):"]
    if not explanation.hits:
        lines.append("  (none)")
    for hit in explanation.hits:
        mark = "✓" if hit.kept else " "
        lines.append(
            f"  {mark} {hit.rule:<34} {hit.dimension}={hit.state} ({hit.strength:.2f})"
            f"  turn {hit.turn}: “{hit.text}”"
        )
    lines += ["", "Reading:"]
    for item in answer.reading:
        said = "; ".join(f"turn {s.turn}: “{s.text}”" for s in item.evidence)
        lines.append(
            f"  {item.dimension:<14} {item.side:<13} {item.state:<8}" + (f" {said}" if said else "")
        )
    if explanation.decided_by:
        lines += ["", *_readers(answer, explanation)]
    if explanation.precedents:
        lines += ["", "Nearest labelled cases (precedents):"]
        for p in explanation.precedents[:5]:
            source = f"  ({p.source})" if p.source else ""
            lines.append(f"  {p.verdict.value:<19} {p.score:6.2f}  {p.id}{source}")
    lines += ["", "Decision:"]
    lines += [f"  {line}" for line in explanation.why]
    return "\n".join(lines)


def _readers(answer: Answer, explanation: Explanation) -> list[str]:
    """LLM path: what the rules and the model read, side by side, and whose verdict counts."""
    rules = {i.dimension: i for i in explanation.rules_reading}
    model = {i.dimension: i for i in explanation.model_reading}
    verdict = explanation.model_verdict.value if explanation.model_verdict else "none"
    lines = [f"Rules and model (the model's verdict: {verdict}):"]
    lines.append(f"  {'dimension':<14} {'rules':<8} {'model':<8} used")
    for item in answer.reading:
        r, m = rules.get(item.dimension), model.get(item.dimension)
        if (r is None or r.state == "unknown") and m is None:
            continue
        said = f"  turn {m.evidence[0].turn}: “{m.evidence[0].text}”" if m and m.evidence else ""
        lines.append(
            f"  {item.dimension:<14} {r.state if r else 'unknown':<8} "
            f"{m.state if m else '-':<8} {item.state}{said}"
        )
    lines.append(f"Decided by the {explanation.decided_by}")
    return lines


async def _chat(runtime: object) -> int:
    from bot.core.render import render_markdown
    from bot.core.service import RateLimited
    from bot.core.types import Incoming
    from bot.runtime import Runtime

    assert isinstance(runtime, Runtime)
    thread = f"cli:chat:{uuid.uuid4().hex[:12]}"
    interactive = sys.stdin.isatty()
    if interactive:
        print(messages.USAGE + "\n(empty line or Ctrl-D to quit)\n")
    while True:
        try:
            line = await asyncio.to_thread(input, "you> " if interactive else "")
        except EOFError:
            break
        if not line.strip() or line.strip().lower() in {"exit", "quit", "/quit"}:
            break
        outcome = await runtime.service.handle(Incoming(thread, "cli", line, platform="cli"))
        body = outcome.text if isinstance(outcome, RateLimited) else render_markdown(outcome)
        print(f"\n{body}\n")
    print(f"(thread {thread})")
    return 0


async def _eval(runtime: object, args: argparse.Namespace) -> int:
    from bot.evaluation import ProgressReport, format_report, load_cases, report_json, run_eval
    from bot.runtime import Runtime

    assert isinstance(runtime, Runtime)
    cases = load_cases(args.file)
    engine = runtime.engine
    if args.engine == "offline":
        engine = runtime.offline
    elif args.engine == "llm" and engine is runtime.offline:
        raise UsageError("eval --engine llm: no LLM configured (see OPENAI_* in the README)")
    progress = ProgressReport(len(cases), sys.stderr)
    try:
        report = await run_eval(
            cases, engine, runtime.knowledge, concurrency=args.concurrency, progress=progress
        )
    finally:
        progress.close()
    print(json.dumps(report_json(report), indent=2) if args.json else format_report(report))
    return 0


async def _feedback(runtime: object, args: argparse.Namespace) -> int:
    from bot.runtime import Runtime

    assert isinstance(runtime, Runtime)
    records = await runtime.store.recent_feedback()
    counts: Counter[tuple[str, str]] = Counter((r.verdict, r.rating) for r in records)
    verdicts = sorted({v for v, _ in counts})
    comments = [r for r in records if r.comment][:10]
    if args.json:
        print(
            json.dumps(
                {
                    "total": len(records),
                    "by_verdict": {
                        v: {"up": counts[(v, "up")], "down": counts[(v, "down")]} for v in verdicts
                    },
                    "comments": [
                        {"verdict": r.verdict, "rating": r.rating, "comment": r.comment, "at": r.at}
                        for r in comments
                    ],
                },
                indent=2,
            )
        )
        return 0
    if not records:
        print("no feedback yet")
        return 0
    print(f"{'verdict':<20}{'👍':>6}{'👎':>6}")
    for v in verdicts:
        print(f"{v:<20}{counts[(v, 'up')]:>6}{counts[(v, 'down')]:>6}")
    if comments:
        print("\nlatest comments:")
        for r in comments:
            print(f"- [{r.verdict}, {'👍' if r.rating == 'up' else '👎'}] {r.comment}")
    return 0
