"""Retrying a send the platform throttled or surely did not receive, for both adapters.

Each platform says "wait" differently (Slack: `ratelimited` with `Retry-After`; the Bot
Framework connector: 429/502/503/504, or no HTTP answer at all), so each passes a `delay`
function that reads its own failure; the loop — bounded attempts, one warning per retry — is this
one. An answer a minute late is worth less than a clear failure now, so delays are capped by the
caller's `delay` (None: do not retry).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
Delay = Callable[[Exception, int], float | None]
"""Seconds to wait before attempt `n + 1` after `exc` failed attempt `n`, or None."""


async def retrying(
    send: Callable[[], Awaitable[T]],
    delay: Delay,
    *,
    attempts: int,
    what: str,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """`await send()`, again after `delay(exc, attempt)` seconds, at most `attempts` times."""
    attempt = 1
    while True:
        try:
            return await send()
        except Exception as exc:
            wait = delay(exc, attempt)
            if wait is None or attempt >= attempts:
                raise
            log.warning(
                "send refused; retrying",
                extra={"what": what, "retry_after": wait, "attempt": attempt},
            )
            await sleep(wait)
            attempt += 1
