"""Logging configuration, applied by the CLI at start-up (never on import).

Both formatters pass every finished line through a `Redactor` (bot/redaction.py), so the
secrets the process was configured with never reach a log, whoever logs them.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable
from typing import Any

from bot.redaction import Redactor

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any `extra=` fields."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redact = redactor or Redactor()

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(data, default=str, ensure_ascii=False))


class TextFormatter(logging.Formatter):
    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redactor or Redactor()

    def format(self, record: logging.LogRecord) -> str:
        extras = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        base = super().format(record)
        line = base + ("  " + " ".join(f"{k}={v}" for k, v in extras.items()) if extras else "")
        return self.redact(line)


def configure_logging(level: str = "INFO", fmt: str = "text", secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    redactor = Redactor(secrets)
    handler.setFormatter(JsonFormatter(redactor) if fmt == "json" else TextFormatter(redactor))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # slack_bolt logs whole request bodies (user text) at INFO, e.g. on a bad signature.
    noisy_loggers = (
        "aiohttp.access",
        "httpx",
        "openai",
        "msrest",
        "urllib3",
        "bm25s",
        "slack_bolt",
    )
    for noisy in noisy_loggers:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # slack_sdk decides whether to format its per-request debug lines (headers, whole JSON
    # bodies) with `logger.level <= DEBUG`, not `isEnabledFor`: a logger left at NOTSET passes,
    # costing ~3% of the bot's CPU per Web API call. Its loggers get the effective level.
    for web_api in ("bot.adapters.slack.web", "slack_sdk"):
        logging.getLogger(web_api).setLevel(root.level)
