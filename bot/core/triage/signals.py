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
from bot.core.triage.lexicon import detectors as det
from bot.core.triage.lexicon.base import HISTORY_NOUNS, LABELLED, PROMPT_TECHNIQUES, RuleInfo
from bot.core.triage.text import NEGATION_CUES, Clause, negated

# A source noun on its own ("the records", "docs") says less than one the team owns ("our
# wiki") or one the model is asked to look things up in ("answer from the handbook").
BARE_SOURCE = 0.6
# Rules that name content, not a need, when the clause is about processing that content.
INPUT_BLIND = frozenset({"missing.after-cutoff"})

# Start and end offsets in a clause's text.
TextSpan = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Mention:
    """One dimension stated in one clause: +1 the need is there, -1 it is explicitly absent.

    `rule` is the id of the rule or detector that made it (see `lexicon.catalogue()`), `span`
    the words in `clause.text` that triggered it.
    """

    dimension: str
    polarity: int
    strength: float
    clause: Clause
    terms: dict[str, str] = field(default_factory=dict)
    rule: str = ""
    span: TextSpan = (0, 0)


@dataclass(frozen=True, slots=True)
class Found:
    """A mention before it is tied to a clause: hashable, so detection can be cached."""

    dimension: str
    polarity: int
    strength: float
    terms: tuple[tuple[str, str], ...] = ()
    rule: str = ""
    span: TextSpan = (0, 0)


def _found(
    source: RuleInfo | lexicon.Rule,
    polarity: int,
    strength: float,
    terms: dict[str, str] | None = None,
    span: TextSpan = (0, 0),
) -> Found:
    terms_tuple = tuple(sorted((terms or {}).items()))
    return Found(source.dimension, polarity, strength, terms_tuple, source.id, span)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    patterns = {
        # a source noun, strong ("wiki", "price list") or weak ("documents"), as group 1
        "strong": r"\b(" + lexicon.STRONG_NOUNS + r")\b",
        "weak": r"\b(" + lexicon.WEAK_NOUNS + r")\b",
        # "our internal wiki", "the customer's order history"
        "owned": (
            r"\b(?:"
            + lexicon.POSSESSIVE
            + r""")\s+
            (?:[\w-]+\s+){0,2}?
            (?:"""
            + lexicon.SOURCE_NOUNS
            + r""")\b
            """
        ),
        # answering from, looking up, searching
        "access": r"\b(?:" + lexicon.ACCESS + r")",
        "change": r"\b(?P<h>" + lexicon.CHANGE_VERBS + r")\b",
        # "the docs get revised", "it changes": a subject, then a change verb
        "subject_change": (
            r"\b(?:"
            + lexicon.SOURCE_NOUNS
            + r"""
              | it | they | things | stuff | everything | which | these | those)\b
            (?:\s+[\w']+){0,3}?\s+
            (?P<h>
                (?:chang|updat|revis|evolv|fluctuat|expir|get[ ]added|are[ ]added|is[ ]added
                  |gets?[ ]replaced|get[ ]revised|move)\w*
            )\b
            """
        ),
        # verbs of processing an input: a task, not a source to search; "reads every contract"
        "processing": r"""
            \b(?:read|review|check|go[ ]through|goes[ ]through|pull|tag|sort)\w*[ ](?:every|each)\b
          |
            \b(?:extract|classif|categori[sz]|tag|label|route|routing|pars|summari[sz]|translat
              |rewrit|convert|transform|map|fill|normali[sz]|moderat|score|detect|draft|generat
              |writ|format|annotat)\w*
          | \bproduc(?:e|es|ed|ing)\b
            # "codes news articles into topic categories", "hand-coded 1,500 speeches"
          | \bcod(?:e|es|ed|ing)[ ](?:[\w-]+[ ]){1,6}?into\b | \bhand-(?:cod|label|tagg|annotat)\w*
            """,
        # what a behaviour is about: "the template changes" is not changing data
        "behaviour_noun": r"""
            \b(?:
                templates? | formats? | schemas? | style | tone | voice | prompts? | guidelines
              | persona | requirements | instructions | rules | categories | labels | taxonomy
            )\b
            """,
        # "public documentation", "publicly available data"
        "public": r"""
            \bpublic(?:ly[ ]available)?[ ](?:[\w-]+[ ])?
            (?:docs|documentation|data|info\w*|website|knowledge|articles|sources)
            """,
        # "customer support bot", "it helpdesk assistant"
        "support_bot": r"""
            \b(?:customer[ ]|it[ ]|hr[ ]|internal[ ])?
            (?:support|help[ ]?desk|service[ ]desk|helpdesk)[ ]
            (?:bot|assistant|chatbot|agent|copilot|automation)\b
            """,
        # the unit of a count that makes a corpus: "40000 skus", "3k wiki pages", as group 1
        "doc_unit": r"""
            ^(?:[\w+#.-]+\s+){0,2}?
            (docs? | documents? | pages? | pdfs? | files | articles | skus? | products | records
              | contracts | policies | manuals | items | entries | rows | faqs? | papers | chunks
              | listings | spreadsheets | help[ ]articles | web[ ]?pages | wiki[ ]pages | tables)\b
            """,
        # FAQ entries are documents, not training examples
        "faq_unit": r"""
            \b(?: faqs? | q[ ]?&[ ]?a | question[/-]answer | qa[ ]pairs )\b
            """,
        # the unit of a count of examples: "5000 labelled tickets", "200 past replies"
        "example_unit": r"""
            \b(
                labell?ed | annotated | examples? | pairs | samples | training | gold
              | demonstrations
                # "approved replies", not "approved clauses": a library is reference content
              | (?:approved | reviewed | corrected | verified | graded)
                (?![ ](?:clauses?|policies|documents?|docs|articles|pages|manuals?|procedures
                  |guidelines|rules|positions|contracts?|templates|sources|vendors))
              | lines[ ]of[ ]dialogue | dialogues | engineer-written | human-written | written
              | (?:past|historical|agent|human|expert)[ ]
                (?:replies|responses|completions|outputs|summaries|translations)
            )\b
            """,
        # a negation that reaches the team's source through one of these words is a complaint
        # that the model lacks it: "it can't see our docs", "features that aren't in our help
        # centre", "it has never been given our refund policy", "we can't paste 16k docs in"
        "source_gap": r"""
            \b(?: see | seen | sees | saw | know | knows | knew | known | aware | exist\w*
              | in | into | from | beyond | given | access | find | finds | found | reads? | read
              | trained | cover\w* | paste | put | quot\w* | show\w* | cit\w* | touch | mention\w*
              | made | make | makes | invent\w* | hallucinat\w* | paraphras\w* | guess\w* )\b
            """,
        # data kept in place ("nothing leaves our data centre", "clients won't let their
        # documents go to a third-party api"): where the model may run, not what it answers from
        "data_moves": r"""
            \b(?: leaves? | leaving | left | send\w* | sent | go | goes | going | shar\w*
              | upload\w* | baked | leak\w* | outside | external | third-party | cloud )\b
            """,
        # "not idiomatic for our codebase", "not like the manual's headings": the output's way of
        # writing, measured against the team's own work; not a source to look things up in
        "like_ours": r"\b(?:idiomatic|fit|fits|like|match\w*|style|consistent|speak\w*)\b",
        # the unit of a count of people: "12 analysts", "50000 employees", as group 1
        "user_unit": r"""
            ^(?:[\w-]+\s+)?
            (users | people | person | employees | agents | staff | customers | colleagues
              | analysts | lawyers | doctors | members | team)\b
            """,
    }
    return {name: re.compile(pattern, re.VERBOSE) for name, pattern in patterns.items()}


def detect(clause: Clause) -> list[Mention]:
    """Every mention in `clause`: lexicon rules first, then the computed detectors."""
    return [
        Mention(f.dimension, f.polarity, f.strength, clause, dict(f.terms), f.rule, f.span)
        for f in _signals(clause.text)
    ]


@lru_cache(maxsize=8192)
def _signals(text: str) -> tuple[Found, ...]:
    """What a clause says, by its text alone (cached: a thread re-reads its earlier messages)."""
    computed = _change(text) + _private(text) + _counts(text)
    latency = numbers.latency_ms(text)
    if latency is not None and latency <= 3000:
        strength = 1.4 if latency <= 300 else 1.2 if latency <= 1000 else 0.8
        terms = {"latency": _ms(latency)}
        computed.append(
            _found(det.LATENCY_BUDGET, 1, strength, terms, _latency_span(text, latency))
        )
    # A count or a frequency is more specific than a word: "only 50 labelled examples" is
    # few examples even though "labelled" alone reads as having training data.
    specific = {(m.dimension, m.polarity) for m in computed}
    # "tag 6k tweets and news articles": what a task processes is not news it must know.
    inputs = bool(_patterns()["processing"].search(text)) and not _patterns()["access"].search(text)
    found = [
        m
        for m in (_apply(rule, text) for rule in lexicon.rules())
        if m is not None
        and (m.dimension, -m.polarity) not in specific
        and not (inputs and m.rule in INPUT_BLIND)
    ]
    return tuple(found + computed)


# "GPT-4o can't point to its sources" is the need for citations, not their absence; so is what
# nobody does today ("nobody gives the paragraph"); "we don't need sources" stays a no.
_INABILITY_IS_NEED = frozenset({"citations"})
_CANNOT = re.compile(
    r"\b(?:can't|cannot|can[ ]not|couldn't|unable[ ]to|fails?[ ]to|failed[ ]to|nobody|no[ ]one)\s+$"
)


def _apply(rule: lexicon.Rule, text: str) -> Found | None:
    match = rule.pattern.search(text)
    if match is None:
        return None
    group = next(
        (g for g in ("h", "h2", "h3") if g in match.re.groupindex and match.group(g)), None
    )
    start, end = match.span(group) if group else match.span()
    polarity, strength = rule.polarity, rule.strength
    if rule.dimension in _INABILITY_IS_NEED and _CANNOT.search(text, 0, match.start()):
        pass  # "it can't point to sources": what the model can't do is what is needed
    elif rule.scope != "none" and negated(
        text,
        start,
        end,
        before=rule.scope in ("both", "before"),
        after=rule.scope in ("both", "after"),
    ):
        polarity = -polarity
        strength = rule.neg_strength if rule.neg_strength is not None else strength
    return _found(rule, polarity, strength, {rule.dimension: match.group(0)}, match.span())


def _change(text: str) -> list[Found]:
    """Data that changes (or explicitly doesn't), graded by how often."""
    pats = _patterns()
    verb = pats["change"].search(text)
    subject = pats["subject_change"].search(text)
    freqs = [f for f in numbers.frequencies(text) if verb is None or _near(text, verb, f)]
    anchor = verb.start() if verb else subject.start("h") if subject else len(text)
    if _behaviour_subject(text, anchor):
        return []
    terms = {"data": noun} if (noun := _data_noun(text, anchor)) else {}
    if verb and freqs:
        freq = min(freqs, key=lambda f: f.days)
        terms["freq"] = freq.label
        span = (min(verb.start(), freq.start), max(verb.end(), freq.end))
        is_negated = negated(text, verb.start("h"), verb.end("h"))
        if freq.days > 183:
            return [_found(det.RARE_CHANGE, -1, 1.0, terms, span)]
        if is_negated:
            return [_found(det.CHANGE_FREQUENCY, -1, 1.0, terms, span)]
        strength = 1.5 if freq.days <= 31 else 1.1 if freq.days <= 92 else 0.6
        return [_found(det.CHANGE_FREQUENCY, 1, strength, terms, span)]
    if subject:
        if negated(text, subject.start("h"), subject.end("h")):
            return [_found(det.SUBJECT_CHANGES, -1, 1.0, terms, subject.span())]
        return [_found(det.SUBJECT_CHANGES, 1, 1.0, terms, subject.span())]
    return []


# "often", "a lot": how often only when it stands by the verb ("we edit it a lot"); far from it,
# it is how much ("accuracy dropped a lot").
_NEAR_WORDS = 4


def _near(text: str, verb: re.Match[str], freq: numbers.Frequency) -> bool:
    if freq.label not in numbers.VAGUE_FREQUENCIES:
        return True
    if freq.start >= verb.end():
        between = text[verb.end() : freq.start]
    else:
        between = text[freq.end : verb.start()]
    return len(between.split()) <= _NEAR_WORDS


# A source noun used as the name of the task's input ("a contract review assistant", "invoice
# extraction") is what the model works on, not what it looks things up in.
_INPUT_USE = re.compile(
    r"\s+(?:review|reviews|reviewing|analysis|analy[sz]er|classification|classifier|summar\w*"
    r"|extraction|extractor|triage|checker|checking|parser|parsing|scoring|tagging|redlin\w*"
    r"|drafting|generation|generator|translation|comparison)\b"
)


# "the SOP categories", "documentation habits": a shape or a way of writing, not a source.
_SHAPE_USE = re.compile(
    r"\s+(?:categor(?:y|ies)|labels?|templates?|formats?|schemas?|taxonom(?:y|ies)|headings"
    r"|layout|structure|habits|practices|conventions|style)\b"
)
# "patient records can't leave the hospital": where the model may run, not what it answers from.
_KEPT_IN = re.compile(
    r"\s+(?:\w+\s+)?(?:(?:can't|cannot|can\s+not|must\s+not|mustn't|may\s+not|won't|shouldn't"
    r"|should\s+not|never|are\s+not\s+allowed\s+to|is\s+not\s+allowed\s+to)\s+(?:be\s+)?"
    r"(?:leave|leak|go|sent|send|shared|share|uploaded|upload|exported|moved)"
    r"|(?:must|has\s+to|have\s+to|needs?\s+to)\s+stay|stays?\s+(?:in|on|inside|within))\b"
)


# "GPT-4o under the court's contract": the terms a model is bought on, not a source.
_UNDER_CONTRACT = re.compile(r"\bunder\s+(?:an?\s+|the\s+|our\s+|their\s+)?(?:[\w'-]+\s+)?$")


# "it talks like a textbook", "reads like any manual": a comparison, not a source.
_COMPARED = re.compile(r"\blike\s+(?:a|an|any|some|every|the)\s+(?:[\w-]+\s+)?$")


# "fine-tune it on our records": a history of work trained on is a behaviour's examples.
_TRAINED_ON = re.compile(
    r"\b(?:fine-?tun|train|retrain)\w*\s+(?:[\w.-]+\s+){0,5}?(?:on|with|using)\s+(?:all\s+)?"
    r"(?:of\s+)?(?:(?:our|their|the|these|those|its)\s+)?(?:[\w-]+\s+){0,2}?$"
)
_HISTORY = re.compile(r"(?:" + HISTORY_NOUNS + r")$", re.VERBOSE)


def _trained_on(text: str, m: re.Match[str]) -> bool:
    return bool(_TRAINED_ON.search(text, max(0, m.start() - 120), m.start())) and bool(
        _HISTORY.search(m.group(0))
    )


def _named_as_source(text: str, m: re.Match[str]) -> bool:
    """Whether the noun at `m` is something to look things up in: not the name of the task's
    input, a shape of the output, data that must stay put, a comparison, the terms a model is
    bought on, or a history of work the team would train on."""
    after, before = m.end(), m.start()
    if any(p.match(text, after) for p in (_INPUT_USE, _SHAPE_USE, _KEPT_IN)):
        return False
    if _COMPARED.search(text, 0, before) or _trained_on(text, m):
        return False
    return not (m.group(0).startswith("contract") and _UNDER_CONTRACT.search(text, 0, before))


def _source(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first source noun in `text` named as a source (`_named_as_source`)."""
    return next((m for m in pattern.finditer(text) if _named_as_source(text, m)), None)


@cache
def _all_in_input() -> re.Pattern[str]:
    """The rule that says the input holds everything: its sentence names no source to search."""
    return next(r.pattern for r in lexicon.rules() if r.id == "missing.all-in-input")


def _private(text: str) -> list[Found]:
    """The model must answer from the team's own sources (a knowledge problem)."""
    if _all_in_input().search(text):
        return []
    pats = _patterns()
    strong = _source(pats["strong"], text)
    # an owned noun is read whatever it is used as, except as training data or data kept in place
    owned = next(
        (
            m
            for m in pats["owned"].finditer(text)
            if not _trained_on(text, m) and not _KEPT_IN.match(text, m.end())
        ),
        None,
    )
    access = pats["access"].search(text) is not None
    if bot := pats["support_bot"].search(text):
        terms = {"data": strong.group(1)} if strong else {}
        return [_found(det.SUPPORT_BOT, 1, 0.9, terms, bot.span())]
    if strong is None and owned is None:
        return []
    if not access and pats["processing"].search(text):
        return []
    if pats["public"].search(text):
        return []
    # The noun the team owns ("our playbook") names the source better than the first one.
    mine = pats["strong"].search(owned.group(0)) if owned else None
    if mine is not None and owned is not None:
        strong = pats["strong"].search(text, owned.start()) or strong
    head = strong or pats["weak"].search(owned.group(0) if owned else "")
    if strong is not None:
        strength = 1.2 if (owned or access) else BARE_SOURCE
    else:
        strength = 0.9 if access else 0.5
    span = strong.span(1) if strong else owned.span() if owned else (0, 0)
    noun = head.group(1) if head else ""
    terms = {"data": noun} if noun else {}
    if negated(text, *span, after=False):
        reach = _negation_reach(text[: span[0]])
        if pats["data_moves"].search(text) or pats["like_ours"].search(reach):
            return []
        if not pats["source_gap"].search(reach):
            return [_found(det.OWNED_SOURCE, -1, strength, span=span)]
    return [_found(det.OWNED_SOURCE, 1, strength, terms, span)]


_NEGATION_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(cue) for cue in sorted(NEGATION_CUES)) + r"|cannot|\w+n't)\b"
)


def _negation_reach(prefix: str) -> str:
    """The words between the last negation cue in `prefix` and the end: what it negates on the
    way to the noun after it ("can't *see* our docs", "no *access to* the chart")."""
    cues = list(_NEGATION_WORDS.finditer(prefix))
    return prefix[cues[-1].end() :] if cues else ""


# "two RAs have hand-coded ~1,500 documents": what people labelled is examples, not a corpus.
_LABELLED_BEFORE = re.compile(
    r"\b(?:" + LABELLED + r"| hand-\w+)\s+"
    r"(?:(?:~|about|around|roughly|some|over|nearly|almost)\s*)?$",
    re.VERBOSE,
)
# "people ask about one page at a time": how they ask, not how much there is
_AT_A_TIME = re.compile(r"\bat a time\b")
_IN_PROMPT = re.compile(
    r"\b(?:prompt\w* | few[- ]shot | in[- ]context | " + PROMPT_TECHNIQUES + r")\b",
    re.IGNORECASE | re.VERBOSE,
)


def _counts(text: str) -> list[Found]:
    """Counts that decide a dimension: corpus size, labelled examples, traffic, users."""
    out: list[Found] = []
    pats = _patterns()
    # Documents a task processes ("classify 50k documents") are its input, not a corpus to search.
    inputs = bool(pats["processing"].search(text)) and not pats["access"].search(text)
    for q in numbers.quantities(text):
        # "thousands of tickets" is said back as the user said it, not as a number they never gave
        said = text[q.start : q.end].strip()
        count = said if not any(c.isdigit() for c in said) else _count(q.value)
        daily = numbers.per_day(q)
        span = _quantity_span(text, q)
        made = _LABELLED_BEFORE.search(text, 0, q.start) is not None
        # "millions of pairs per day" is traffic; "2000 labelled tickets a month" still data
        is_flow = daily is not None and not made
        if (
            (pats["example_unit"].search(q.unit) or made)
            and not pats["faq_unit"].search(q.unit)
            and not is_flow
        ):
            examples = {"examples": f"{count} {_first_words(q.unit)}"}
            # a hundred examples people made on purpose ("hand-wrote ~120") is a start
            if q.value >= 200 or (made and q.value >= 100):
                strength = 1.3 if q.value >= 10_000 else 1.1 if q.value >= 1000 else 0.8
                out.append(_found(det.LABELLED_COUNT, 1, strength, examples, span))
            elif q.value < 100 and not _IN_PROMPT.search(text):
                # "20 examples in the prompt" is few-shot prompting, not a small data set
                out.append(_found(det.FEW_EXAMPLES, -1, 0.8, examples, span))
        elif daily is not None:
            if daily >= 100_000:
                out.append(_found(det.DAILY_TRAFFIC, 1, 0.8, {"scale": f"{count} a day"}, span))
                latency = {"latency": f"{count} requests a day"}
                out.append(_found(det.TRAFFIC_LATENCY, 1, 0.7, latency, span))
            elif daily <= 300:
                out.append(_found(det.LOW_TRAFFIC, -1, 0.6, span=span))
        elif (unit := pats["doc_unit"].match(q.unit)) and inputs:
            if q.value >= 10_000:
                scale = {"scale": f"{count} {_first_words(q.unit)}"}
                out.append(_found(det.PROCESSED_INPUTS, 1, 0.5, scale, span))
        elif unit:
            word = unit.group(1)
            volume = {"volume": f"{count} {_first_words(q.unit)}"}
            if q.value >= 1000:
                strength = min(1.4, 1.0 + 0.1 * math.log10(q.value / 1000))
                out.append(_found(det.DOCUMENT_COUNT, 1, strength, volume, span))
            elif q.value >= 200:
                out.append(_found(det.DOCUMENT_COUNT, 1, 0.7, volume, span))
            elif (q.value <= 5 or (word.startswith("page") and q.value <= 30)) and not (
                _AT_A_TIME.search(q.unit)
            ):
                out.append(_found(det.FEW_DOCUMENTS, -1, 1.0, span=span))
        elif pats["user_unit"].match(q.unit):
            if q.value <= 50:
                out.append(_found(det.FEW_USERS, -1, 0.5, span=span))
            elif q.value >= 10_000:
                out.append(_found(det.USER_COUNT, 1, 0.5, {"scale": f"{count} users"}, span))
    return out


def _quantity_span(text: str, quantity: numbers.Quantity) -> TextSpan:
    """The count and its unit words in `text`, without trailing function words: "40000 skus",
    "2m labelled tickets", "5000 queries a day" (not "... a day from our")."""
    words = list(re.finditer(r"\S+", quantity.unit))
    while words and words[-1].group(0) in _UNIT_STOP:
        words.pop()
    if not words:
        return (quantity.start, quantity.end)
    unit_start = text.index(quantity.unit, quantity.end)
    return (quantity.start, unit_start + words[-1].end())


def _latency_span(text: str, budget: float) -> TextSpan:
    """Where `text` states the latency budget `budget` (the tightest one, if several)."""
    spans = [m.span() for m in numbers._LATENCY.finditer(text)]
    return next((s for s in spans if numbers.latency_ms(text[s[0] : s[1]]) == budget), spans[0])


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


def antecedent(text: str) -> re.Match[str] | None:
    """The last source noun of a clause, for a next clause that starts "which gets revised"."""
    pats = _patterns()
    for kind in ("strong", "weak"):
        found = list(pats[kind].finditer(text))
        if found:
            return found[-1]
    return None


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
