"""The fixed words the core itself puts in front of a person, handed in by its caller.

The core never imports `bot.messages` (the one module of user-facing strings): the runtime passes
`bot.messages.CORE_TEXTS`, so wording changes in one place and the core stays free of it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Texts:
    rate_limited: str
    """`{seconds}`: how long to wait."""
    truncated: str
    """`{length}`, `{limit}`: characters sent and read."""
    apology: str
    """`{ref}`: the reference id that is also in the log line with the traceback."""
