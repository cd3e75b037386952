"""Labelled cases: a project as a team described it and the verdict it should get.

One JSON Lines format serves `rag-or-ft eval` (scoring an engine) and the offline engine's
precedents: `{"id", "text", "expected"}` for one message or `{"id", "turns": [...], "expected"}`
for a thread (oldest message first); `source` and `note` say where the case comes from and
what the team chose; other keys are kept for people and ignored. Blank lines are skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.types import Verdict
from bot.errors import UsageError

VERDICTS: tuple[Verdict, ...] = tuple(Verdict)
_VERDICT_NAMES = ", ".join(v.value for v in VERDICTS)


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled scenario; `line` points back at the file for messages about it."""

    id: str
    turns: tuple[str, ...]
    expected: Verdict
    note: str = ""
    line: int = 0
    source: str = ""


def load_cases(path: Path | str) -> list[Case]:
    """Read an eval file; any defect raises `UsageError` naming the file and line, so that a
    typo in a label is never silently scored as the engine's mistake."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such eval file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    cases: list[Case] = []
    first_line: dict[str, int] = {}
    # split on "\n" only: str.splitlines() would also break inside JSON strings at U+2028 etc.
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        case = _parse_case(line, f"{path}:{number}", number)
        if case.id in first_line:
            raise UsageError(
                f"{path}:{number}: duplicate id {case.id!r} (first on line {first_line[case.id]})"
            )
        first_line[case.id] = number
        cases.append(case)
    if not cases:
        raise UsageError(f"{path}: no cases (expected one JSON object per line)")
    return cases


def _parse_case(line: str, where: str, number: int) -> Case:
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a JSON object, got {type(data).__name__}")
    case_id = data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise UsageError(f"{where}: missing field 'id' (a non-empty string)")
    label = f"{where} ({case_id})"
    has_text, has_turns = "text" in data, "turns" in data
    if has_text == has_turns:
        raise UsageError(f"{label}: needs exactly one of 'text' (a message) or 'turns' (a thread)")
    if has_text:
        turns: list[object] = [data["text"]]
    elif isinstance(data["turns"], list) and data["turns"]:
        turns = data["turns"]
    else:
        raise UsageError(f"{label}: 'turns' must be a non-empty list of messages")
    if not all(isinstance(t, str) and t.strip() for t in turns):
        field_name = "text" if has_text else "turns"
        raise UsageError(f"{label}: '{field_name}' must hold non-empty strings")
    expected = data.get("expected")
    if expected is None:
        raise UsageError(f"{label}: missing field 'expected' (one of {_VERDICT_NAMES})")
    if expected not in {v.value for v in VERDICTS}:
        raise UsageError(f"{label}: unknown verdict {expected!r} (one of {_VERDICT_NAMES})")
    note = data.get("note", "")
    source = data.get("source", "")
    return Case(
        id=case_id,
        turns=tuple(str(t) for t in turns),
        expected=Verdict(expected),
        note=note if isinstance(note, str) else str(note),
        line=number,
        source=source if isinstance(source, str) else str(source),
    )
