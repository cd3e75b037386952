"""Put a decision into words: summary, reasons, follow-up questions, in the user's own terms.

The words come from the phrase file; what this module adds is choice and order — which
dimensions become reasons, when the user's proposed tool gets a "wrong tool" reason, what the
summary leads with when the newest message asked a question, which missing dimension is worth
a follow-up question. Only lexicon terms (never raw message text) fill the templates, so
nothing a user pasted, injected instructions included, is echoed back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.shorten import shorten
from bot.core.triage.analysis import Reading
from bot.core.triage.decide import BEHAVIOUR, KNOWLEDGE, LIGHT_DRIVER, PROMPT_FIRST, Decision
from bot.core.triage.phrases import Entry, Phrases, render
from bot.core.types import Span, Verdict

MAX_REASONS = 5
MAX_FOLLOW_UPS = 3
MAX_EVIDENCE = 2
NOTE_CHARS = 160
_FOLLOW_UPS = {
    Verdict.RAG: ("changing", "citations", "volume", "format"),
    Verdict.FINE_TUNING: ("examples", "prompting", "missing", "latency"),
    Verdict.BOTH: ("changing", "citations", "examples", "prompting"),
    Verdict.PROMPT_ENGINEERING: ("missing", "format"),
}


@dataclass(frozen=True, slots=True)
class Draft:
    """A reason's text, the phrase entry whose query and anchors back it, and the user's words
    it rests on."""

    text: str
    entry: Entry
    evidence: tuple[Span, ...] = ()
    set_by_user: tuple[str, ...] = ()
    """The dimensions the user set in the form that the draft rests on, when no words do."""


@dataclass(frozen=True, slots=True)
class Composition:
    summary: str
    drafts: list[Draft]
    follow_ups: list[str]


def compose(reading: Reading, decision: Decision, phrases: Phrases) -> Composition:
    fields = _fields(reading, decision, phrases)
    verdict = decision.verdict
    drafts = _verdict_drafts(reading, decision, phrases, fields)
    summary = _summary(reading, decision, phrases, fields)
    question = reading.question
    restating = question is not None and question.intent in ("why", "other")
    if question is not None and not (restating and verdict is Verdict.CLARIFY):
        entry = phrases.question(question.intent, verdict.value)
        if not entry.anchors and decision.drivers:
            entry = _driver_entry(decision.drivers[0], phrases, entry.reason)
        elif not entry.anchors:
            entry = phrases.extra["clarify_problem"]
        text = _sentence(render(entry.reason, fields))
        backing = reading.question_evidence + _driver_evidence(reading, decision.drivers[:1])
        drafts = [Draft(text, entry, backing), *drafts]
        if not restating:
            answer = text.split(". ")[0].rstrip(".") + "."
            key = "question_clarify" if verdict is Verdict.CLARIFY else "question"
            summary = _sentence(render(phrases.summary[key], {**fields, "answer": answer}))
    if verdict is not Verdict.CLARIFY:
        drafts = [_backed(d, reading, decision) for d in drafts]
    return Composition(summary, drafts[:MAX_REASONS], _follow_ups(reading, decision, phrases))


def _backed(draft: Draft, reading: Reading, decision: Decision) -> Draft:
    """The draft with at most `MAX_EVIDENCE` spans; one with none gets the verdict's drivers'."""
    evidence = tuple(dict.fromkeys(draft.evidence))
    if not evidence and draft.set_by_user:
        return draft  # what the user set says it: no borrowed words
    if not evidence:
        evidence = _driver_evidence(reading, decision.drivers) or _any_evidence(reading)
    evidence = evidence or reading.opening
    return Draft(draft.text, draft.entry, evidence[:MAX_EVIDENCE])


def _driver_evidence(reading: Reading, drivers: tuple[tuple[str, int], ...]) -> tuple[Span, ...]:
    out: tuple[Span, ...] = ()
    for dimension, polarity in drivers:
        if (dimension, polarity) == LIGHT_DRIVER:
            out += _side_evidence(reading, BEHAVIOUR)
        else:
            out += reading.evidence(dimension, polarity)[:1]
    return out


def _set_by_user(
    reading: Reading, driver: tuple[str, int], said: tuple[Span, ...]
) -> tuple[str, ...]:
    """The driver's dimension when the user set it in the form and no words of theirs say it."""
    return (driver[0],) if not said and driver[0] in reading.given else ()


def _side_evidence(reading: Reading, dimensions: tuple[str, ...]) -> tuple[Span, ...]:
    """The first span of the side's strongest stated need."""
    stated = [d for d in dimensions if reading.strength(d) > 0]
    if not stated:
        return ()
    strongest = max(stated, key=lambda d: reading.strength(d))
    return reading.evidence(strongest, 1)[:1]


def _any_evidence(reading: Reading) -> tuple[Span, ...]:
    needs = sorted(reading.needs.values(), key=lambda n: -n.strength)
    return next((n.evidence[:1] for n in needs if n.evidence), ())


def _verdict_drafts(
    reading: Reading, decision: Decision, phrases: Phrases, fields: dict[str, str]
) -> list[Draft]:
    verdict = decision.verdict
    if verdict is Verdict.CLARIFY:
        return [
            Draft(render(phrases.extra[k].reason, fields), phrases.extra[k])
            for k in ("clarify_problem", "clarify_split")
        ]
    limit = 4 if verdict is Verdict.BOTH else 3
    drafts = [
        Draft(render(entry.reason, fields), entry, said, _set_by_user(reading, d, said))
        for d, entry in ((d, _driver_entry(d, phrases)) for d in decision.drivers[:limit])
        for said in [_driver_evidence(reading, (d,))]
    ]
    extras = _extras(reading, decision)
    for key in extras:
        entry = phrases.extra[key]
        position = 1 if key.startswith("wrong") else len(drafts)
        backing = _extra_evidence(key, reading)
        drafts.insert(position, Draft(render(entry.reason, fields), entry, backing))
    filler = {
        Verdict.RAG: "rag_framework",
        Verdict.FINE_TUNING: "fine_tuning_framework",
        Verdict.PROMPT_ENGINEERING: "prompt_framework",
        Verdict.BOTH: "division",
    }[verdict]
    if decision.overruled is not None:
        # The precedents decided: say so first, with the verdict's own framework passages.
        entry = phrases.extra[filler]
        key = "precedent" if fields["precedents"] else "weighed"
        text = render(phrases.extra[key].reason, fields)
        drafts.insert(0, Draft(text, entry, _any_evidence(reading) or reading.opening))
    if len(drafts) < 2:
        entry = phrases.extra[filler]
        backing = _driver_evidence(reading, decision.drivers)
        drafts.append(Draft(render(entry.reason, fields), entry, backing))
    return drafts


def _precedents_text(decision: Decision, limit: int = NOTE_CHARS) -> str:
    """The nearest cases that chose the verdict, by their notes ("Checkr fine-tuned ...")."""
    if decision.vote is None:
        return ""
    notes = [shorten(p.note or p.id, limit) for p in decision.vote.backing(decision.verdict)]
    return "; ".join(n.rstrip(".") for n in notes if n)


def _extra_evidence(key: str, reading: Reading) -> tuple[Span, ...]:
    """The user's words an extra reason answers: the tool they proposed, and the need that
    makes it the wrong one (or the caveat's own dimension)."""
    proposal = reading.proposal_evidence
    if key == "wrong_fine_tuning_changing":
        return reading.evidence("changing", 1)[:1] + proposal
    if key == "stable_facts":
        return reading.evidence("changing", -1)[:1] + proposal
    if key == "wrong_fine_tuning_facts":
        return proposal + _side_evidence(reading, KNOWLEDGE)
    if key in ("wrong_rag", "light_behaviour"):
        return proposal + _side_evidence(reading, BEHAVIOUR)
    if key == "needs_data":
        return reading.evidence("examples", -1)[:1]
    if key == "division":
        return _side_evidence(reading, KNOWLEDGE) + _side_evidence(reading, BEHAVIOUR)
    prompt_first = tuple(s for d, p in PROMPT_FIRST for s in reading.evidence(d, p)[:1])
    return proposal + prompt_first[:1]


def _extras(reading: Reading, decision: Decision) -> list[str]:
    """Reasons beyond the drivers: the wrong tool proposed, caveats, the division of labour."""
    verdict, proposal, s = decision.verdict, reading.proposal, reading.strength
    keys: list[str] = []
    if verdict is Verdict.RAG:
        if proposal == "fine_tuning":
            if s("changing"):
                keys.append("wrong_fine_tuning_changing")
            elif s("changing", -1):
                keys.append("stable_facts")
            else:
                keys.append("wrong_fine_tuning_facts")
        if decision.scores.behaviour > 0:
            keys.append("light_behaviour")
    elif verdict is Verdict.FINE_TUNING:
        if proposal == "rag":
            keys.append("wrong_rag")
        if s("examples", -1):
            keys.append("needs_data")
    elif verdict is Verdict.PROMPT_ENGINEERING:
        if proposal == "fine_tuning":
            keys.append("wrong_fine_tuning_prompt")
        elif proposal == "rag":
            keys.append("wrong_rag_prompt")
    elif verdict is Verdict.BOTH:
        keys.append("division")
    return keys


def _driver_entry(driver: tuple[str, int], phrases: Phrases, reason: str | None = None) -> Entry:
    dimension = driver[0]
    prompt_first = driver in PROMPT_FIRST or driver == LIGHT_DRIVER
    entry = (phrases.prompt_first if prompt_first else phrases.dimensions)[dimension]
    if reason is None:
        return entry
    return Entry(reason, entry.query, entry.anchors, entry.short, entry.ask, entry.lead)


def _summary(reading: Reading, decision: Decision, phrases: Phrases, fields: dict[str, str]) -> str:
    verdict = decision.verdict
    if verdict is Verdict.CLARIFY:
        return phrases.summary["clarify"]
    if decision.overruled is not None:
        key = "weighed" if decision.weighed is not None else "precedent"
        key = key if decision.drivers else f"{key}_only"
        return _sentence(render(phrases.summary[key], fields))
    tail = phrases.tails["none"]
    proposal = reading.proposal
    if verdict is Verdict.RAG and proposal == "fine_tuning":
        key = "changing" if reading.strength("changing") else "facts"
        tail = phrases.tails[f"rag_over_fine_tuning_{key}"]
    elif verdict is Verdict.FINE_TUNING and proposal == "rag":
        tail = phrases.tails["fine_tuning_over_rag"]
    elif verdict is Verdict.PROMPT_ENGINEERING and proposal in ("fine_tuning", "rag"):
        tail = phrases.tails[f"prompt_engineering_over_{proposal}"]
    text = render(phrases.summary[verdict.value], {**fields, "tail": render(tail, fields)})
    return _sentence(text)


def _fields(reading: Reading, decision: Decision, phrases: Phrases) -> dict[str, str]:
    show, neutral = phrases.display, phrases.neutral
    # A reason names the user's thing only when that need's own words name it (`Need.terms`
    # keeps a noun only if its evidence contains it); otherwise it speaks neutrally.
    changed_term = _user_noun(reading.term("data", "changing"))
    source_term = _user_noun(reading.term("data", "private"))
    changed = _show(changed_term or neutral["changed"], show)
    data = _show(changed_term or source_term or neutral["data"], show)
    source = _show(source_term or neutral["source"], show)
    fmt = phrases.term("fmt", reading.term("format"))
    voice = phrases.term("voice", reading.term("style"))
    fields = {
        "data": data,
        "changed": changed,
        "changed_s": _verb_s(changed, phrases.singular),
        "source": source,
        "s": _verb_s(data, phrases.singular),
        "it": "it" if _verb_s(data, phrases.singular) else "they",
        "freq": _freq(reading.term("freq"), neutral["freq"]),
        "volume": _show(_user_noun(reading.term("volume")) or neutral["volume"], show),
        "fmt": fmt,
        "voice": voice,
        "jargon": phrases.term("jargon", reading.term("jargon")),
        "skill": phrases.term("skill", reading.term("skill")),
        "latency": phrases.term("latency", reading.term("latency")),
        "examples": _show(
            _user_noun(reading.term("examples") or reading.term("examples", polarity=-1), True)
            or neutral["examples"],
            show,
        ),
        "stage": phrases.term("stage", reading.term("stage")),
        "fmt_or_voice": fmt
        if reading.strength("format")
        else voice
        if reading.strength("style")
        else neutral["fmt_or_voice"],
        "label": phrases.labels[decision.verdict.value],
        "answer": "",
        "tail": "",
        "precedents": _precedents_text(decision),
        "share": f"{decision.vote.share(decision.verdict):.0%}" if decision.vote else "",
        "cases": f"{decision.weighed.cases:,}" if decision.weighed is not None else "",
    }
    behaviour = [
        fields[k] for k, d in (("fmt", "format"), ("voice", "style")) if reading.strength(d)
    ] or [neutral["behaviour_terms"]]
    fields["behaviour_terms"] = ", ".join(behaviour)
    fields["knowledge_terms"] = f"your {data}"
    fields["drivers"] = _drivers_text(reading, decision, phrases, fields)
    return fields


# The user's words for a thing, said back as a noun phrase: "2M documents inside our" -> "2M
# documents", "conversations from our best agents" -> "... your best agents"; with `strict`,
# words that end on no noun ("paired with", "years of approved") are not said at all.
_LEAD_WORDS = frozenset("with plus and along our the my".split())
_TRAIL_WORDS = frozenset(
    "of for from with in inside on at to and or our the their a an by each per so".split()
)
_RELATIVE = frozenset("that which who whom where when whose".split())
_YOUR = {"our": "your", "we": "you", "us": "you", "my": "your", "ours": "yours"}
_NOT_PLURAL = frozenset("is was has does this its us yes ours yours less across his".split())
_NOUN_END = re.compile(
    r"""(?:[a-z0-9)]s | data | set | corpus | sql | summary | answer | query | message | text
      | description | class | history | code | feedback | copy | output | label | archive
      | log | dataset | (?:->|→|=>)[\w-]+)$""",
    re.VERBOSE,
)


def _user_noun(term: str | None, strict: bool = False) -> str | None:
    if not term:
        return None
    words = term.split()
    cut = next((i for i, w in enumerate(words) if w in _RELATIVE), len(words))
    words = words[:cut]
    while words and words[0] in _LEAD_WORDS:
        words = words[1:]
    while words and words[-1] in _TRAIL_WORDS:
        words = words[:-1]
    if not words or words[0] in ("their", "his", "her", "its"):
        return None
    last = words[-1]
    if strict and (last in _NOT_PLURAL or last.endswith("ed") or not _NOUN_END.search(last)):
        return None
    return " ".join(_YOUR.get(w, w) for w in words)


def _verb_s(noun: str, singular: frozenset[str]) -> str:
    """ "s" when `noun` takes a singular verb ("the catalogue changes", "pricing changes")."""
    return "s" if noun.lower() in singular or not noun.lower().endswith("s") else ""


def _drivers_text(
    reading: Reading, decision: Decision, phrases: Phrases, fields: dict[str, str]
) -> str:
    drivers = list(decision.drivers)
    if ("changing", 1) in drivers[:2] and fields["source"] == fields["data"]:
        drivers = [d for d in drivers if d != ("private", 1)]
    shorts = [render(_driver_entry(d, phrases).short, fields) for d in drivers[:2]]
    shorts = [s for s in dict.fromkeys(shorts) if s]
    if not shorts:
        return phrases.neutral["drivers"]
    return shorts[0] if len(shorts) == 1 else ", ".join(shorts[:-1]) + " and " + shorts[-1]


def _follow_ups(reading: Reading, decision: Decision, phrases: Phrases) -> list[str]:
    verdict = decision.verdict
    if verdict is Verdict.CLARIFY:
        return list(phrases.clarify_questions[:MAX_FOLLOW_UPS])
    asks: list[str] = []
    if verdict is Verdict.PROMPT_ENGINEERING:
        asks.append(phrases.follow_up_extra["prompt_engineering"])
    for dimension in _FOLLOW_UPS[verdict]:
        if dimension not in reading.needs and phrases.dimensions[dimension].ask:
            asks.append(phrases.dimensions[dimension].ask)
    return asks[:MAX_FOLLOW_UPS]


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:]


def _show(text: str, display: Mapping[str, str]) -> str:
    """The user's words with product names and acronyms cased as people write them."""
    return " ".join(display.get(w, w) for w in text.split())


def _freq(term: str | None, default: str) -> str:
    if not term:
        return default
    term = term.strip()
    if term.startswith(("real", "realtime")):
        return "in real time"
    if term.startswith(("a ", "an ", "per ", "each ")):
        return "every " + term.split(" ", 1)[1]
    return term
