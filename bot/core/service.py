"""The one entry point adapters call: a user's message in, an outcome out.

`TriageService.handle` applies the per-user rate limit, serialises the thread (so concurrent
follow-ups are answered in order and nothing is lost), runs the engine over the whole thread and
stores the new turns. It knows nothing about Slack or Teams.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.core.engine import Engine
from bot.core.store import Store
from bot.core.texts import Texts
from bot.core.types import Answer, Fact, Incoming, Span, State, Turn

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

    async def _limited(self, incoming: Incoming) -> RateLimited | None:
        if self.rate_limit_per_minute and incoming.user:
            key = f"rate:{incoming.platform}:{incoming.user}"
            if not await self.store.allow(key, self.rate_limit_per_minute, RATE_WINDOW_SECONDS):
                self.observer.rate_limited(incoming)
                return RateLimited(
                    RATE_WINDOW_SECONDS,
                    self.texts.rate_limited.format(seconds=RATE_WINDOW_SECONDS),
                )
        return None

    async def handle(self, incoming: Incoming) -> Outcome:
        started = time.perf_counter()
        limited = await self._limited(incoming)
        if limited is not None:
            return limited
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

    async def correct(
        self, key: str, user: str, platform: str, changes: Mapping[str, State]
    ) -> Outcome:
        """A person set some dimensions of the thread's reading directly: a new turn whose
        answer is recomputed with those facts over every reader's (rate-limited like a
        message)."""
        started = time.perf_counter()
        incoming = Incoming(key, user, "", platform)
        limited = await self._limited(incoming)
        if limited is not None:
            return limited
        answer = await self._threaded(key, user, None, changes)
        self.observer.answered(incoming, answer, time.perf_counter() - started)
        return answer

    async def _threaded(
        self, key: str, user: str, text: str | None, changes: Mapping[str, State] | None = None
    ) -> Answer:
        """One turn of a thread: a message (`text`) or a correction (`changes`)."""
        async with self.store.thread_lock(key):
            stored = await self.store.load_turns(key)
            history = [t for t in stored if t.role == "user"]
            facts = thread_facts(stored)
            number = max(len(history) + 1, history[-1].number + 1 if history else 1)
            messages = [
                (t.number or i, t.text)
                for i, t in enumerate(history, start=1)
                if t.kind == "message" and t.text
            ]
            if text is not None:
                messages.append((number, text))
                user_turn = Turn(role="user", text=text, user=user, number=number)
            else:
                set_now = tuple(Fact(d, s, number) for d, s in (changes or {}).items())
                facts.update({f.dimension: f for f in set_now})
                user_turn = Turn(
                    role="user",
                    text=describe(set_now),
                    user=user,
                    number=number,
                    kind="correction",
                    facts=set_now,
                )
            numbers = [n for n, _ in messages]
            given = [
                replace(f, turn=sum(1 for n in numbers if n <= f.turn)) for f in facts.values()
            ]
            answer = await self.engine.answer([t for _, t in messages], given)
            answer = renumbered(answer, numbers).model_copy(update={"thread": key, "turn": number})
            kept = still_given(facts.values(), answer)
            answer = marked(answer, kept)
            await self.store.append_turns(
                key,
                [
                    user_turn,
                    Turn(
                        role="bot",
                        text=answer.summary,
                        verdict=answer.verdict.value,
                        citation_ids=tuple(c.passage_id for c in answer.citations),
                        facts=kept,
                    ),
                ],
            )
        return answer


def thread_facts(turns: Sequence[Turn]) -> dict[str, Fact]:
    """The facts in force: the newest bot turn's, plus a correction stored after it (an
    answer that never got stored)."""
    facts: dict[str, Fact] = {}
    for turn in turns:
        if turn.role == "bot":
            facts = {f.dimension: f for f in turn.facts}
        elif turn.kind == "correction":
            facts.update({f.dimension: f for f in turn.facts})
    return facts


def still_given(facts: Iterable[Fact], answer: Answer) -> tuple[Fact, ...]:
    """The facts that survive this turn: all but those a reader read again from a message
    after the fact was set (the newest statement wins, see `Engine.answer`)."""
    items = {r.dimension: r for r in answer.reading}
    kept = []
    for fact in facts:
        item = items.get(fact.dimension)
        restated = (
            item is not None
            and item.source == "reader"
            and any(s.turn > fact.turn for s in item.evidence)
        )
        if not restated:
            kept.append(fact)
    return tuple(kept)


def marked(answer: Answer, facts: Sequence[Fact]) -> Answer:
    """The answer's reading with every surviving fact shown as the user's: whatever an engine
    did, `reading` says what the user set (CONTRACT §1)."""
    by_dim = {f.dimension: f for f in facts}
    reading = [
        r.model_copy(
            update={
                "source": "user",
                "state": by_dim[r.dimension].state,
                **({} if by_dim[r.dimension].state == r.state else {"evidence": []}),
            }
        )
        if r.dimension in by_dim
        else r
        for r in answer.reading
    ]
    return answer.model_copy(update={"reading": reading})


def describe(facts: Sequence[Fact]) -> str:
    """A correction turn's stored text (for people reading the store; no reader sees it)."""
    return "corrected: " + (", ".join(f"{f.dimension}={f.state}" for f in facts) or "nothing")
