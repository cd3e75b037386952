"""What the model must return — a reading of the thread — and the checks it passes first.

The model is asked narrow questions about the user's text, not for a verdict argued in prose:
per dimension of the framework (`bot.core.triage.dimensions`) whether the messages say yes or
no, the user's words that show it, and the ids of the passages that bear on it. The schema is
small and flat (short keys, enums) so a 1.5B model can fill it; the verdict comes last, after
the facts, so a model that writes in order reads the case before it commits to an answer.

The model's output is untrusted. Every fact is checked on its own — an unknown dimension, a
state other than yes/no or an empty quote drops that fact, not the reading — and the quotes
are not shown until `bot.llm.reader` has found them verbatim in the user's messages. No prose
the model writes reaches a user: summary, reasons and follow-up questions are composed from
the reading by the same code as the offline engine's.
"""

from __future__ import annotations

import html
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.core.triage.dimensions import DIMENSIONS
from bot.core.types import Verdict

TOOL_NAME = "record_reading"
MAX_FACTS = 16
MAX_QUOTE_CHARS = 400
MAX_IDS_PER_FACT = 3

VerdictName = Literal["rag", "fine_tuning", "both", "prompt_engineering", "clarify"]
DIMENSION_NAMES = tuple(d.name for d in DIMENSIONS)
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
_STATES = {"yes": "yes", "true": "yes", "y": "yes", "no": "no", "false": "no", "n": "no"}
_ID_SPLIT = re.compile(r"[,;\s]+")
_ALIAS = re.compile(r"^p(\d+)$", re.IGNORECASE)
_QUOTE_MARKS = "\"'“”‘’«»`"


class FactOut(BaseModel):
    """One thing the messages say about one dimension, in the user's words."""

    model_config = ConfigDict(extra="ignore")

    dim: str
    state: Literal["yes", "no"]
    quote: str = Field(min_length=1, max_length=MAX_QUOTE_CHARS)
    ids: list[str] = Field(default_factory=list)

    @field_validator("dim", mode="before")
    @classmethod
    def _known(cls, value: object) -> str:
        name = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        if name not in DIMENSION_NAMES:
            raise ValueError(f"unknown dimension {value!r}")
        return name

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: object) -> object:
        return _STATES.get(str(value).strip().lower(), value)

    @field_validator("quote", mode="before")
    @classmethod
    def _quote(cls, value: object) -> str:
        """Entities undone (llama.cpp's chatml-function-calling template HTML-escapes the
        prompt, and models copy `&#39;` back), quote marks and ellipses round it removed."""
        text = html.unescape(str(value or "")).strip()
        return text.strip(_QUOTE_MARKS + " .…").strip()

    @field_validator("ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> list[str]:
        if isinstance(value, str):
            items: list[Any] = [p for p in _ID_SPLIT.split(value) if p]
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            items = []
        ids = [normalize_passage_id(str(item)) for item in items if item is not None]
        return list(dict.fromkeys(i for i in ids if i))[:MAX_IDS_PER_FACT]


class ReadingOutput(BaseModel):
    """Record what the team's messages say about each dimension, then the verdict."""

    model_config = ConfigDict(extra="ignore")

    facts: list[FactOut] = Field(default_factory=list)
    verdict: Verdict | None = None
    rejected: int = 0
    """Facts dropped by the checks above (counted for the log line)."""

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, data: object) -> object:
        """Each fact is checked alone; a bad one is dropped and counted, the rest kept. A
        verdict that names none of the five is no verdict (the framework decides anyway)."""
        if not isinstance(data, dict):
            return data
        raw_facts = data.get("facts")
        if not isinstance(raw_facts, list):
            raise ValueError("facts must be a list (an empty one when nothing is said)")
        facts: list[FactOut] = []
        for item in raw_facts[:MAX_FACTS]:
            try:
                facts.append(FactOut.model_validate(item))
            except ValueError:
                continue
        return {
            "facts": facts,
            "verdict": parse_verdict(data.get("verdict")),
            "rejected": len(raw_facts) - len(facts),
        }


def parse_verdict(value: object) -> Verdict | None:
    if not isinstance(value, str):
        return None
    key = re.sub(r"[\s-]+", "_", value.strip().strip("\"'`.").lower())
    try:
        return Verdict(_VERDICT_ALIASES.get(key, key))
    except ValueError:
        return None


def normalize_passage_id(raw: str) -> str:
    """`[p3]`, `"P3"` and `P3` all name alias P3; anything else is kept as written."""
    text = raw.strip().strip("[](){}<>\"'`.,")
    match = _ALIAS.match(text)
    return f"P{int(match.group(1))}" if match else text


def wire_schema() -> dict[str, Any]:
    """The JSON schema the model is shown (as the tool's parameters or the response format)."""
    fact = {
        "type": "object",
        "properties": {
            "dim": {"type": "string", "enum": list(DIMENSION_NAMES)},
            "state": {"type": "string", "enum": ["yes", "no"]},
            "quote": {
                "type": "string",
                "description": "the user's own words that show it, copied exactly",
            },
            "ids": {
                "type": "array",
                "items": {"type": "string"},
                "description": 'ids of the passages that bear on it, e.g. ["P2"]',
            },
        },
        "required": ["dim", "state", "quote", "ids"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "facts": {"type": "array", "items": fact, "maxItems": MAX_FACTS},
            "verdict": {"type": "string", "enum": [v.value for v in Verdict]},
        },
        "required": ["facts", "verdict"],
        "additionalProperties": False,
    }
