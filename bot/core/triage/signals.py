"""Find the lexicon's signals in one clause: direction after negation, strength, the user's words.

Two kinds of detector feed the same `Mention` list: the regex rules of `lexicon`, and detectors
that need arithmetic or co-occurrence — a change verb next to a frequency ("prices change
weekly"), a count with a unit ("40000 SKUs", "2M labelled tickets"), a latency budget, a
company-owned source next to a verb of looking things up ("answer questions from our wiki").
Each mention keeps the words that triggered it so reasons can speak in the user's terms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from bot.core.triage import lexicon, numbers
from bot.core.triage.text import Clause, negated


@dataclass(frozen=True, slots=True)
class Mention:
    """One dimension stated in one clause: +1 the need is there, -1 it is explicitly absent."""

    dimension: str
    polarity: int
    strength: float
    clause: Clause
    terms: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Found:
    """A mention before it is tied to a clause: hashable, so detection can be cached."""

    dimension: str
    polarity: int
    strength: float
    terms: tuple[tuple[str, str], ...] = ()


def _found(
    dimension: str, polarity: int, strength: float, terms: dict[str, str] | None = None
) -> Found:
    return Found(dimension, polarity, strength, tuple(sorted((terms or {}).items())))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "strong": re.compile(r"\b(" + lexicon.STRONG_NOUNS + r")\b"),
        "weak": re.compile(r"\b(" + lexicon.WEAK_NOUNS + r")\b"),
        "owned": re.compile(
            r"\b(?:"
            + lexicon.POSSESSIVE
            + r")\s+(?:[\w-]+\s+){0,2}?(?:"
            + lexicon.STRONG_NOUNS
            + r"|"
            + lexicon.WEAK_NOUNS
            + r")\b"
        ),
        "access": re.compile(r"\b(?:" + lexicon.ACCESS + r")"),
        "change": re.compile(r"\b(?P<h>" + lexicon.CHANGE_VERBS + r")\b"),
        "subject_change": re.compile(
            r"\b(?:"
            + lexicon.STRONG_NOUNS
            + r"|"
            + lexicon.WEAK_NOUNS
            + r"|it|they|things|stuff|everything|which|these|those)\b(?:\s+[\w']+){0,3}?\s+"
            r"(?P<h>(?:chang|updat|revis|evolv|fluctuat|expir|get added|are added|is added"
            r"|gets? replaced|get revised|move)\w*)\b"
        ),
        "processing": re.compile(
            r"\b(?:extract|classif|categori[sz]|tag|label|route|routing|pars|summari[sz]|translat"
            r"|rewrit|convert|transform|map|fill|normali[sz]|moderat|score|detect|draft|generat"
            r"|writ|format)\w*|\bproduc(?:e|es|ed|ing)\b"
        ),
        "behaviour_noun": re.compile(
            r"\b(?:templates?|formats?|schemas?|style|tone|voice|prompts?|guidelines|persona"
            r"|requirements|instructions|rules|categories|labels|taxonomy)\b"
        ),
        "public": re.compile(
            r"\bpublic(?:ly available)? (?:[\w-]+ )?(?:docs|documentation|data|info\w*"
            r"|website|knowledge|articles|sources)"
        ),
        "support_bot": re.compile(
            r"\b(?:customer |it |hr |internal )?(?:support|help ?desk|service desk|helpdesk)"
            r" (?:bot|assistant|chatbot|agent|copilot|automation)\b"
        ),
        "doc_unit": re.compile(
            r"^(?:[\w-]+\s+){0,2}?(docs?|documents?|pages?|pdfs?|files|articles|skus?|products"
            r"|records|contracts|policies|manuals|items|entries|rows|faqs?|papers|chunks"
            r"|listings|spreadsheets|help articles|web ?pages|wiki pages|tables)\b"
        ),
        "faq_unit": re.compile(r"\b(?:faqs?|q ?& ?a|question[/-]answer|qa pairs)\b"),
        "example_unit": re.compile(
            r"\b(labell?ed|annotated|examples?|pairs|samples|training|gold|demonstrations"
            r"|approved|reviewed|corrected|verified|graded|lines of dialogue|dialogues"
            r"|engineer-written|human-written|written|(?:past|historical|agent|human|expert)"
            r" (?:replies|responses|completions|outputs|summaries|translations))\b"
        ),
        "user_unit": re.compile(
            r"^(?:[\w-]+\s+)?(users|people|person|employees|agents|staff"
            r"|customers|colleagues|analysts|lawyers|doctors|members"
            r"|team)\b"
        ),
    }


def detect(clause: Clause) -> list[Mention]:
    """Every mention in `clause`: lexicon rules first, then the computed detectors."""
    return [
        Mention(f.dimension, f.polarity, f.strength, clause, dict(f.terms))
        for f in _signals(clause.text)
    ]


@lru_cache(maxsize=8192)
def _signals(text: str) -> tuple[Found, ...]:
    """What a clause says, by its text alone (cached: a thread re-reads its earlier messages)."""
    computed = _change(text) + _private(text) + _counts(text)
    latency = numbers.latency_ms(text)
    if latency is not None and latency <= 3000:
        strength = 1.4 if latency <= 300 else 1.2 if latency <= 1000 else 0.8
        computed.append(_found("latency", 1, strength, {"latency": _ms(latency)}))
    # A count or a frequency is more specific than a word: "only 50 labelled examples" is
    # few examples even though "labelled" alone reads as having training data.
    specific = {(m.dimension, m.polarity) for m in computed}
    found = [
        m
        for m in (_apply(rule, text) for rule in lexicon.rules())
        if m is not None and (m.dimension, -m.polarity) not in specific
    ]
    return tuple(found + computed)


def _apply(rule: lexicon.Rule, text: str) -> Found | None:
    match = rule.pattern.search(text)
    if match is None:
        return None
    group = next(
        (g for g in ("h", "h2", "h3") if g in match.re.groupindex and match.group(g)), None
    )
    start, end = match.span(group) if group else match.span()
    polarity, strength = rule.polarity, rule.strength
    if rule.scope != "none" and negated(
        text,
        start,
        end,
        before=rule.scope in ("both", "before"),
        after=rule.scope in ("both", "after"),
    ):
        polarity = -polarity
        strength = rule.neg_strength if rule.neg_strength is not None else strength
    return _found(rule.dimension, polarity, strength, {rule.dimension: match.group(0)})


def _change(text: str) -> list[Found]:
    """Data that changes (or explicitly doesn't), graded by how often."""
    pats = _patterns()
    verb = pats["change"].search(text)
    subject = pats["subject_change"].search(text)
    freqs = numbers.frequencies(text)
    anchor = verb.start() if verb else subject.start("h") if subject else len(text)
    if _behaviour_subject(text, anchor):
        return []
    terms = {"data": noun} if (noun := _data_noun(text, anchor)) else {}
    if verb and freqs:
        freq = min(freqs, key=lambda f: f.days)
        terms["freq"] = freq.label
        is_negated = negated(text, verb.start("h"), verb.end("h"))
        if freq.days > 183 or is_negated:
            return [_found("changing", -1, 1.0, terms)]
        strength = 1.5 if freq.days <= 31 else 1.1 if freq.days <= 92 else 0.6
        return [_found("changing", 1, strength, terms)]
    if subject:
        if negated(text, subject.start("h"), subject.end("h")):
            return [_found("changing", -1, 1.0, terms)]
        return [_found("changing", 1, 1.0, terms)]
    return []


def _private(text: str) -> list[Found]:
    """The model must answer from the team's own sources (a knowledge problem)."""
    pats = _patterns()
    strong = pats["strong"].search(text)
    owned = pats["owned"].search(text)
    access = pats["access"].search(text) is not None
    if pats["support_bot"].search(text):
        return [_found("private", 1, 0.9, {"data": "help articles"})]
    if strong is None and owned is None:
        return []
    if not access and pats["processing"].search(text):
        return []
    if pats["public"].search(text):
        return []
    head = strong or pats["weak"].search(owned.group(0) if owned else "")
    if strong is not None:
        strength = 1.2 if (owned or access) else 0.9
    else:
        strength = 0.9 if access else 0.5
    span = strong.span(1) if strong else owned.span() if owned else (0, 0)
    if negated(text, *span, after=False):
        return [_found("private", -1, strength)]
    noun = head.group(1) if head else ""
    return [_found("private", 1, strength, {"data": noun} if noun else {})]


def _counts(text: str) -> list[Found]:
    """Counts that decide a dimension: corpus size, labelled examples, traffic, users."""
    out: list[Found] = []
    pats = _patterns()
    # Documents a task processes ("classify 50k documents") are its input, not a corpus to search.
    inputs = bool(pats["processing"].search(text)) and not pats["access"].search(text)
    for q in numbers.quantities(text):
        count = _count(q.value)
        daily = numbers.per_day(q)
        if pats["example_unit"].search(q.unit) and not pats["faq_unit"].search(q.unit):
            if q.value >= 200:
                strength = 1.3 if q.value >= 10_000 else 1.1 if q.value >= 1000 else 0.8
                out.append(
                    _found("examples", 1, strength, {"examples": f"{count} {_first_words(q.unit)}"})
                )
            elif q.value < 100:
                out.append(
                    _found("examples", -1, 0.8, {"examples": f"{count} {_first_words(q.unit)}"})
                )
        elif daily is not None:
            if daily >= 100_000:
                out.append(_found("scale", 1, 0.8, {"scale": f"{count} a day"}))
                out.append(_found("latency", 1, 0.7, {"latency": f"{count} requests a day"}))
            elif daily <= 300:
                out.append(_found("scale", -1, 0.6))
        elif (unit := pats["doc_unit"].match(q.unit)) and inputs:
            if q.value >= 10_000:
                out.append(_found("scale", 1, 0.5, {"scale": f"{count} {_first_words(q.unit)}"}))
        elif unit:
            word = unit.group(1)
            if q.value >= 1000:
                strength = min(1.4, 1.0 + 0.1 * math.log10(q.value / 1000))
                out.append(
                    _found("volume", 1, strength, {"volume": f"{count} {_first_words(q.unit)}"})
                )
            elif q.value >= 200:
                out.append(_found("volume", 1, 0.7, {"volume": f"{count} {_first_words(q.unit)}"}))
            elif q.value <= 5 or (word.startswith("page") and q.value <= 30):
                out.append(_found("volume", -1, 1.0))
        elif pats["user_unit"].match(q.unit):
            if q.value <= 50:
                out.append(_found("scale", -1, 0.5))
            elif q.value >= 10_000:
                out.append(_found("scale", 1, 0.5, {"scale": f"{count} users"}))
    return out


def _behaviour_subject(text: str, before: int) -> bool:
    """Whether what changes is the wanted behaviour ("the template changes quarterly"), not data.

    True when a behaviour noun stands closer before the verb than any source noun.
    """
    pats = _patterns()
    behaviour = [m.end() for m in pats["behaviour_noun"].finditer(text, 0, before)]
    if not behaviour:
        return False
    sources = [m.end() for k in ("strong", "weak") for m in pats[k].finditer(text, 0, before)]
    return max(behaviour) > max(sources, default=-1)


def _data_noun(text: str, before: int | None = None) -> str | None:
    """The source noun of a clause: the last one before `before` (the verb), else the first."""
    pats = _patterns()
    for kind in ("strong", "weak"):
        found = list(pats[kind].finditer(text))
        if not found:
            continue
        if before is not None:
            preceding = [m for m in found if m.end() <= before]
            if preceding:
                return preceding[-1].group(1)
        return found[0].group(1)
    return None


_UNIT_STOP = frozenset(
    "of for from with in on at to and or already available that which we so from by per a an"
    " the since over across is are was were be been has have had get gets got will would can"
    " must should need needs updated changed change changes changing".split()
)


def _first_words(unit: str) -> str:
    """The noun phrase of a unit: "examples of finished reports" -> "examples"."""
    kept: list[str] = []
    for word in unit.split()[:3]:
        if word in _UNIT_STOP:
            break
        kept.append(word)
    if kept and kept[-1].endswith(("labelled", "labeled", "annotated", "curated", "graded")):
        kept.append("examples")
    return " ".join(kept) or "examples"


def _count(value: float) -> str:
    """A count the way people say it: 40,000 / 2M / 1.5k."""
    if value >= 1e6:
        return f"{value / 1e6:g}M"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _ms(value: float) -> str:
    return f"{value:g} ms" if value < 1000 else f"{value / 1000:g} s"
