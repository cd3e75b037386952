"""Secrets never reach a log line, whichever formatter, field or traceback carries them."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

import pytest

from bot.logging_setup import JsonFormatter, TextFormatter
from bot.redaction import REDACTED, Redactor, secret_values
from bot.settings import Settings

SECRETS = {
    "slack_bot_token": "xoxb-1111-2222-SeCrEtBoTtOkEn",
    "slack_signing_secret": "8f14e45fceea167a5a36dedd4bea2543",
    "microsoft_app_password": 'pa"ss\\word~MSFT.9',
    "openai_api_key": "sk-test-OpenAiKeyThatMustNotLeak123",
}
REDIS_PASSWORD = "r3d1s-Pa55w0rd"
REDIS_URL = f"redis://:{REDIS_PASSWORD}@127.0.0.1:6379/3"


def _record(msg: str, *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError(f"connect failed for {REDIS_URL} with {SECRETS['openai_api_key']}")
        except RuntimeError:
            exc_info = sys.exc_info()
    record = logging.LogRecord("t", logging.WARNING, __file__, 1, msg, args, exc_info)
    record.__dict__.update(extra)
    return record


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(redis_url=REDIS_URL, **SECRETS)


def test_settings_repr_and_str_hide_every_secret(settings: Settings) -> None:
    shown = repr(settings) + str(settings)
    for value in [*SECRETS.values(), REDIS_PASSWORD]:
        assert value not in shown


def test_secret_values_finds_secret_fields_and_url_passwords(settings: Settings) -> None:
    found = set(secret_values(settings))
    assert set(SECRETS.values()) | {REDIS_PASSWORD} <= found


@pytest.mark.parametrize("formatter_cls", [JsonFormatter, TextFormatter])
def test_formatters_redact_message_extras_and_tracebacks(
    settings: Settings, formatter_cls: type[JsonFormatter] | type[TextFormatter]
) -> None:
    formatter = formatter_cls(Redactor(secret_values(settings)))
    lines = [
        formatter.format(_record("token %s", SECRETS["slack_bot_token"])),
        formatter.format(_record("store", url=REDIS_URL, nested={"k": SECRETS["openai_api_key"]})),
        formatter.format(_record("boom", exc=True)),
        formatter.format(_record("password %r", SECRETS["microsoft_app_password"])),
        formatter.format(_record("sig", secret=SECRETS["slack_signing_secret"])),
    ]
    text = "\n".join(lines)
    for value in [*SECRETS.values(), REDIS_PASSWORD]:
        for shown in (value, json.dumps(value)[1:-1], repr(value)[1:-1]):
            assert shown not in text
    assert REDACTED in text
    if formatter_cls is JsonFormatter:
        for line in lines:
            json.loads(line)  # still one valid JSON object per line


def test_shapes_are_redacted_without_being_configured() -> None:
    """A token or URL password the process was never told about is still caught by its shape."""
    redact = Redactor()
    line = redact(
        "calling https://user:hunter22@example.com/x with xoxp-123456789-abcdef "
        "and sk-proj-ABCDEFGHIJKLMNOPQRST and xapp-1-A0-123456789"
    )
    for leaked in ("hunter22", "xoxp-123456789", "sk-proj-ABC", "xapp-1-A0"):
        assert leaked not in line
    assert "https://user:[redacted]@example.com/x" in line


def test_ordinary_text_is_left_alone() -> None:
    redact = Redactor(["abc", "a-real-secret"])  # too short to redact safely: "abc" is ignored
    assert redact("abc http://localhost:3978/healthz sk-short") == (
        "abc http://localhost:3978/healthz sk-short"
    )
