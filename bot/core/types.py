"""The project's own small types: the answer object of CONTRACT §1 and the turn it belongs to."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Verdict(StrEnum):
    RAG = "rag"
    FINE_TUNING = "fine_tuning"
    BOTH = "both"
    PROMPT_ENGINEERING = "prompt_engineering"
    CLARIFY = "clarify"


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.RAG: "RAG (retrieval-augmented generation)",
    Verdict.FINE_TUNING: "Fine-tuning",
    Verdict.BOTH: "Both: RAG for knowledge, fine-tuning for behaviour",
    Verdict.PROMPT_ENGINEERING: "Prompt engineering first",
    Verdict.CLARIFY: "Need more detail",
}


class Citation(BaseModel):
    """A verbatim quote from one knowledge document; built by the bot, never by a model."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str = Field(description="knowledge/<file>")
    title: str
    quote: str
    url: str | None = None
    passage_id: str = Field(default="", exclude=True)
    author: str | None = Field(default=None, exclude=True)
    date: str | None = Field(default=None, exclude=True)


class Span(BaseModel):
    """Words copied verbatim from the user's message number `turn` (1-based, in the thread)."""

    model_config = ConfigDict(frozen=True)

    turn: int = Field(ge=1)
    text: str


State = Literal["yes", "no", "unknown"]
Side = Literal["knowledge", "behaviour", "prompt-first", "enabler"]


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    citations: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)
    set_by_user: list[str] = Field(default_factory=list)
    """The dimensions the user set directly (the correction form) that this reason rests on
    when no words of theirs say it; `evidence` is then empty rather than borrowed."""
    lead: str = Field(
        default="",
        exclude=True,
        description="Two or three words naming the reason (a bold lead-in in Teams), or empty.",
    )


class ReadingItem(BaseModel):
    """What was read about one dimension of the decision framework, and the words behind it."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    side: Side
    state: State = "unknown"
    evidence: list[Span] = Field(default_factory=list)
    source: Literal["reader", "user"] = "reader"


class RuleHit(BaseModel):
    """One rule that fired, for `ask --explain`: where, on which words, saying what."""

    model_config = ConfigDict(frozen=True)

    rule: str
    dimension: str
    state: State
    strength: float
    turn: int
    text: str
    kept: bool = Field(description="whether this hit is the one the reading kept")


class PrecedentHit(BaseModel):
    """One labelled case near the thread, for `ask --explain`."""

    model_config = ConfigDict(frozen=True)

    id: str
    verdict: Verdict
    score: float
    source: str = ""


class Explanation(BaseModel):
    """Why an answer came out as it did: the rules that fired, the scores, the decision path."""

    model_config = ConfigDict(frozen=True)

    hits: list[RuleHit] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict)
    why: list[str] = Field(default_factory=list)
    precedents: list[PrecedentHit] = Field(default_factory=list)
    rules_reading: list[ReadingItem] = Field(default_factory=list)
    """LLM path: what the rules read (the answer's `reading` is the merged one)."""
    model_reading: list[ReadingItem] = Field(default_factory=list)
    """LLM path: the facts the model stated that the user's words show."""
    model_verdict: Verdict | None = None
    decided_by: str = ""
    """LLM path: whose verdict the answer gives (`framework` or `model`) and why."""


class Answer(BaseModel):
    """One triage turn, identical for every path (CLI, Slack, Teams, offline, LLM)."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    confidence: float = Field(ge=0.0, le=1.0)
    summary: str
    reasons: list[Reason]
    citations: list[Citation]
    follow_up_questions: list[str] = Field(default_factory=list)
    reading: list[ReadingItem] = Field(default_factory=list)
    engine: Literal["offline", "llm"] = "offline"
    thread: str | None = None
    turn: int = 1
    notice: str | None = Field(
        default=None,
        exclude=True,
        description="A short note for the user (e.g. the detailed analysis was unavailable).",
    )
    explanation: Explanation | None = Field(
        default=None, exclude=True, description="Rules, spans and scores, for `ask --explain`."
    )

    def citation(self, cid: str) -> Citation | None:
        return next((c for c in self.citations if c.id == cid), None)


@dataclass(frozen=True, slots=True)
class Fact:
    """What a person set directly about one dimension of their project (issue 16): it wins over
    every reader until they change it, or until a message after `turn` states that dimension."""

    dimension: str
    state: State
    turn: int = 0
    """The thread's turn number when it was set (to an engine: how many of the messages it was
    given came before it)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One stored turn of a thread: a user's message (or correction) and the verdict it got."""

    role: Literal["user", "bot"]
    text: str
    user: str = ""
    verdict: str | None = None
    citation_ids: tuple[str, ...] = ()
    at: float = field(default_factory=time.time)
    number: int = 0
    """User turns: how many user messages the thread had up to this one (survives the cap)."""
    kind: Literal["message", "correction"] = "message"
    """A correction is a user turn without words for the readers: only its `facts`."""
    facts: tuple[Fact, ...] = ()
    """A correction: the facts it set. A bot turn: every fact in force after it, so the newest
    bot turn (which the cap always keeps) holds the thread's facts."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """A user's message as the core sees it, whatever platform it came from."""

    thread_key: str | None
    user: str
    text: str
    platform: str = "cli"
