"""The one entry point adapters call: a user's message in, an outcome out.

`TriageService.handle` applies the per-user rate limit, serialises the thread (so concurrent
follow-ups are answered in order and nothing is lost), runs the engine over the whole thread and
stores the new turns. It knows nothing about Slack or Teams.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from bot.core.engine import Engine
from bot.core.store import Store
from bot.core.texts import Texts
from bot.core.types import Answer, Incoming, Span, Turn

log = logging.getLogger(__name__)
RATE_WINDOW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class RateLimited:
    retry_after: int
    text: str


Outcome = Answer | RateLimited


class Observer(Protocol):
    """Receives one call per handled message (metrics and logs hang off it)."""

    def answered(self, incoming: Incoming, answer: Answer, seconds: float) -> None: ...

    def rate_limited(self, incoming: Incoming) -> None: ...


class _Silent:
    def answered(self, incoming: Incoming, answer: Answer, seconds: float) -> None:
        return None

    def rate_limited(self, incoming: Incoming) -> None:
        return None


def renumbered(answer: Answer, turns: list[int]) -> Answer:
    """The answer with evidence spans naming thread turns: an engine numbers the messages it
    was given (1..n), which are the thread's last n user turns once old ones were capped."""

    def fix(spans: list[Span]) -> list[Span]:
        return [
            s.model_copy(update={"turn": turns[s.turn - 1]}) if s.turn <= len(turns) else s
            for s in spans
        ]

    if all(n == i for i, n in enumerate(turns, start=1)):
        return answer
    reasons = [r.model_copy(update={"evidence": fix(r.evidence)}) for r in answer.reasons]
    reading = [r.model_copy(update={"evidence": fix(r.evidence)}) for r in answer.reading]
    return answer.model_copy(update={"reasons": reasons, "reading": reading})


class TriageService:
    def __init__(
        self,
        engine: Engine,
        store: Store,
        *,
        texts: Texts,
        rate_limit_per_minute: int = 20,
        max_message_chars: int = 12_000,
        observer: Observer | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.texts = texts
        self.rate_limit_per_minute = rate_limit_per_minute
        self.max_message_chars = max_message_chars
        self.observer: Observer = observer or _Silent()

    async def handle(self, incoming: Incoming) -> Outcome:
        started = time.perf_counter()
        if self.rate_limit_per_minute and incoming.user:
            key = f"rate:{incoming.platform}:{incoming.user}"
            if not await self.store.allow(key, self.rate_limit_per_minute, RATE_WINDOW_SECONDS):
                self.observer.rate_limited(incoming)
                return RateLimited(
                    RATE_WINDOW_SECONDS,
                    self.texts.rate_limited.format(seconds=RATE_WINDOW_SECONDS),
                )
        text = incoming.text.strip()
        notice = None
        if len(text) > self.max_message_chars:
            notice = self.texts.truncated.format(length=len(text), limit=self.max_message_chars)
            text = text[: self.max_message_chars]
        if incoming.thread_key is None:
            answer = await self.engine.answer([text])
        else:
            answer = await self._threaded(incoming.thread_key, incoming.user, text)
        if notice:
            joined = f"{answer.notice} {notice}" if answer.notice else notice
            answer = answer.model_copy(update={"notice": joined})
        self.observer.answered(incoming, answer, time.perf_counter() - started)
        return answer

    async def _threaded(self, key: str, user: str, text: str) -> Answer:
        async with self.store.thread_lock(key):
            history = [t for t in await self.store.load_turns(key) if t.role == "user"]
            said = [t.text for t in history] + [text]
            number = max(len(said), history[-1].number + 1 if history else 1)
            answer = await self.engine.answer(said)
            turns = [t.number or i for i, t in enumerate(history, start=1)] + [number]
            answer = renumbered(answer, turns).model_copy(update={"thread": key, "turn": number})
            await self.store.append_turns(
                key,
                [
                    Turn(role="user", text=text, user=user, number=number),
                    Turn(
                        role="bot",
                        text=answer.summary,
                        verdict=answer.verdict.value,
                        citation_ids=tuple(c.passage_id for c in answer.citations),
                    ),
                ],
            )
        return answer
