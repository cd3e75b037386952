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
from functools import cache

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


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "strong": re.compile(r"\b(" + lexicon.STRONG_NOUNS + r")\b"),
        "weak": re.compile(r"\b(" + lexicon.WEAK_NOUNS + r")\b"),
        "owned": re.compile(
            r"\b(?:" + lexicon.POSSESSIVE + r")\s+(?:[\w-]+\s+){0,2}?(?:"
            + lexicon.STRONG_NOUNS + r"|" + lexicon.WEAK_NOUNS + r")\b"
        ),
        "access": re.compile(r"\b(?:" + lexicon.ACCESS + r")"),
        "change": re.compile(r"\b(?P<h>" + lexicon.CHANGE_VERBS + r")\b"),
        "subject_change": re.compile(
            r"\b(?:" + lexicon.STRONG_NOUNS + r"|" + lexicon.WEAK_NOUNS
            + r"|it|they|things|stuff|everything|which|these|those)\b(?:\s+[\w']+){0,3}?\s+"
            r"(?P<h>(?:chang|updat|revis|evolv|fluctuat|expir|get added|are added|is added"
            r"|gets? replaced|get revised|move)\w*)\b"
        ),
        "processing": re.compile(
            r"\b(?:extract|classif|categori[sz]|tag|label|route|routing|pars|summari[sz]|translat"
            r"|rewrit|convert|transform|map|fill|normali[sz]|moderat|score|detect|draft|generat"
            r"|writ|produc|format)\w*"
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
            r"|engineer-written|human-written|written)\b"
        ),
        "user_unit": re.compile(r"^(?:[\w-]+\s+)?(users|people|person|employees|agents|staff"
                                r"|customers|colleagues|analysts|lawyers|doctors|members"
                                r"|team)\b"),
    }


def detect(clause: Clause) -> list[Mention]:
    """Every mention in `clause`: lexicon rules first, then the computed detectors."""
    computed = _change(clause) + _private(clause) + _counts(clause)
    latency = numbers.latency_ms(clause.text)
    if latency is not None and latency <= 3000:
        strength = 1.4 if latency <= 300 else 1.2 if latency <= 1000 else 0.8
        computed.append(Mention("latency", 1, strength, clause, {"latency": _ms(latency)}))
    # A count or a frequency is more specific than a word: "only 50 labelled examples" is
    # few examples even though "labelled" alone reads as having training data.
    specific = {(m.dimension, m.polarity) for m in computed}
    found = [
        m
        for m in (_apply(rule, clause) for rule in lexicon.rules())
        if m is not None and (m.dimension, -m.polarity) not in specific
    ]
    return found + computed


def _apply(rule: lexicon.Rule, clause: Clause) -> Mention | None:
    match = rule.pattern.search(clause.text)
    if match is None:
        return None
    group = next((g for g in ("h", "h2", "h3") if g in match.re.groupindex and match.group(g)),
                 None)
    start, end = match.span(group) if group else match.span()
    polarity, strength = rule.polarity, rule.strength
    if rule.scope != "none" and negated(
        clause.text, start, end, before=rule.scope in ("both", "before"),
        after=rule.scope in ("both", "after"),
    ):
        polarity = -polarity
        strength = rule.neg_strength if rule.neg_strength is not None else strength
    return Mention(rule.dimension, polarity, strength, clause, {rule.dimension: match.group(0)})


def _change(clause: Clause) -> list[Mention]:
    """Data that changes (or explicitly doesn't), graded by how often."""
    text = clause.text
    pats = _patterns()
    verb = pats["change"].search(text)
    subject = pats["subject_change"].search(text)
    freqs = numbers.frequencies(text)
    anchor = verb.start() if verb else subject.start("h") if subject else len(text)
    terms = {"data": noun} if (noun := _data_noun(text, anchor)) else {}
    if verb and freqs:
        freq = min(freqs, key=lambda f: f.days)
        terms["freq"] = freq.label
        is_negated = negated(text, verb.start("h"), verb.end("h"))
        if freq.days > 183 or is_negated:
            return [Mention("changing", -1, 1.0, clause, terms)]
        strength = 1.5 if freq.days <= 31 else 1.1 if freq.days <= 92 else 0.6
        return [Mention("changing", 1, strength, clause, terms)]
    if subject:
        if negated(text, subject.start("h"), subject.end("h")):
            return [Mention("changing", -1, 1.0, clause, terms)]
        return [Mention("changing", 1, 1.0, clause, terms)]
    return []


def _private(clause: Clause) -> list[Mention]:
    """The model must answer from the team's own sources (a knowledge problem)."""
    text = clause.text
    pats = _patterns()
    strong = pats["strong"].search(text)
    owned = pats["owned"].search(text)
    access = pats["access"].search(text) is not None
    if pats["support_bot"].search(text):
        return [Mention("private", 1, 0.9, clause, {"data": "help articles"})]
    if strong is None and owned is None:
        return []
    if not access and pats["processing"].search(text):
        return []
    head = strong or pats["weak"].search(owned.group(0) if owned else "")
    if strong is not None:
        strength = 1.2 if (owned or access) else 0.9
    else:
        strength = 0.9 if access else 0.5
    span = strong.span(1) if strong else owned.span() if owned else (0, 0)
    if negated(text, *span, after=False):
        return [Mention("private", -1, strength, clause)]
    noun = head.group(1) if head else ""
    return [Mention("private", 1, strength, clause, {"data": noun} if noun else {})]


def _counts(clause: Clause) -> list[Mention]:
    """Counts that decide a dimension: corpus size, labelled examples, traffic, users."""
    out: list[Mention] = []
    pats = _patterns()
    for q in numbers.quantities(clause.text):
        count = _count(q.value)
        daily = numbers.per_day(q)
        if pats["example_unit"].search(q.unit) and not pats["faq_unit"].search(q.unit):
            if q.value >= 200:
                strength = 1.3 if q.value >= 10_000 else 1.1 if q.value >= 1000 else 0.8
                out.append(Mention("examples", 1, strength, clause,
                                   {"examples": f"{count} {_first_words(q.unit)}"}))
            elif q.value < 100:
                out.append(Mention("examples", -1, 0.8, clause,
                                   {"examples": f"{count} {_first_words(q.unit)}"}))
        elif daily is not None:
            if daily >= 100_000:
                out.append(Mention("scale", 1, 0.8, clause, {"scale": f"{count} a day"}))
                out.append(Mention("latency", 1, 0.7, clause,
                                   {"latency": f"{count} requests a day"}))
            elif daily <= 300:
                out.append(Mention("scale", -1, 0.6, clause))
        elif unit := pats["doc_unit"].match(q.unit):
            word = unit.group(1)
            if q.value >= 1000:
                strength = min(1.4, 1.0 + 0.1 * math.log10(q.value / 1000))
                out.append(Mention("volume", 1, strength, clause,
                                   {"volume": f"{count} {_first_words(q.unit)}"}))
            elif q.value >= 200:
                out.append(Mention("volume", 1, 0.7, clause,
                                   {"volume": f"{count} {_first_words(q.unit)}"}))
            elif q.value <= 5 or (word.startswith("page") and q.value <= 30):
                out.append(Mention("volume", -1, 1.0, clause))
        elif pats["user_unit"].match(q.unit):
            if q.value <= 50:
                out.append(Mention("scale", -1, 0.5, clause))
            elif q.value >= 10_000:
                out.append(Mention("scale", 1, 0.5, clause, {"scale": f"{count} users"}))
    return out


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
    " the since over across".split()
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
    if value >= 10_000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _ms(value: float) -> str:
    return f"{value:g} ms" if value < 1000 else f"{value / 1000:g} s"
