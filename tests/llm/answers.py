"""Structured answers a model might send, and readers for what the stand-in received."""

from __future__ import annotations

import re
from typing import Any

from tests.support.fake_openai import Recorded

PROJECT = (
    "Support assistant over 3,000 help articles that change weekly; answers must cite the "
    "article they come from so agents can check them."
)
_PASSAGE = re.compile(r'<passage id="(P\d+)"[^>]*>\n(.*?)\n</passage>', re.DOTALL)


def structured(**overrides: Any) -> dict[str, Any]:
    """A well-formed answer citing the first two passages it was shown."""
    args: dict[str, Any] = {
        "verdict": "rag",
        "confidence": 0.8,
        "summary": "Start with RAG: the articles change weekly and answers must show sources.",
        "reasons": [
            {
                "text": "The help articles change every week, so the knowledge must be "
                "retrieved at query time rather than trained in.",
                "passage_ids": ["P1"],
            },
            {
                "text": "Agents must check where an answer came from, which retrieval "
                "supports by citing the source documents.",
                "passage_ids": ["P2"],
            },
        ],
        "follow_up_questions": ["Must answers follow a fixed format or tone?"],
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
