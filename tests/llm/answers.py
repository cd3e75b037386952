"""Readings a model might send, and readers for what the stand-in received."""

from __future__ import annotations

import re
from typing import Any

from tests.support.fake_openai import Recorded

PROJECT = (
    "Support assistant over 3,000 help articles that change weekly; answers must cite the "
    "article they come from so agents can check them."
)
_PASSAGE = re.compile(r'<passage id="(P\d+)"[^>]*>\n(.*?)\n</passage>', re.DOTALL)


def fact(dim: str, quote: str, state: str = "yes", ids: list[str] | None = None) -> dict[str, Any]:
    return {"dim": dim, "state": state, "quote": quote, "ids": ids or []}


def structured(**overrides: Any) -> dict[str, Any]:
    """A well-formed reading of `PROJECT`, naming the first two passages it was shown."""
    args: dict[str, Any] = {
        "facts": [
            fact("changing", "help articles that change weekly", ids=["P1"]),
            fact("citations", "answers must cite the article they come from", ids=["P2"]),
        ],
        "verdict": "rag",
    }
    args.update(overrides)
    return args


def messages_of(request: Recorded) -> dict[str, str]:
    """Role → content of the chat messages the stand-in received."""
    return {m["role"]: m["content"] for m in request.body["messages"]}


def shown_passages(request: Recorded) -> dict[str, str]:
    """Alias → passage text as the model was shown it (angle brackets neutralised)."""
    return dict(_PASSAGE.findall(messages_of(request)["user"]))


def squash(text: str) -> str:
    return " ".join(text.split())
