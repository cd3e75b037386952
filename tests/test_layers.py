"""Layers point down: the core imports neither the settings nor the user-facing strings, and
nothing below the HTTP server imports it (read from the import statements of each module)."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(PROJECT_ROOT)}: {name}"
        for path in sorted(folder.rglob("*.py"))
        for name in sorted(imported(path))
        if name in forbidden or name.startswith(tuple(f + "." for f in forbidden))
    ]


def test_the_core_takes_settings_and_texts_from_its_caller() -> None:
    assert offenders(BOT / "core", ("bot.settings", "bot.messages")) == []


def test_nothing_below_the_server_imports_it() -> None:
    below = [BOT / "core", BOT / "adapters", BOT / "llm"]
    found = [o for folder in below for o in offenders(folder, ("bot.server",))]
    found += [o for o in offenders(BOT, ("bot.server",)) if o.startswith("bot/runtime.py")]
    assert found == []


def test_the_check_sees_imports() -> None:
    assert offenders(BOT / "server", ("bot.runtime",)), "bot/server/app.py imports bot.runtime"
