"""A community's week (a Slack workspace, say): its answers by verdict and its 👍/👎.

Counted as they happen, one store counter per community per UTC day (`stats:{scope}:{day}`),
each kept a little over a week: reading the week is one `counts` call over seven keys, with no
log to scan and nothing to clean up. Notes (`notes:{scope}`) are the same counters used as
flags: what a platform refused a community, remembered for a while by every replica.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

DAY_SECONDS = 86_400
WEEK_DAYS = 7
KEEP_SECONDS = (WEEK_DAYS + 1) * DAY_SECONDS
VERDICT = "verdict:"
RATING = "rating:"


@dataclass(frozen=True, slots=True)
class Week:
    """The last seven UTC days (today included) of one community."""

    verdicts: dict[str, int] = field(default_factory=dict)
    up: int = 0
    down: int = 0

    @property
    def answers(self) -> int:
        return sum(self.verdicts.values())

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> Week:
        verdicts = {
            name.removeprefix(VERDICT): n for name, n in counts.items() if name.startswith(VERDICT)
        }
        return cls(verdicts, counts.get(RATING + "up", 0), counts.get(RATING + "down", 0))


def day_key(scope: str, now: float) -> str:
    return f"stats:{scope}:{int(now // DAY_SECONDS)}"


def week_keys(scope: str, now: float | None = None) -> list[str]:
    now = time.time() if now is None else now
    return [day_key(scope, now - n * DAY_SECONDS) for n in range(WEEK_DAYS)]


def notes_key(scope: str) -> str:
    return f"notes:{scope}"
