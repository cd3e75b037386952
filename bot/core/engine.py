"""The triage engine seam: offline rules and the LLM agent both implement `Engine`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.types import Answer


class Engine(Protocol):
    name: str

    async def answer(self, messages: Sequence[str]) -> Answer:
        """Answer the thread so far: `messages` are the user's messages, oldest first, newest last.

        The verdict reflects all of them; a newest message that is a question ("why not
        fine-tuning?") is answered as a question while restating the current verdict. The
        returned answer has `thread=None` and `turn=1`; the service fills both in.
        """
        ...
