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

from bot.core.triage.analysis import Reading
from bot.core.triage.decide import LIGHT_DRIVER, PROMPT_FIRST, Decision
from bot.core.triage.phrases import Entry, Phrases, render
from bot.core.types import Verdict

MAX_REASONS = 5
MAX_FOLLOW_UPS = 3
_SINGULAR = {
    "pricing",
    "news",
    "status",
    "inventory",
    "erp",
    "crm",
    "data",
    "information",
    "info",
    "knowledge",
    "content",
    "documentation",
    "codebase",
    "stock",
    "kbs",
}
_FOLLOW_UPS = {
    Verdict.RAG: ("changing", "citations", "volume", "format"),
    Verdict.FINE_TUNING: ("examples", "prompting", "missing", "latency"),
    Verdict.BOTH: ("changing", "citations", "examples", "prompting"),
    Verdict.PROMPT_ENGINEERING: ("missing", "format"),
}


@dataclass(frozen=True, slots=True)
class Draft:
    """A reason's text and the phrase entry whose query and anchors back it."""

    text: str
    entry: Entry


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
        drafts = [Draft(text, entry), *drafts]
        if not restating:
            answer = text.split(". ")[0].rstrip(".") + "."
            key = "question_clarify" if verdict is Verdict.CLARIFY else "question"
            summary = _sentence(render(phrases.summary[key], {**fields, "answer": answer}))
    return Composition(summary, drafts[:MAX_REASONS], _follow_ups(reading, decision, phrases))


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
        Draft(render(entry.reason, fields), entry)
        for entry in (_driver_entry(d, phrases) for d in decision.drivers[:limit])
    ]
    extras = _extras(reading, decision)
    for key in extras:
        entry = phrases.extra[key]
        position = 1 if key.startswith("wrong") else len(drafts)
        drafts.insert(position, Draft(render(entry.reason, fields), entry))
    filler = {
        Verdict.RAG: "rag_framework",
        Verdict.FINE_TUNING: "fine_tuning_framework",
        Verdict.PROMPT_ENGINEERING: "prompt_framework",
        Verdict.BOTH: "division",
    }[verdict]
    if len(drafts) < 2:
        entry = phrases.extra[filler]
        drafts.append(Draft(render(entry.reason, fields), entry))
    return drafts


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
    return Entry(reason, entry.query, entry.anchors, entry.short, entry.ask)


def _summary(reading: Reading, decision: Decision, phrases: Phrases, fields: dict[str, str]) -> str:
    verdict = decision.verdict
    if verdict is Verdict.CLARIFY:
        return phrases.summary["clarify"]
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
    show = phrases.display
    data = _show(reading.term("data", "changing") or reading.term("data") or "documents", show)
    source = _show(reading.term("data", "private") or data, show)
    singular = data.lower() in _SINGULAR or not data.lower().endswith("s")
    fmt = _format(reading.term("format"))
    voice = _voice(reading.term("style"))
    fields = {
        "data": data,
        "source": source,
        "s": "s" if singular else "",
        "it": "it" if singular else "they",
        "freq": _freq(reading.term("freq")),
        "volume": _show(reading.term("volume") or "a large document set", show),
        "fmt": fmt,
        "voice": voice,
        "jargon": _jargon(reading.term("jargon")),
        "skill": _skill(reading.term("skill")),
        "latency": _latency(reading.term("latency")),
        "examples": _show(
            reading.term("examples")
            or reading.term("examples", polarity=-1)
            or "labelled examples",
            show,
        ),
        "stage": _stage(reading.term("stage")),
        "fmt_or_voice": fmt
        if reading.strength("format")
        else voice
        if reading.strength("style")
        else "the behaviour you want",
        "label": phrases.labels[decision.verdict.value],
        "answer": "",
        "tail": "",
    }
    behaviour = [
        fields[k] for k, d in (("fmt", "format"), ("voice", "style")) if reading.strength(d)
    ] or ["tone, format"]
    fields["behaviour_terms"] = ", ".join(behaviour)
    fields["knowledge_terms"] = f"your {data}"
    fields["drivers"] = _drivers_text(reading, decision, phrases, fields)
    return fields


def _drivers_text(
    reading: Reading, decision: Decision, phrases: Phrases, fields: dict[str, str]
) -> str:
    drivers = list(decision.drivers)
    if ("changing", 1) in drivers[:2] and fields["source"] == fields["data"]:
        drivers = [d for d in drivers if d != ("private", 1)]
    shorts = [render(_driver_entry(d, phrases).short, fields) for d in drivers[:2]]
    shorts = [s for s in dict.fromkeys(shorts) if s]
    if not shorts:
        return "nothing you described yet decides it"
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


def _freq(term: str | None) -> str:
    if not term:
        return "regularly"
    term = term.strip()
    if term.startswith(("real", "realtime")):
        return "in real time"
    if term.startswith(("a ", "an ", "per ", "each ")):
        return "every " + term.split(" ", 1)[1]
    return term


def _format(term: str | None) -> str:
    t = (term or "").lower()
    for key, phrase in (
        ("json schema", "your JSON schema"),
        ("schema", "your schema"),
        ("json", "a strict JSON format"),
        ("xml", "a strict XML format"),
        ("yaml", "a strict YAML format"),
        ("csv", "a CSV layout"),
        ("template", "your template"),
        ("report format", "your report format"),
        ("table", "a table layout"),
    ):
        if key in t:
            return phrase
    return "a fixed format"


def _voice(term: str | None) -> str:
    t = (term or "").lower()
    if "brand" in t or "on-brand" in t or "on brand" in t:
        return "your brand voice"
    if "house style" in t or "style guide" in t:
        return "your house style"
    adjective = re.match(
        r"(friendly|formal|informal|casual|playful|witty|empathetic|polite|warm"
        r"|upbeat|cheerful|professional|humorous)",
        t,
    )
    if adjective:
        return f"a {adjective.group(1)} tone"
    return "your own voice"


def _jargon(term: str | None) -> str:
    t = (term or "").lower()
    for key, name in (
        ("acronym", "acronyms"),
        ("abbreviation", "abbreviations"),
        ("jargon", "jargon"),
        ("coding", "clinical codes"),
        ("icd", "clinical codes"),
        ("legalese", "legal language"),
        ("shorthand", "shorthand"),
    ):
        if key in t:
            return name
    return "terminology"


def _skill(term: str | None) -> str:
    t = (term or "").lower()
    for stem, name in (
        ("classif", "classification"),
        ("categor", "categorisation"),
        ("extract", "extraction"),
        ("rout", "routing"),
        ("tag", "tagging"),
        ("label", "labelling"),
        ("sentiment", "sentiment"),
        ("pars", "parsing"),
        ("entit", "entity extraction"),
        ("sql", "text-to-SQL"),
        ("moderation", "moderation"),
        ("triag", "triage"),
    ):
        if stem in t:
            return name
    return "structured"


def _latency(term: str | None) -> str:
    t = (term or "").lower()
    if re.search(r"\d+(?:\.\d+)? m?s\b", t):
        return f"responses within {t}"
    if "requests a day" in t:
        return f"to serve {t} cheaply"
    if any(w in t for w in ("cost", "expensive", "cheap", "bill", "spend", "pricey")):
        return "a lower cost per query"
    if any(w in t for w in ("device", "offline", "locally", "laptop", "phone", "edge", "cpu")):
        return "a model that runs on the device"
    if "small" in t:
        return "a smaller, cheaper model"
    return "low latency"


def _stage(term: str | None) -> str:
    t = (term or "").lower()
    for stem, name in (
        ("hackathon", "hackathon project"),
        ("hack", "hackathon project"),
        ("proof", "proof of concept"),
        ("poc", "proof of concept"),
        ("demo", "demo"),
        ("mvp", "MVP"),
        ("pilot", "pilot"),
        ("experiment", "experiment"),
        ("explor", "exploration"),
        ("side project", "side project"),
        ("weekend", "side project"),
    ):
        if stem in t:
            return name
    return "prototype"
