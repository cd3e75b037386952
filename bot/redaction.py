"""Keeping secrets out of logs.

Every finished log line passes through a `Redactor`: the exact secret values the process was
configured with, passwords inside URLs and the shapes of Slack and OpenAI tokens are replaced,
wherever they appear — message, `extra=` fields or a traceback. So a library that logs a header
or a connection string at DEBUG, or an exception whose text quotes a URL, cannot leak them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

REDACTED = "[redacted]"
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]*):[^@/\s]+@")
_TOKEN_SHAPES = re.compile(
    r"\b(?:xox[a-z]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|sk-[A-Za-z0-9_-]{16,})"
)
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")
_MIN_SECRET_CHARS = 4  # shorter values would blank out ordinary words


class Redactor:
    """Replaces known secret values and secret-shaped substrings in a finished log line."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = {s for s in secrets if len(s) >= _MIN_SECRET_CHARS}
        # As they appear escaped too: inside a JSON line, or logged with %r.
        values |= {
            escaped
            for s in values
            for escaped in (
                json.dumps(s)[1:-1],
                json.dumps(s, ensure_ascii=False)[1:-1],
                repr(s)[1:-1],
            )
        }
        # Longest first, so a secret containing another is replaced whole.
        self._exact = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._exact:
            if value in text:
                text = text.replace(value, REDACTED)
        text = _URL_PASSWORD.sub(rf"\1:{REDACTED}@", text)
        return _TOKEN_SHAPES.sub(REDACTED, text)


def secret_values(settings: object) -> list[str]:
    """Every secret a settings object holds: `SecretStr` fields and passwords inside URL fields."""
    found: list[str] = []
    for value in getattr(settings, "__dict__", {}).values():
        if hasattr(value, "get_secret_value"):
            found.append(value.get_secret_value())
        elif isinstance(value, str) and "://" in value:
            password = urlsplit(value).password
            if password:
                found += [password, unquote(password)]
    return found


def scrub(text: str) -> str:
    """Text shown outside logging (the CLI's one-line errors, a bad setting's value), which the
    log `Redactor` never sees: a URL's whole user info (user and password) and token shapes go."""
    return _TOKEN_SHAPES.sub(REDACTED, _URL_USERINFO.sub(rf"\1{REDACTED}@", text))
