"""Quantities, rates, frequencies and latency targets as people write them in chat.

"40000 SKUs updated monthly", "2M labelled tickets", "thousands of PDFs", "p95 under 200ms",
"~5k queries a day", "prices change every 2 weeks": the verdict turns on these magnitudes (a
corpus of 40,000 records is retrieval-sized; 2 million labelled examples make fine-tuning
feasible; a 200 ms budget argues against a retrieval hop), so they are parsed rather than
matched as words. Input is normalised text (lower case, no thousands separators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "hundred": 1e2,
}
_WORD_AMOUNTS = (
    (r"tens of thousands", 2e4),
    (r"hundreds of thousands", 2e5),
    (r"(?:many |several |a few )?millions", 2e6),
    (r"(?:many |several |a few )?thousands", 2e3),
    (r"(?:many |several |a few )?hundreds", 2e2),
    (r"dozens", 30.0),
    (r"(?:a few|several|a couple of|a couple) hundred", 300.0),
    (r"(?:a few|several|a couple of|a couple) thousand", 3000.0),
    (r"a (?:few|couple|handful)(?: of)?|a couple|one or two|two or three", 3.0),
    (r"a single|just one|only one|one", 1.0),
)
_NUMBER = re.compile(
    r"(?<![\w.-])(?:~|about |around |roughly |approx |over |under |nearly |almost |>|<)?"
    r"(\d+(?:\.\d+)?)\s?(k|m|mm|mn|b|bn|thousand|million|billion|hundred)?\b(?!\s?ms\b|%)"
)
_WORDS_NUMBER = re.compile(r"\b(" + "|".join(p for p, _ in _WORD_AMOUNTS) + r")\b(?: of)?")
_UNIT = re.compile(r"\s*(?:\+\s*)?-?((?:[a-z][a-z0-9'/+#-]*\s+){0,3}[a-z][a-z0-9'/+#-]*)")

_PERIODS = {
    "second": 1 / 86400,
    "sec": 1 / 86400,
    "s": 1 / 86400,
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "day": 1.0,
    "night": 1.0,
    "week": 7.0,
    "fortnight": 14.0,
    "month": 30.0,
    "quarter": 91.0,
    "season": 91.0,
    "trimester": 91.0,
    "semester": 182.0,
    "year": 365.0,
}
_ADVERBS = {
    "hourly": 1 / 24,
    "daily": 1.0,
    "nightly": 1.0,
    "everyday": 1.0,
    "weekly": 7.0,
    "biweekly": 14.0,
    "bi-weekly": 14.0,
    "fortnightly": 14.0,
    "monthly": 30.0,
    "bimonthly": 60.0,
    "quarterly": 91.0,
    "semiannually": 182.0,
    "yearly": 365.0,
    "annually": 365.0,
}
_CONSTANT = re.compile(
    r"\b(?:real[- ]?time|constantly|continuously|continually|all the time|around the clock"
    r"|by the minute|every few minutes|intraday|multiple times a day|several times a day"
    r"|many times a day|frequently|often|regularly|a lot)\b"
)
_EVERY = re.compile(
    r"\b(?:every|each|per|a|an|once an?|twice an?|once per|(\d+) times (?:a|an|per))\s+"
    r"(?:(\d+|few|couple of|other|two|three|six)\s+)?"
    # "every school year", "each financial quarter"
    r"(?:school\s+|academic\s+|financial\s+|fiscal\s+|calendar\s+)?"
    r"(" + "|".join(sorted(_PERIODS, key=len, reverse=True)) + r")s?\b"
)
# "every term" (a school term) but not "a term": only with every/each/per.
_TERMLY = re.compile(r"\b(?:every|each|per)\s+(?:school\s+|academic\s+)?term\b")
TERM_DAYS = 91.0
# "the list grows with each patch", "changes every release": a product's own release cadence,
# taken as about two months when no period is given.
_PER_RELEASE = re.compile(
    r"\b(?:with|every|each|per)\s+(?:new\s+|major\s+|game\s+|software\s+)?"
    r"(?:patch|release|version|firmware\s+update|sprint|season|edition|expansion)\b"
)
RELEASE_DAYS = 60.0
_ADVERB = re.compile(r"\b(" + "|".join(_ADVERBS) + r")\b")
_SMALL_NUMBERS = {"few": 3.0, "couple of": 2.0, "other": 2.0, "two": 2.0, "three": 3.0, "six": 6.0}
_LATENCY = re.compile(
    r"(?:p\d{2}|latency|response time|respond|under|below|within|less than|<|sub)[^.;]{0,25}?"
    r"(\d+(?:\.\d+)?)\s?(ms|millisecond|milliseconds|s|sec|secs|second|seconds)\b"
    r"|\b(sub[- ]second|sub[- ]100\s?ms|milliseconds)\b"
    # "a 300ms budget"
    r"|(\d+(?:\.\d+)?)\s?(?:ms|milliseconds?)\s+(?:budget|limit|target|max|maximum|or less)\b"
    # "the suggestion has to appear in about a second"
    r"|\b(?:appears?|respond|responds|answers?|returns?|comes?\s+back|completes?|loads?"
    r"|shows?\s+up|arrives?|be\s+ready)\s+(?:with)?in\s+(?:about\s+|roughly\s+|around\s+"
    r"|under\s+|less\s+than\s+)?(a|one|half\s+a)\s+second\b"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count and the words that follow it ("2000000", "labelled tickets")."""

    value: float
    unit: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often something happens, as a period in days (monthly = 30.0, real-time ~ 0)."""

    days: float
    label: str
    start: int
    end: int


def quantities(text: str) -> list[Quantity]:
    """Every count in `text` with up to four following words as its unit."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(text):
        value = float(match.group(1)) * _SCALE.get(match.group(2) or "", 1.0)
        found.append(_with_unit(text, value, match.start(), match.end()))
        taken.append((match.start(), match.end()))
    for match in _WORDS_NUMBER.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        phrase = match.group(1)
        value = next(v for p, v in _WORD_AMOUNTS if re.fullmatch(p, phrase))
        found.append(_with_unit(text, value, match.start(), match.end()))
    return sorted(found, key=lambda q: q.start)


def _with_unit(text: str, value: float, start: int, end: int) -> Quantity:
    unit = _UNIT.match(text, end)
    return Quantity(value, unit.group(1) if unit else "", start, end)


VAGUE_FREQUENCIES = frozenset({"frequently", "often", "regularly", "a lot"})
"""Words of how often that say only "a lot" (taken as weekly), unlike "constantly"."""


def frequencies(text: str) -> list[Frequency]:
    """Every stated frequency: "weekly", "every 2 weeks", "3 times a day", "in real time"."""
    found: list[Frequency] = []
    for match in _ADVERB.finditer(text):
        found.append(Frequency(_ADVERBS[match.group(1)], match.group(1), *match.span()))
    for match in _TERMLY.finditer(text):
        found.append(Frequency(TERM_DAYS, match.group(0), *match.span()))
    for match in _PER_RELEASE.finditer(text):
        found.append(Frequency(RELEASE_DAYS, match.group(0), *match.span()))
    for match in _EVERY.finditer(text):
        days = _PERIODS[match.group(3)]
        if match.group(2):
            days *= _SMALL_NUMBERS.get(match.group(2)) or float(match.group(2))
        if match.group(1):
            days /= max(float(match.group(1)), 1.0)
        elif match.group(0).startswith("twice"):
            days /= 2
        found.append(Frequency(days, match.group(0).strip(), *match.span()))
    for match in _CONSTANT.finditer(text):
        days = 7.0 if match.group(0) in VAGUE_FREQUENCIES else 0.01
        found.append(Frequency(days, match.group(0), *match.span()))
    return sorted(found, key=lambda f: f.start)


def latency_ms(text: str) -> float | None:
    """The tightest latency budget stated in `text`, in milliseconds, if any."""
    budgets: list[float] = []
    for match in _LATENCY.finditer(text):
        if match.group(3):
            budgets.append(100.0 if "100" in match.group(3) else 800.0)
            continue
        if match.group(4):
            budgets.append(float(match.group(4)))
            continue
        if match.group(5):
            budgets.append(500.0 if match.group(5).startswith("half") else 1000.0)
            continue
        value = float(match.group(1))
        budgets.append(value if match.group(2).startswith("m") else value * 1000.0)
    return min(budgets) if budgets else None


def per_day(quantity: Quantity) -> float | None:
    """Turn "5000 queries a day" / "2M requests per month" into a daily rate, if it is a rate."""
    match = re.search(
        r"\b(?:a|an|per|each|every|/)\s*(second|sec|minute|min|hour|hr|day|week|month|year)\b",
        quantity.unit + " ",
    )
    if match is None:
        return None
    return quantity.value / _PERIODS[match.group(1)]
