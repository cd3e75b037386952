"""Turn what people type into clauses the lexicon can read, and decide what a negation covers.

Slack and Teams text arrives with mentions, links, bold markers, smart quotes and numbers written
as `40,000`; a pasted design note arrives as many paragraphs. `clauses()` normalises all of that
and splits it into sentences and then clauses, because a negation in English rarely reaches past
a clause boundary ("the data never changes, but answers must cite sources" negates only the
change). `negated()` applies that scope rule to one match inside its clause.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_SLACK_LINK = re.compile(r"<(?:https?://|mailto:)[^|>]*\|([^>]*)>|<(?:https?://|mailto:)[^>]*>")
_SLACK_REF = re.compile(r"<[@#!][^>]*>")
_EMPHASIS = re.compile(r"(?<!\w)[*~`]+|[*~`]+(?!\w)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_SMART = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": " - ", "–": " - "})
_ABBREV = re.compile(r"\b(e\.g|i\.e|vs|etc|approx|incl|esp)\.", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|[.!?]+$|\n+|;\s*|\s-\s|\s+(?=\d+[.)]\s)|(?<=\S)\s*•\s*")
_CLAUSE = re.compile(
    r",\s*|\(|\)|\s(?:but|however|although|though|whereas|except|yet|otherwise)\s",
)
_LEADING = re.compile(r"^(?:but|and|so|however|yet|though|although|also|plus|or)\s+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'+-]*")
# Chat drops apostrophes: "havent", "doesnt", "dont" read as "haven't", "doesn't", "don't".
_APOSTROPHE = re.compile(
    r"\b(have|has|had|do|does|did|is|are|was|were|could|would|should|ca|must|need)nt\b"
)

NEGATION_CUES = frozenset(
    """not no never without nor neither none nothing rarely seldom hardly barely forget
    drop skip scratch ignore zero non-goal non-goals nobody""".split()
)
NEGATION_PHRASES = (
    "no longer",
    "instead of",
    "rather than",
    "less about",
    "out of scope",
    "not in scope",
)
NOT_NEGATIONS = (
    "not only",
    "not just",
    "no matter",
    "not sure",
    "can't afford",
    "cannot afford",
    "no later than",
    "not yet sure",
    "never again",
    "no doubt",
    # "not our record style": the output is not in the team's way, a need
    "not our",
)
# Words that end a negation's reach inside a clause: "we don't want to retrain every time prices
# change" does not negate the change, and "X doesn't change and we need Y" does not negate Y.
# Verbs of failing ("it doesn't follow our template", "doesn't understand our abbreviations",
# "prompting didn't get the voice right"): a negation reaching the need through one of them is a
# complaint that the need is unmet, not a statement that it is absent.
FAILURE_VERBS = frozenset(
    """understand understands know knows handle handles get gets got gotten follow follows
    recognize recognise recognizes recognises match matches keep keeps kept hold holds held
    sound sounds write writes respect respects stick sticks capture captures replicate
    replicates produce produces output outputs return returns generate generates nail nails
    nailed manage managed interpret interprets parse parses pick picks apply applies
    stay stays reproduce reproduces mimic mimics transfer transfers carry carries generalise
    generalises generalize generalizes""".split()
)
# What a complaint is about when it says the output "ignores" something.
OUTPUT_SUBJECTS = frozenset(
    """it they model llm bot assistant output outputs answer answers reply replies response
    responses summary summaries draft drafts completions suggestions""".split()
)
SCOPE_BREAKERS = frozenset(
    """and but so because since when whenever if while every each then also plus whereas
    although though unless until after before once where""".split()
)
# What a need is, taken back after "not" or "n't": "latency not critical", "isn't needed".
_NOT_NEEDED = "needed|required|necessary|important|relevant|critical|crucial|essential|urgent"
POST_NEGATORS = re.compile(
    r"^\W*(?:(?:is|are|was|were|'s|'re|be|being|seems?|really|totally|completely|honestly|"
    r"actually|probably|just|all|still)\s+)*"
    r"(?:not\s+(?:" + _NOT_NEEDED + r"|an?\s+(?:concern|priority|bottleneck|"
    r"requirement|must|goal|issue|problem|big deal|factor|thing))"
    r"|n't\s+(?:" + _NOT_NEEDED + r"|matter|a\s+(?:concern|priority|bottleneck|"
    r"requirement|must|goal|factor|thing|big deal)|an\s+issue|a\s+problem)"
    r"|(?:does|do|did)(?:n't| not)\s+(?:really\s+)?(?:matter|apply|change|vary)"
    r"|irrelevant|unnecessary|optional|out of scope|not in scope|no concern|overkill"
    r"|(?:requirements?\s+|needs?\s+|constraints?\s+)?(?:has been|have been|was|were|got|is|are)"
    r"\s+(?:now\s+)?(?:dropped|removed|scrapped|cancell?ed|descoped|de-scoped|waived|lifted)"
    r"|fine|ok|okay|acceptable|neutral|standard|default|normal|n/a|none|no preference|whatever"
    r"|rarely|seldom|infrequently|hardly ever|almost never|never"
    r"|not (?:very |that |so )?(?:often|much|frequently)|once a year|don't care)\b"
)


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of one message; `text` is lower-cased and normalised, `sentence` its context."""

    text: str
    sentence: str
    message: int
    index: int


def normalize(text: str) -> str:
    """Platform markup out, plain lower-case text in; numbers like 40,000 become 40000."""
    text = _SLACK_LINK.sub(lambda m: m.group(1) or " ", text)
    text = _SLACK_REF.sub(" ", text)
    text = text.translate(_SMART)
    text = _EMPHASIS.sub(" ", text)
    text = _THOUSANDS.sub("", text)
    text = _ABBREV.sub(lambda m: m.group(1).replace(".", ""), text)
    return _APOSTROPHE.sub(r"\1n't", text.lower())


def sentences(text: str) -> list[str]:
    """Sentences (and list items, lines, semicolon halves) of already-normalised text."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip(" .!?")]


def clauses(text: str, message_index: int = 0, start: int = 0) -> list[Clause]:
    """Clauses of one normalised message in reading order, numbered from `start`."""
    out: list[Clause] = []
    for sentence in sentences(text):
        for piece in _CLAUSE.split(sentence):
            piece = _LEADING.sub("", piece.strip(" .!?\"'"))
            if piece:
                out.append(Clause(piece, sentence, message_index, start + len(out)))
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_cue(tokens: list[str], i: int) -> bool:
    token = tokens[i]
    pair = " ".join(tokens[i : i + 2])
    if any(pair.startswith(phrase) for phrase in NOT_NEGATIONS):
        return False
    if i > 0 and " ".join(tokens[i - 1 : i + 1]) in NOT_NEGATIONS:
        return False
    return token in NEGATION_CUES or token.endswith("n't") or token == "cannot"


# "a letter that doesn't cite the exact clause is basically useless": the negation names what
# makes the output worthless, so the need stands.
_WORTHLESS_WITHOUT = re.compile(
    r"^[^,;:]*?\b(?:is|are|was|were|'s|would[ ]be|will[ ]be)\s+(?:\w+\s+)?"
    r"(?:useless|worthless|pointless|unusable|unacceptable|no[ ]good|no[ ]use|of[ ]no[ ]use"
    r"|a[ ]non-starter|a[ ]dealbreaker|a[ ]deal-breaker|dangerous|a[ ]liability)\b"
)


def negated(clause: str, start: int, end: int, *, before: bool = True, after: bool = True) -> bool:
    """Whether the match at clause[start:end] is negated within its clause.

    Before the match: a cue ("not", "never", "don't", "no need for", "forget", "instead of")
    at most four words earlier with no scope breaker in between. After the match: a predicate
    that takes the need back ("citations are not needed", "tone doesn't matter", "prices change
    rarely"). A negation of what makes the output worthless ("an answer that doesn't cite its
    source is useless") keeps the need.
    """
    if before and _negated_before(clause[:start], words(clause[start:end])[:1]):
        return not _WORTHLESS_WITHOUT.match(clause[end:])
    return after and bool(POST_NEGATORS.match(clause[end:]))


# Words that may stand between a negation and a failure verb without changing the complaint:
# "it doesn't really sound like us", "never consistently follows the template".
SOFTENERS = frozenset(
    """really quite always actually consistently reliably even ever fully properly correctly
    exactly remotely""".split()
)


def _negated_before(prefix: str, head: list[str] | None = None) -> bool:
    """`head` is the first word of the match: a failure verb there ("doesn't *sound* like us")
    makes a negation right before it a complaint, not an absence."""
    lowered = prefix.rstrip()
    for phrase in NEGATION_PHRASES:
        at = lowered.rfind(phrase)
        if at >= 0 and len(words(lowered[at + len(phrase) :])) <= 4:
            return not any(w in SCOPE_BREAKERS for w in words(lowered[at + len(phrase) :]))
    tokens = words(lowered)
    for back in range(1, min(len(tokens), 6) + 1):
        i = len(tokens) - back
        if tokens[i] in SCOPE_BREAKERS:
            return False
        if _is_cue(tokens, i):
            between = tokens[i + 1 :]
            if i > 0 and tokens[i] in ("nothing", "no") and tokens[i - 1] in FAILURE_VERBS:
                return False  # "it knows nothing about our protocols": a gap, not an absence
            if i > 0 and tokens[i].startswith("ignor") and tokens[i - 1] in OUTPUT_SUBJECTS:
                return False  # "summaries ignore the template": a complaint, not a non-goal
            if head and head[0] in FAILURE_VERBS and all(t in SOFTENERS for t in between):
                return False
            return not any(t in FAILURE_VERBS for t in between)
    return False


# Evidence: the user's words behind a reading, copied from the message as they typed it.
MAX_FRAGMENT_CHARS = 90
FRAGMENT_CONTEXT_WORDS = 6
_TOKEN = re.compile(r"[a-z0-9]+(?:'t\b)?")
_GAP = r"[^a-zA-Z0-9]*?"
_LOOSE_GAP = r".{0,40}?"


def evidence_fragment(clause: str, start: int = 0, end: int = 0) -> str:
    """The clause, or for a long one the words around `clause[start:end]` (normalised text)."""
    if len(clause) <= MAX_FRAGMENT_CHARS or end <= start:
        return clause
    before = clause[:start].split()[-FRAGMENT_CONTEXT_WORDS:]
    after = clause[end:].split()[:FRAGMENT_CONTEXT_WORDS]
    middle = clause[start:end]
    left = " ".join(before) + (" " if before and not clause[:start].endswith(tuple("-/")) else "")
    right = (" " if after and not clause[end:].startswith(tuple("-/")) else "") + " ".join(after)
    return (left + middle + right).strip()


def verbatim(raw: str, fragment: str) -> str | None:
    """The part of `raw` (a message as the user typed it) that `fragment` (normalised words of
    it) came from, copied exactly; None if it can't be found.

    Normalising lower-cases, drops markup and thousands separators and rewrites quotes, so
    the words are matched with anything but letters and digits allowed between them.
    """
    tokens = _TOKEN.findall(fragment)
    if not tokens:
        return None
    parts = [_token_pattern(token) for token in tokens]
    for gap in (_GAP, _LOOSE_GAP):
        pattern = r"(?<![a-zA-Z0-9])" + gap.join(parts) + r"(?![a-zA-Z0-9])"
        match = re.search(pattern, raw, re.IGNORECASE | re.DOTALL)
        if match:
            return match.group(0).strip()
    return None


def longest_verbatim(raw: str, fragment: str, min_words: int, max_words: int = 40) -> str | None:
    """The longest run of at least `min_words` consecutive words of `fragment` (normalised
    text) that `raw` holds as typed, copied exactly; None if no run is that long. For quotes
    written elsewhere (a model's) that paraphrase around the user's words."""
    tokens = _TOKEN.findall(fragment)[:max_words]
    for size in range(len(tokens), min_words - 1, -1):
        for start in range(len(tokens) - size + 1):
            parts = [_token_pattern(t) for t in tokens[start : start + size]]
            pattern = r"(?<![a-zA-Z0-9])" + _GAP.join(parts) + r"(?![a-zA-Z0-9])"
            match = re.search(pattern, raw, re.IGNORECASE | re.DOTALL)
            if match:
                return match.group(0).strip()
    return None


def _token_pattern(token: str) -> str:
    """A normalised word as typed: digits may carry thousands separators ("40,000"), and a
    "n't" may have been typed with a curly apostrophe or none ("doesnt")."""
    if token.endswith("'t"):
        return _token_pattern(token[:-2]) + "['’]?t"
    out = [re.escape(token[0])]
    for previous, char in itertools.pairwise(token):
        out.append((",?" if previous.isdigit() and char.isdigit() else "") + re.escape(char))
    return "".join(out)


def clip_words(text: str, limit: int) -> str:
    """The start of `text`, at most `limit` characters, cut at a space (a verbatim prefix)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut
