"""A circuit breaker in front of the LLM endpoint.

Why: when the endpoint is down or answering garbage, every turn would otherwise spend its whole
time budget failing before the offline answer is sent. After `threshold` consecutive failures
the breaker opens and turns go straight to the offline engine; after `open_seconds` it lets one
trial turn through (half-open): success closes it, failure opens it again. The clock is
injected so tests move time instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]
FAILURE_THRESHOLD = 5
OPEN_SECONDS = 45.0


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int = FAILURE_THRESHOLD,
        open_seconds: float = OPEN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self.failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._trial_running or self._clock() - self._opened_at >= self.open_seconds:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """May this turn call the LLM? In half-open state only one trial runs at a time."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def record_success(self) -> None:
        self.failures = 0
        self._opened_at = None
        self._trial_running = False

    def abandon(self) -> None:
        """The turn was cancelled before it could judge the endpoint: free the trial slot."""
        self._trial_running = False

    def record_failure(self) -> None:
        self.failures += 1
        if self._trial_running or self.failures >= self.threshold:
            self._opened_at = self._clock()
        self._trial_running = False
