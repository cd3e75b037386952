"""No log call passes a reserved LogRecord attribute in `extra=`.

`log.info("…", extra={"thread": …})` raises KeyError — but only when the line is enabled, and the
suite runs at WARNING, so such a bug passed every test while failing every answer in
production at INFO (it happened twice here). This reads the source instead: every literal
`extra={…}` key under bot/ must be free to use.
"""

from __future__ import annotations

import ast
import logging

from bot.settings import PROJECT_ROOT

RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def _literal_extra_keys() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            rel = str(path.relative_to(PROJECT_ROOT))
                            found.append((rel, node.lineno, key.value))
    return found


def test_the_scan_sees_the_log_calls() -> None:
    keys = {key for _, _, key in _literal_extra_keys()}
    assert {"ref", "platform", "thread_hash"} <= keys


def test_no_extra_key_overwrites_a_log_record_attribute() -> None:
    clashes = [
        f"{path}:{line}: {key!r}" for path, line, key in _literal_extra_keys() if key in RESERVED
    ]
    assert not clashes, "reserved LogRecord attributes in extra=: " + ", ".join(clashes)
