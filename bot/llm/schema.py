"""What the model must return, and the checks its answer passes before the bot uses any of it.

The model's output is untrusted text. `TriageOutput` is sent to the model as the tool (function)
or JSON schema so it sees the shape, and validates what comes back: verdict spellings are
normalised and must name one of the five verdicts; confidence is clamped into 0..1; every string
is bounded and cleaned of anything that could pass for a quotation of a source, a link or a chat
mention. The model names passages by id only — quotes are copied from the passages by
`CitationBuilder`, never taken from here.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

TOOL_NAME = "submit_triage"
MAX_SUMMARY_CHARS = 600
MAX_REASON_CHARS = 400
MAX_QUESTION_CHARS = 200
MAX_REASONS = 6
MAX_QUESTIONS = 3
MAX_IDS_PER_REASON = 4

VerdictName = Literal["rag", "fine_tuning", "both", "prompt_engineering", "clarify"]

_VERDICT_ALIASES = {
    "fine_tune": "fine_tuning",
    "finetune": "fine_tuning",
    "finetuning": "fine_tuning",
    "ft": "fine_tuning",
    "prompting": "prompt_engineering",
    "prompt": "prompt_engineering",
    "rag_and_fine_tuning": "both",
    "rag+fine_tuning": "both",
}
# A quoted span (double, single or curly quotes) of four or more words reads as a quotation;
# the bot unquotes it. An ASCII apostrophe opens one only after a non-word character, so
# "don't" and "users' data" stay as they are.
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»\n]+)[\"“”„«»]")
_SINGLE_QUOTED = re.compile(r"(?:(?<!\w)'([^'\n]+)'(?!\w)|[‘‚‹]([^‘’‚‹›\n]+)[’‘›])")
QUOTE_MIN_WORDS = 4
_BLOCKQUOTE = re.compile(r"(?m)^\s*>+\s?")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_CHAT_CONTROL = re.compile(r"<[!@#][^>\n]*>|<\|[^|\n]*\|>")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
# Citation markers only the bot places: `[1]`, `[9]`, `[1, 2]`, `[1-3]`, `[^1]`, `[c1]`,
# `【1】`, `[source 1]`, superscript digits. Teams turns a `[n]` into a citation pill.
_MARKERS = re.compile(
    r"\s*(?:\[\s*(?:\^|c|source\s*|ref\s*|citation\s*)?\d+(?:\s*[,–-]\s*\d+)*\s*\]"
    r"|【[^】\n]*】|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)",
    re.IGNORECASE,
)
# A source line: a line led by a dash that is not a bullet (`— Title`, `-- Title`) or such a
# dash right after a sentence's end; a line that
# is only a heading (`*Sources*`, `### References`), with everything after it (the list); an
# emphasised heading or `Sources:` inside a line, with the rest of that line.
_SOURCE_LINE = re.compile(
    r"(?m)(?:^[ \t]*|(?<=[.!?])[ \t]*)(?:[–—―]|--)[ \t]*\S.*$"
)  # also `… sentence. — Title` at a line's end: an attribution, not prose
_HEADING = r"(?:sources?|references?|citations?|bibliography|further reading)"
_SOURCES_HEADING = re.compile(
    rf"(?im)^[#>*_ \t]*{_HEADING}[*_ \t]*:?[*_ \t]*$[\s\S]*"
    rf"|[*_]+[ \t]*{_HEADING}[ \t]*:?[ \t]*[*_]+.*$"
    r"|\b(?:sources?|references)[ \t]*:.*$"
)
_ALIAS_REFS = re.compile(r"\s*[\[(]\s*P\d+(?:\s*(?:,|and|&)\s*P\d+)*\s*[\])]", re.IGNORECASE)
_WS = re.compile(r"\s+")
_ID_SPLIT = re.compile(r"[,;\s]+")
_ALIAS = re.compile(r"^p(\d+)$", re.IGNORECASE)


def clean_prose(value: object, limit: int) -> str:
    """Model prose made safe to show: no quotation-looking spans, links, mentions, `(P2)`
    passage references, citation markers or source lines (only the bot places citations and
    quotes); bounded to `limit` characters."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    text = _SOURCE_LINE.sub("", text)
    text = _SOURCES_HEADING.sub("", text)
    text = _BLOCKQUOTE.sub("", text)
    text = _CHAT_CONTROL.sub("", text)
    text = _URL.sub("[link removed]", text)
    text = _BROADCAST.sub(r"\1", text)
    text = _QUOTED.sub(_unquote, text)
    text = _SINGLE_QUOTED.sub(_unquote, text)
    text = _ALIAS_REFS.sub("", text)
    text = _MARKERS.sub("", text)
    text = text.replace("`", "")
    text = _WS.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:") + "…"


def _unquote(match: re.Match[str]) -> str:
    inner = next(g for g in match.groups() if g is not None).strip()
    return inner if len(inner.split()) >= QUOTE_MIN_WORDS else match.group(0)


def _bounded(limit: int) -> BeforeValidator:
    return BeforeValidator(lambda value: clean_prose(value, limit))


def _verdict(value: object) -> object:
    if not isinstance(value, str):
        return value
    key = re.sub(r"[\s-]+", "_", value.strip().strip("\"'`.").lower())
    return _VERDICT_ALIASES.get(key, key)


def _confidence(value: float) -> float:
    """Clamp into 0..1; NaN or infinity (JSON extensions some servers emit) reads as undecided."""
    if not math.isfinite(value):
        return 0.5
    return min(1.0, max(0.0, value))


def normalize_passage_id(raw: str) -> str:
    """`[p3]`, `"P3"` and `P3` all name alias P3; anything else is kept as written."""
    text = raw.strip().strip("[](){}<>\"'`.,")
    match = _ALIAS.match(text)
    return f"P{int(match.group(1))}" if match else text


def _passage_ids(value: object) -> object:
    items: list[Any]
    if isinstance(value, str):
        items = [p for p in _ID_SPLIT.split(value) if p]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return value
    ids = [normalize_passage_id(str(item)) for item in items if item is not None]
    return list(dict.fromkeys(i for i in ids if i))[:MAX_IDS_PER_REASON]


def _questions(value: object) -> object:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return value
    cleaned = (clean_prose(q, MAX_QUESTION_CHARS) for q in value if q)
    return [q for q in cleaned if q][:MAX_QUESTIONS]


def _non_empty(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


class ReasonOut(BaseModel):
    """One reason as the model proposes it: prose plus the ids of the passages behind it."""

    text: Annotated[str, _bounded(MAX_REASON_CHARS)] = Field(
        description="Why, in the team's own terms; one or two sentences, no quotations."
    )
    passage_ids: Annotated[list[str], BeforeValidator(_passage_ids)] = Field(
        description='Ids of the given passages that support this reason, e.g. ["P2"].'
    )


def _keep_reasons(reasons: list[ReasonOut]) -> list[ReasonOut]:
    return [r for r in reasons if r.text][:MAX_REASONS]


class TriageOutput(BaseModel):
    """Record the triage verdict for the project described in the user's messages."""

    model_config = ConfigDict(title=TOOL_NAME)

    verdict: Annotated[VerdictName, BeforeValidator(_verdict)] = Field(
        description="rag, fine_tuning, both, prompt_engineering or clarify."
    )
    confidence: Annotated[float, AfterValidator(_confidence)] = Field(
        description="How sure you are, from 0.0 to 1.0."
    )
    summary: Annotated[str, _bounded(MAX_SUMMARY_CHARS), AfterValidator(_non_empty)] = Field(
        description="One or two sentences the team can act on; answer their latest question."
    )
    reasons: Annotated[list[ReasonOut], AfterValidator(_keep_reasons)] = Field(
        description="Two to four reasons, each backed by passage ids."
    )
    follow_up_questions: Annotated[list[str], BeforeValidator(_questions)] = Field(
        description="Up to three questions whose answers would change or sharpen the verdict."
    )
