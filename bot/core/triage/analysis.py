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
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.core.triage.dimensions import BY_NAME, DIMENSIONS, TOOLS, on_side
from bot.core.triage.guard import strip_injections
from bot.core.triage.questions import Question, find_question
from bot.core.triage.signals import Mention, antecedent, detect
from bot.core.triage.text import (
    Clause,
    clauses,
    clip_words,
    evidence_fragment,
    normalize,
    sentences,
    verbatim,
)
from bot.core.types import Fact, ReadingItem, Span, State

TOOL_DIMENSIONS = TOOLS
_TOKENS = re.compile(r"[a-z][a-z0-9]{2,}")
MAX_EVIDENCE = 3
# When the words can't be located (heavy markup), the start of the message stands in: still
# the user's own text, copied.
MAX_FALLBACK_CHARS = 120
PAIRED_HISTORY = "examples.paired-history"
USER_STRENGTH = 1.0
"""What a fact the user set weighs in `decide`: a plainly stated need."""
USER_RULE = "user.fact"
_RELATIVE = re.compile(r"^(?:which|that|these|those|they|it)\b")
# What a model already does well: "it sounds like us, uses all our acronyms".
_HAS = (
    r"(?:sounds|uses|writes|gets|follows|handles|nails|matches|speaks|talks|knows|answers"
    r"|replies|responds)\b"
)
# At the clause's start, or after "and": "we did a quick LoRA and the model now answers in the
# right tone" (not after "so": "add RAG so it follows our schema" is what they want).
_ACHIEVED = re.compile(
    r"(?:^|\band\s+)"
    r"(?:it|the (?:fine-tuned |tuned |trained )?model|our (?:fine-tuned |tuned )?model"
    r"|the (?:fine-tuned|tuned) one)\s+(?:already\s+|now\s+)?" + _HAS
)
_BARE_VERB = re.compile(r"^(?:already\s+)?" + _HAS)
_COMPLAINT = re.compile(
    r"\b(?:wrong|bad|badly|poorly|inconsistent\w*|too|not|never|no|incorrect\w*|generic"
    r"|robotic|bland|stiff|off|odd|weird|random\w*)\b|n't\b"
)
# "a few hundred gold labels, for evaluation", "~200 labelled functions for testing": labels
# kept to measure a model are not data to train one (unless the sentence also trains on them).
_FOR_TESTING = re.compile(
    r"\b(?:for (?:evaluation|evaluating|testing|validation|eval|scoring|benchmarking)"
    r"|as (?:a|an|our|the) (?:test|eval|evaluation|validation|reference|holdout|held-out) set"
    r"|(?:test|eval|evaluation|validation) set|benchmark|to (?:evaluate|test|measure|validate) )"
)
_TRAINING = re.compile(r"\btrain|\bfine-?tun|\blearn from")
BEHAVIOUR_SIDE = frozenset(on_side("behaviour"))
HISTORY_IS_NOT = frozenset({"private", "volume", "missing"})
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
# "is there an LLM that just does this well out of the box?": whether a model already does the
# job, asked (a sentence opening like a question: the question mark is gone by now), is not a
# report that it does.
_ASKS_WHETHER = re.compile(
    r"^(?:is|are) there\b|^(?:can|could|does|do|would|will|is|are|should|might) (?:a|an|any|some"
    r"|the|gpt\S*|an? \w+|it|they|this|that|chatgpt|claude|gemini|llms?)\b"
)
# "do we even need citations?": a need asked about, not stated.
_ASKED = re.compile(
    r"^(?:do|does|would|will|should|shall) (?:we|it|you|they|i|the \w+) (?:even |really "
    r"|actually |also |still )?(?:need|require|have to|want)\b"
)


@dataclass(frozen=True, slots=True)
class Need:
    """The current state of one dimension in the thread, and the user's words behind it."""

    dimension: str
    polarity: int
    strength: float
    message: int
    terms: dict[str, str] = field(default_factory=dict)
    evidence: tuple[Span, ...] = ()
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule that fired on one clause (for `--explain`); `kept` if the reading used it."""

    rule: str
    dimension: str
    polarity: int
    strength: float
    span: Span
    kept: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the decision needs from a thread: per dimension a state, a strength and the
    user's own words (`Span`s copied verbatim from their messages)."""

    needs: dict[str, Need]
    focus: frozenset[str]
    proposal: str | None
    question: Question | None
    injected: bool
    messages: int
    proposal_evidence: tuple[Span, ...] = ()
    question_evidence: tuple[Span, ...] = ()
    hits: tuple[Hit, ...] = ()
    texts: tuple[str, ...] = ()
    """The messages as read: normalised, instructions to the bot and a follow-up question cut."""
    opening: tuple[Span, ...] = ()
    """The start of the newest message, as typed: what a reason rests on when no rule read it."""
    given: frozenset[str] = frozenset()
    """The dimensions whose state the user set directly (`with_facts`), not a reader."""

    @property
    def text(self) -> str:
        """The messages as read, in one string: what the precedents' vote and the word model
        read."""
        return " ".join(self.texts)

    @property
    def words(self) -> int:
        """How many words the messages have, as read."""
        return sum(len(text.split()) for text in self.texts)

    @property
    def revised(self) -> frozenset[str]:
        """The dimensions a later message turned round ("actually, forget citations", "update:
        we tried prompting and it failed"): said one way in an earlier message, read the other
        way now."""
        return frozenset(
            h.dimension
            for h in self.hits
            if not h.kept
            and (need := self.needs.get(h.dimension)) is not None
            and need.polarity != h.polarity
            and h.span.turn <= need.message
        )

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

    def state(self, dimension: str) -> State:
        need = self.needs.get(dimension)
        if need is None:
            return "unknown"
        return "yes" if need.polarity > 0 else "no"

    def evidence(self, dimension: str, polarity: int | None = None) -> tuple[Span, ...]:
        need = self.needs.get(dimension)
        if need is None or (polarity is not None and need.polarity != polarity):
            return ()
        return need.evidence

    def ground(self, text: str) -> tuple[Span, ...]:
        """The user's words a reason written elsewhere (by a model) rests on: the stated need
        sharing most words with it (ties: the stronger), or the strongest need."""
        wanted = set(_TOKENS.findall(text.lower()))
        best: tuple[float, Need] | None = None
        for need in self.needs.values():
            if not need.evidence:
                continue
            label = BY_NAME[need.dimension].label if need.dimension in BY_NAME else ""
            words = set(
                _TOKENS.findall(f"{need.dimension} {label} {need.evidence[0].text}".lower())
            )
            key = (len(wanted & words) + need.strength / 10, need)
            if best is None or key[0] > best[0]:
                best = key
        return best[1].evidence[:1] if best else ()

    def items(self) -> list[ReadingItem]:
        """Every dimension of the framework, with what was read or `unknown`."""
        return [
            ReadingItem(
                dimension=d.name,
                side=d.side,
                state=self.state(d.name),
                evidence=list(self.evidence(d.name)),
                source="user" if d.name in self.given else "reader",
            )
            for d in DIMENSIONS
        ]


def with_facts(reading: Reading, facts: Sequence[Fact]) -> Reading:
    """The reading with the user's facts over it, whichever reader (rules, model) made it.

    A fact wins until a message after it (`Fact.turn` counts the messages before it) states
    that dimension: the newest statement wins, as between messages, so "actually the data
    never changes" written after a correction replaces it. A fact the reading agrees with keeps
    the reader's words; one it contradicts has none (the user's words were the form's)."""
    needs = dict(reading.needs)
    given: set[str] = set()
    for fact in facts:
        if fact.dimension not in BY_NAME:
            continue
        held = needs.get(fact.dimension)
        if held is not None and held.message >= fact.turn:
            continue
        given.add(fact.dimension)
        if fact.state == "unknown":
            needs.pop(fact.dimension, None)
            continue
        polarity = 1 if fact.state == "yes" else -1
        same = held is not None and held.polarity == polarity
        needs[fact.dimension] = Need(
            dimension=fact.dimension,
            polarity=polarity,
            strength=max(USER_STRENGTH, held.strength) if held and same else USER_STRENGTH,
            message=max(reading.messages - 1, 0),
            terms=dict(held.terms) if held and same else {},
            evidence=held.evidence if held and same else (),
            rules=(*held.rules, USER_RULE) if held and same else (USER_RULE,),
        )
    return replace(reading, needs=needs, given=reading.given | given)


class Reader(Protocol):
    """Turns a thread (the user's messages, oldest first) into a `Reading`."""

    def read(self, messages: Sequence[str]) -> Reading: ...


class RulesReader:
    """The lexicon's rules and detectors (`signals`) read the thread; deterministic."""

    def read(self, messages: Sequence[str]) -> Reading:
        return read_thread(messages)


def read_thread(messages: Sequence[str]) -> Reading:
    """Read all of the user's messages, oldest first; the newest may be a follow-up question.

    Evidence spans name the message by its 1-based position in `messages`.
    """
    numbered = [(turn, m) for turn, m in enumerate(messages, start=1) if m and m.strip()]
    needs: dict[str, Need] = {}
    focus: frozenset[str] = frozenset()
    proposal: str | None = None
    proposal_evidence: tuple[Span, ...] = ()
    injected = False
    question: Question | None = None
    question_evidence: tuple[Span, ...] = ()
    seen: list[tuple[Mention, Span]] = []
    texts: list[str] = []
    for index, (turn, raw) in enumerate(numbered):
        text, cut = _clean(raw)
        injected = injected or cut
        if index == len(numbered) - 1 and index > 0:
            question = find_question(text)
            if question is not None:
                asked = verbatim(raw, text[question.start : question.end] or text)
                question_evidence = (Span(turn=turn, text=asked),) if asked else ()
                text = text[: question.start] + " " + text[question.end :]
        if _RESET.match(text):
            needs, proposal, focus, texts = {}, None, frozenset(), []
        texts.append(text)
        mentions = _mentions(clauses(text, index))
        focused = [m for m in mentions if _FOCUS.search(m.clause.text) and m.polarity > 0]
        if focused:
            focus = frozenset(m.dimension for m in focused)
            mentions = [_boosted(m) if m in focused else m for m in mentions]
        spans = {id(m): _span(m, turn, raw) for m in mentions}
        seen += [(m, spans[id(m)]) for m in mentions]
        before = proposal
        proposal = _proposal(mentions, proposal)
        if proposal != before or (proposal and not proposal_evidence):
            proposal_evidence = _proposal_spans(mentions, proposal, spans) or proposal_evidence
        _merge(needs, [m for m in mentions if m.dimension not in TOOL_DIMENSIONS], index, spans)
    hits = tuple(_hit(m, span, needs) for m, span in seen)
    return Reading(
        needs,
        focus,
        proposal,
        question,
        injected,
        len(numbered),
        proposal_evidence if proposal else (),
        question_evidence,
        hits,
        tuple(texts),
        _opening(numbered),
    )


def _opening(numbered: list[tuple[int, str]]) -> tuple[Span, ...]:
    if not numbered:
        return ()
    turn, raw = numbered[-1]
    return (Span(turn=turn, text=_start_of(raw)),)


def _start_of(raw: str) -> str:
    return clip_words(raw.strip(), MAX_FALLBACK_CHARS)


def _span(mention: Mention, turn: int, raw: str) -> Span:
    """The user's words behind a mention, copied from their message (the clause if no match)."""
    fragment = evidence_fragment(mention.clause.text, *mention.span)
    text = verbatim(raw, fragment) or verbatim(raw, mention.clause.text)
    return Span(turn=turn, text=text or _start_of(raw))


def _hit(mention: Mention, span: Span, needs: dict[str, Need]) -> Hit:
    need = needs.get(mention.dimension)
    kept = need is not None and need.polarity == mention.polarity and span in need.evidence
    return Hit(mention.rule, mention.dimension, mention.polarity, mention.strength, span, kept)


def _proposal_spans(
    mentions: list[Mention], proposal: str | None, spans: dict[int, Span]
) -> tuple[Span, ...]:
    return tuple(
        spans[id(m)]
        for m in mentions
        if m.polarity > 0 and proposal and TOOL_DIMENSIONS.get(m.dimension) == proposal
    )[:1]


def _clean(raw: str) -> tuple[str, bool]:
    kept: list[str] = []
    cut_any = False
    for sentence in sentences(normalize(raw)):
        text, cut = strip_injections(sentence)
        cut_any = cut_any or cut
        if text.strip():
            kept.append(text)
    return ". ".join(kept), cut_any


def _merge(
    needs: dict[str, Need], mentions: list[Mention], message: int, spans: dict[int, Span]
) -> None:
    """Fold one message's mentions into the thread state (see the module docstring)."""
    latest: dict[str, Mention] = {}
    backing: dict[str, list[Mention]] = {}
    for mention in mentions:
        held = latest.get(mention.dimension)
        if held is None or held.polarity != mention.polarity:
            if held is None or mention.clause.index >= held.clause.index:
                latest[mention.dimension] = mention
                backing[mention.dimension] = [mention]
            continue
        backing[mention.dimension].append(mention)
        if mention.strength > held.strength:
            latest[mention.dimension] = _with_terms(mention, held)
        else:
            latest[mention.dimension] = _with_terms(held, mention)
    for dimension, mention in latest.items():
        old = needs.get(dimension)
        terms = dict(mention.terms)
        strength = mention.strength
        ranked = sorted(backing[dimension], key=lambda m: -m.strength)
        evidence = tuple(spans[id(m)] for m in ranked)
        rules = tuple(m.rule for m in ranked)
        if old is not None and old.polarity == mention.polarity:
            strength = max(strength, old.strength)
            terms = {**old.terms, **terms}
            evidence += old.evidence
            rules += old.rules
        evidence = tuple(dict.fromkeys(evidence))[:MAX_EVIDENCE]
        terms = _anchored(terms, evidence)
        needs[dimension] = Need(
            dimension, mention.polarity, strength, message, terms, evidence, rules
        )


def _anchored(terms: dict[str, str], evidence: tuple[Span, ...]) -> dict[str, str]:
    """Drop the source noun when none of the evidence contains it: a reason names the user's
    thing only when the words that state the need name it too."""
    noun = terms.get("data")
    if noun and not any(noun in normalize(span.text) for span in evidence):
        return {k: v for k, v in terms.items() if k != "data"}
    return terms


def _mentions(parts: list[Clause]) -> list[Mention]:
    """A message's mentions; needs only asked about count half, a bare "no" takes one back,
    and a history of inputs paired with people's outputs is training data, not a source."""
    out: list[Mention] = []
    previous: list[Mention] = []
    before: Clause | None = None
    carried = False
    for clause in parts:
        same = before is not None and before.sentence == clause.sentence
        found = _history_is_not_a_source(_for_testing_only(detect(clause), clause))
        found = _achieved(found, clause, carried and same)
        carried = bool(_ACHIEVED.search(clause.text)) or (carried and same)
        if same and before is not None:
            found = [_resolved(m, before) for m in found]
        before = clause
        if _TAKE_BACK.match(clause.text) and previous:
            out = out[: len(out) - len(previous)] + [_flipped(m) for m in previous]
            previous = []
            continue
        if _ASKED.match(clause.text):
            found = [_scaled(m, 0.5) for m in found]
        if _ASKS_WHETHER.match(clause.sentence):
            found = [m for m in found if m.dimension != "base_ok"]
        if same and _has_history(found):
            # "we've got 15k accident records, each a description plus the type they assigned":
            # the records the clause before named are that history too
            out = [m for m in out if m.clause.index != clause.index - 1 or not _a_source(m)]
        out += found
        previous = found
    return out


def _a_source(mention: Mention) -> bool:
    return mention.dimension in HISTORY_IS_NOT


def _has_history(found: list[Mention]) -> bool:
    """A history of inputs paired with people's outputs is among the clause's readings."""
    return any(m.rule == PAIRED_HISTORY and m.polarity > 0 for m in found)


def _achieved(found: list[Mention], clause: Clause, carried: bool = False) -> list[Mention]:
    """ "It sounds like us, uses all our acronyms, but ...": behaviour a model already has is
    a need met, not a need (a complaint in the same clause keeps it a need). `carried`: the
    clause before, in the same sentence, was one, and this one goes on with a bare verb."""
    achieved = _ACHIEVED.search(clause.text) or (carried and _BARE_VERB.match(clause.text))
    if not achieved or _COMPLAINT.search(clause.text):
        return found
    return [
        replace(m, polarity=-1) if m.dimension in BEHAVIOUR_SIDE and m.polarity > 0 else m
        for m in found
    ]


def _resolved(mention: Mention, before: Clause) -> Mention:
    """ "our playbook of 300 positions, which gets revised every quarter": what changes is the
    noun the relative clause points back to; the evidence then spans both clauses."""
    if mention.dimension != "changing" or "data" in mention.terms:
        return mention
    if not _RELATIVE.match(mention.clause.text):
        return mention
    noun = antecedent(before.text)
    if noun is None:
        return mention
    head = before.text[noun.start() :] + ", "
    clause = replace(mention.clause, text=head + mention.clause.text)
    start, end = mention.span
    return replace(
        mention,
        clause=clause,
        span=(start + len(head), end + len(head)),
        terms={**mention.terms, "data": noun.group(1)},
    )


def _history_is_not_a_source(found: list[Mention]) -> list[Mention]:
    """ "20k tickets with the replies that closed them" is what a model learns a behaviour from
    (`examples`), not a knowledge base to look things up in: the clause's source readings go."""
    if not _has_history(found):
        return found
    return [m for m in found if not _a_source(m)]


def _for_testing_only(found: list[Mention], clause: Clause) -> list[Mention]:
    """Labelled examples the sentence keeps for measuring ("a benchmark of a few hundred gold
    labels", "we'd use them as a test set") do not make fine-tuning feasible: they go."""
    sentence = clause.sentence
    if not _FOR_TESTING.search(sentence) or _TRAINING.search(sentence):
        return found
    return [m for m in found if not (m.dimension == "examples" and m.polarity > 0)]


def _flipped(mention: Mention) -> Mention:
    return replace(mention, polarity=-mention.polarity, terms={})


def _scaled(mention: Mention, factor: float) -> Mention:
    return replace(mention, strength=mention.strength * factor)


def _boosted(mention: Mention) -> Mention:
    return replace(mention, strength=min(1.6, mention.strength + FOCUS_BOOST))


def _with_terms(keep: Mention, other: Mention) -> Mention:
    return replace(keep, terms={**other.terms, **keep.terms})


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
