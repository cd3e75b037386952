"""What the listener modules share: reading a payload field, and saying sorry."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.core.conversation import Conversations

Send = Callable[[str], Awaitable[None]]


def field(value: object) -> str:
    """A string field as sent, or "" when Slack's payload has anything else there."""
    return value if isinstance(value, str) else ""


async def apologise(
    core: Conversations, log: logging.Logger, what: str, send: Send, *, channel: str
) -> None:
    """The core's apology (traceback logged under a reference id), sent by `send` if it can."""
    text = core.apology(log, "slack %s failed", what, channel=channel)
    try:
        await send(text)
    except Exception:
        log.warning("could not deliver the apology", exc_info=True)
