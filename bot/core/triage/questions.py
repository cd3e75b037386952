"""Tell a follow-up question ("why not fine-tuning?", "what would this cost?") from more detail.

In a thread, the newest message is either more about the project (it may change the verdict)
or a question about the answer already given (it must be answered, and must not flip the
verdict). `find_question` recognises the question and the span that asks it; the words of that
span ("fine-tuning", "cost", "data") are then not read as project detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_FT = r"(?:fine[- ]?tun\w*|finetun\w*|ft|train\w* (?:a |our own |our |the |an )?(?:\w+ )?model)"
_RAG = r"(?:rag|retrieval\w*|a vector (?:db|database|store)|embeddings|a search index)"
_PE = r"(?:prompt\w*|a (?:better |good )?(?:system )?prompt|few[- ]shot\w*|instructions)"
_ASK = (
    r"(?:why not|why no|what about|how about|wouldn't|would(?:n't)? it be better (?:to|with)"
    r"|isn't|aren't|can't we|couldn't we|shouldn't we|should we|could we|can we|why (?:wouldn't"
    r"|shouldn't|can't|don't|not) (?:we|i|you)|is there a case for|what if we|why isn't (?:it|this)"
    r"|but|and|or|wouldn't it be (?:easier|cheaper|better) to|isn't it (?:easier|cheaper|better)"
    r" to|does|do|would|is)"
)
_FILL = r"(?:\s+(?:we|i|just|simply|go with|use|do|try|instead|rather|a|an|the|using|it|with))*"

_INTENTS: tuple[tuple[str, str], ...] = (
    ("why_not_fine_tuning", r"\b" + _ASK + _FILL + r"\s+" + _FT + r"\b"),
    ("why_not_rag", r"\b" + _ASK + _FILL + r"\s+" + _RAG + r"\b"),
    ("why_not_prompting", r"\b" + _ASK + _FILL + r"\s+" + _PE + r"\b"),
    (
        "combine",
        r"\b(?:(?:can|could|should|would|do) (?:we|i) (?:\w+ )?(?:do|use|combine|have|need) both"
        r"|what about both|both\?|combin\w* (?:them|the two|both|rag and)|hybrid"
        r"|rag (?:and|\+|plus) (?:fine[- ]?tun\w*|ft))\b",
    ),
    (
        "cost",
        r"\b(?:how much (?:will|would|does|is|do) (?:it|this|that|they)(?: \w+)?(?: cost)?"
        r"|costs?|costly|expensive|cheap\w*|price tag|budget|spend|tco|pricing for (?:this|it))\b",
    ),
    (
        "first_step",
        r"\b(?:what (?:should|do|would|must) (?:we|i) do (?:first|next|now)|where (?:do|should"
        r"|would|can) (?:we|i) (?:start|begin)|first steps?|next steps?|how (?:do|should|would"
        r"|can) (?:we|i) (?:start|begin|get started|proceed|go about (?:it|this))|what(?:'s| is"
        r"| are) the (?:first|next) steps?|what now|how to (?:start|begin)|roadmap|plan of action"
        r"|what do we do)\b",
    ),
    (
        "data_needed",
        r"\b(?:how much (?:training |labell?ed )?data|how many (?:\w+ )?(?:examples|samples"
        r"|documents|docs|rows|pairs|labels)|what (?:kind of |sort of |type of )?(?:training )?"
        r"data|(?:dataset|data) size|enough (?:training )?data|data (?:do|would|will) we need)\b",
    ),
    (
        "timeline",
        r"\b(?:how long|timeline|how (?:quickly|fast|soon) can|time to (?:build|ship|market)"
        r"|how many (?:weeks|months|days)|when can we (?:ship|launch))\b",
    ),
    (
        "maintenance",
        r"\b(?:maintain\w*|maintenance|keep (?:it|this|the \w+) (?:up to date|current|fresh"
        r"|updated|in sync)|when (?:the )?(?:\w+ )?(?:changes?|updates?)|retrain\w*)\b",
    ),
    ("latency", r"\b(?:latency|fast enough|how fast|speed|slow|response times?)\b"),
    (
        "why",
        r"^\W*(?:why|how come|explain|are you sure|really|what makes you|reasoning|how so"
        r"|based on what)\b|\bwhy\b",
    ),
)
_INTERROGATIVE = re.compile(
    r"^\W*(?:why|what|how|should|shall|can|could|would|will|is|are|do|does|did|which|where"
    r"|when|any|wouldn't|isn't|aren't|won't|can't|couldn't|shouldn't|and|but|so|ok so|okay so"
    r"|hm+|hmm+|wait)\b"
)


@dataclass(frozen=True, slots=True)
class Question:
    """A follow-up question: what it asks about and where, in the normalised message, it asks."""

    intent: str
    start: int
    end: int


@cache
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern)) for name, pattern in _INTENTS)


def is_question(text: str) -> bool:
    """A question mark, or a message that opens like a question ("why not rag", "what now")."""
    return "?" in text or bool(_INTERROGATIVE.match(text))


def find_question(text: str) -> Question | None:
    """The first intent a question-shaped message asks about, or "other" if none is known."""
    if not is_question(text):
        return None
    for name, pattern in _compiled():
        match = pattern.search(text)
        if match:
            return Question(name, match.start(), match.end())
    return Question("other", 0, 0)
