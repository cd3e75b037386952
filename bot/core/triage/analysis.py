"""Read a whole thread into the state of each decision dimension.

The verdict must reflect everything said, and a later statement about a dimension replaces an
earlier one ("actually, forget citations, it's about tone"). So each dimension keeps one
`Need`: its direction, how strongly it was stated and the user's words. Within one message
restatements in the same direction keep the strongest wording, and the later of two opposite
statements wins; a later message wins outright on polarity. Long pasted notes therefore add
dimensions, not weight: ten sentences about citations count as one citation need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.triage.guard import strip_injections
from bot.core.triage.questions import Question, find_question
from bot.core.triage.signals import Mention, detect
from bot.core.triage.text import Clause, clauses, normalize, sentences

TOOL_DIMENSIONS = {"tool_ft": "fine_tuning", "tool_rag": "rag", "tool_pe": "prompt_engineering"}
PROPOSALS = ("fine_tuning", "rag")
_RESET = re.compile(
    r"^\W*(?:scratch that|start over|never ?mind(?: all that| everything)?"
    r"|forget (?:all|everything)"
    r"(?: (?:of )?that| i said)?|new (?:project|idea)|different (?:project|idea)"
    r"|another (?:project|idea)|totally different)\b"
)
_CHOICE = re.compile(r"\b(?:or|vs\.?|versus|and/or)\b")
# "it's about tone", "the real problem is format": the clause names what the project is about.
_FOCUS = re.compile(
    r"\b(?:it'?s|it is|this is|that'?s|problem is|issue is)\s+(?:really |all |mostly |more "
    r"|mainly |only |actually |purely )?about\b|\b(?:real|main|actual|core|only|big) (?:problem"
    r"|issue|need|point|goal|pain|gap)\b|\bwhat (?:really )?matters is\b|\bmain thing\b"
    r"|\b(?:more|mostly|mainly|primarily|all) about\b|\bthe key is\b"
)
FOCUS_BOOST = 0.4
# "citations? probably not": a bare answer that takes back the clause before it.
_TAKE_BACK = re.compile(
    r"^(?:no|nope|nah|not really|probably not|i don'?t think so|not needed|no need|not at all"
    r"|don'?t think so|not necessarily|not required)$"
)
# "do we even need citations?": a need asked about, not stated.
_ASKED = re.compile(
    r"^(?:do|does|would|will|should|shall) (?:we|it|you|they|i|the \w+) (?:even |really "
    r"|actually |also |still )?(?:need|require|have to|want)\b"
)


@dataclass(frozen=True, slots=True)
class Need:
    """The current state of one dimension in the thread."""

    dimension: str
    polarity: int
    strength: float
    message: int
    terms: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the decision needs from a thread, and nothing of its raw text."""

    needs: dict[str, Need]
    focus: frozenset[str]
    proposal: str | None
    question: Question | None
    injected: bool
    messages: int

    def strength(self, dimension: str, polarity: int = 1) -> float:
        need = self.needs.get(dimension)
        return need.strength if need and need.polarity == polarity else 0.0

    def term(self, name: str, dimension: str | None = None, polarity: int = 1) -> str | None:
        """The user's own word for `name` (e.g. "data": "catalogue"), newest statement first.

        With `dimension`, only that dimension's statement is asked.
        """
        for need in sorted(self.needs.values(), key=lambda n: (-n.message, -n.strength)):
            if dimension is not None and need.dimension != dimension:
                continue
            if need.polarity == polarity and need.terms.get(name):
                return need.terms[name]
        return None


def read_thread(messages: Sequence[str]) -> Reading:
    """Read all of the user's messages, oldest first; the newest may be a follow-up question."""
    texts = [m for m in messages if m and m.strip()]
    needs: dict[str, Need] = {}
    focus: frozenset[str] = frozenset()
    proposal: str | None = None
    injected = False
    question: Question | None = None
    for index, raw in enumerate(texts):
        text, cut = _clean(raw)
        injected = injected or cut
        if index == len(texts) - 1 and index > 0:
            question = find_question(text)
            if question is not None:
                text = text[: question.start] + " " + text[question.end :]
        if _RESET.match(text):
            needs, proposal, focus = {}, None, frozenset()
        mentions = _mentions(clauses(text, index))
        focused = [m for m in mentions if _FOCUS.search(m.clause.text) and m.polarity > 0]
        if focused:
            focus = frozenset(m.dimension for m in focused)
            mentions = [_boosted(m) if m in focused else m for m in mentions]
        proposal = _proposal(mentions, proposal)
        _merge(needs, [m for m in mentions if m.dimension not in TOOL_DIMENSIONS], index)
    return Reading(needs, focus, proposal, question, injected, len(texts))


def _clean(raw: str) -> tuple[str, bool]:
    kept: list[str] = []
    cut_any = False
    for sentence in sentences(normalize(raw)):
        text, cut = strip_injections(sentence)
        cut_any = cut_any or cut
        if text.strip():
            kept.append(text)
    return ". ".join(kept), cut_any


def _merge(needs: dict[str, Need], mentions: list[Mention], message: int) -> None:
    """Fold one message's mentions into the thread state (see the module docstring)."""
    latest: dict[str, Mention] = {}
    for mention in mentions:
        held = latest.get(mention.dimension)
        if held is None or held.polarity != mention.polarity:
            if held is None or mention.clause.index >= held.clause.index:
                latest[mention.dimension] = mention
        elif mention.strength > held.strength:
            latest[mention.dimension] = _with_terms(mention, held)
        else:
            latest[mention.dimension] = _with_terms(held, mention)
    for dimension, mention in latest.items():
        old = needs.get(dimension)
        terms = dict(mention.terms)
        strength = mention.strength
        if old is not None and old.polarity == mention.polarity:
            strength = max(strength, old.strength)
            terms = {**old.terms, **terms}
        needs[dimension] = Need(dimension, mention.polarity, strength, message, terms)


def _mentions(parts: list[Clause]) -> list[Mention]:
    """A message's mentions; needs only asked about count half, a bare "no" takes one back."""
    out: list[Mention] = []
    previous: list[Mention] = []
    for clause in parts:
        found = detect(clause)
        if _TAKE_BACK.match(clause.text) and previous:
            out = out[: len(out) - len(previous)] + [_flipped(m) for m in previous]
            previous = []
            continue
        if _ASKED.match(clause.text):
            found = [_scaled(m, 0.5) for m in found]
        out += found
        previous = found
    return out


def _flipped(mention: Mention) -> Mention:
    return Mention(mention.dimension, -mention.polarity, mention.strength, mention.clause)


def _scaled(mention: Mention, factor: float) -> Mention:
    strength = mention.strength * factor
    return Mention(mention.dimension, mention.polarity, strength, mention.clause, mention.terms)


def _boosted(mention: Mention) -> Mention:
    strength = min(1.6, mention.strength + FOCUS_BOOST)
    return Mention(mention.dimension, mention.polarity, strength, mention.clause, mention.terms)


def _with_terms(keep: Mention, other: Mention) -> Mention:
    merged = {**other.terms, **keep.terms}
    return Mention(keep.dimension, keep.polarity, keep.strength, keep.clause, merged)


def _proposal(mentions: list[Mention], current: str | None) -> str | None:
    """The tool the user has in mind: the last one named without negation or an either/or."""
    tools = [m for m in mentions if m.dimension in TOOL_DIMENSIONS]
    by_clause: dict[int, list[Mention]] = {}
    for mention in tools:
        by_clause.setdefault(mention.clause.index, []).append(mention)
    for group in by_clause.values():
        clause: Clause = group[0].clause
        kinds = {m.dimension for m in group}
        if len(kinds) > 1 and _CHOICE.search(clause.text):
            continue
        for mention in group:
            if TOOL_DIMENSIONS[mention.dimension] not in PROPOSALS:
                continue
            if mention.polarity > 0:
                current = TOOL_DIMENSIONS[mention.dimension]
            elif current == TOOL_DIMENSIONS[mention.dimension]:
                current = None
    return current
