"""The triage engine seam: offline rules and the LLM agent both implement `Engine`.

An engine that holds connections or has a state worth reporting also implements the optional
`HealthReporting` (`health()`, shown by /readyz) and `Closable` (`aclose()`, awaited at
shutdown); the runtime asks for them by protocol, so an engine without either is complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from bot.core.types import Answer, Fact


class Engine(Protocol):
    name: str

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        """Answer the thread so far: `messages` are the user's messages, oldest first, newest last.

        `facts` are what the user set directly (a corrected reading); each wins over what any
        reader takes from the messages, unless a message after it (`Fact.turn` counts the
        messages before it) states that dimension again. The reading marks them
        `source="user"`. The verdict reflects all of them; a newest message that is a question
        ("why not fine-tuning?") is answered as a question while restating the current verdict. The
        returned answer has `thread=None` and `turn=1`; the service fills both in.
        """
        ...


@runtime_checkable
class HealthReporting(Protocol):
    """Optional for an `Engine`: a JSON-able report of its dependencies (e.g. the LLM breaker)."""

    def health(self) -> dict[str, Any]: ...


@runtime_checkable
class Closable(Protocol):
    """Optional for an `Engine`: release connections and files at shutdown."""

    async def aclose(self) -> None: ...
