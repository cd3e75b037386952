"""The dimensions of the decision framework: one registry for the rules, decision and wording.

Each dimension is one question the articles ask of a project (does the knowledge change? must
answers cite sources? must the output follow a format? has prompting been tried?). Its `side`
says which verdict it argues for when present: `knowledge` (RAG), `behaviour` (fine-tuning),
`prompt-first` (try prompting before either) or `enabler` (makes fine-tuning feasible or worth
it, or makes retrieval unnecessary, without being a need itself). `wording` names the sections
of `prompts/offline_phrases.yaml` that phrase it; the follow-up question is that entry's `ask`.

`check_registry` runs at start-up: a rule naming an unknown dimension, or a dimension whose
wording is missing from the phrase file, stops the engine with the name in the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.types import Side
from bot.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    side: Side
    label: str
    """A short label for what was understood ("knowledge changes often")."""
    wording: tuple[str, ...] = ("dimensions",)
    """Phrase-file sections holding this dimension's wording."""


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("changing", "knowledge", "knowledge changes often"),
    Dimension("citations", "knowledge", "answers must cite sources"),
    Dimension("precision", "knowledge", "exact facts or records"),
    Dimension("compliance", "knowledge", "data must stay controllable"),
    Dimension("volume", "knowledge", "large body of knowledge", ("dimensions", "prompt_first")),
    Dimension("missing", "knowledge", "knowledge the model lacks"),
    Dimension("private", "knowledge", "answers from your own sources"),
    Dimension("format", "behaviour", "fixed output format"),
    Dimension("style", "behaviour", "a particular tone or voice"),
    Dimension("jargon", "behaviour", "domain terminology"),
    Dimension("skill", "behaviour", "a narrow repeated task"),
    Dimension("distill", "behaviour", "a small model to match a large one"),
    Dimension("latency", "behaviour", "latency or cost per query"),
    Dimension("behaviour_gap", "behaviour", "the model doesn't behave as required"),
    Dimension(
        "prompting",
        "prompt-first",
        "prompting tried and fell short",
        ("dimensions", "prompt_first"),
    ),
    Dimension("stage", "prompt-first", "an early prototype", ("prompt_first",)),
    Dimension("general", "prompt-first", "a general task a base model does", ("prompt_first",)),
    Dimension("base_ok", "prompt-first", "the base model already does well", ("prompt_first",)),
    Dimension("undefined", "prompt-first", "no use case or users settled yet", ()),
    Dimension(
        "examples", "enabler", "labelled examples to learn from", ("dimensions", "prompt_first")
    ),
    Dimension("scale", "enabler", "high volume of requests", ("prompt_first",)),
    Dimension("has_rag", "enabler", "retrieval already in place", ()),
)
BY_NAME: Mapping[str, Dimension] = {d.name: d for d in DIMENSIONS}
DECISIVE: tuple[str, ...] = ("changing", "citations", "private", "format", "style", "prompting")
"""The questions that most often turn a verdict: shown as not said when nobody answered them
(the reading's compact line), and first on a correction form."""
# The tool a user has in mind is not a dimension of the project; rules report it all the same.
TOOLS: Mapping[str, str] = {
    "tool_ft": "fine_tuning",
    "tool_rag": "rag",
    "tool_pe": "prompt_engineering",
}


def on_side(side: Side) -> tuple[str, ...]:
    """The names of one side's dimensions, in the framework's order."""
    return tuple(d.name for d in DIMENSIONS if d.side == side)


def check_registry(
    rule_dimensions: Iterable[tuple[str, str]], phrase_sections: Mapping[str, Mapping[str, object]]
) -> None:
    """Every rule names a known dimension; every dimension has its wording in the phrase file.

    `rule_dimensions` are (rule id, dimension) pairs; `phrase_sections` maps a section of the
    phrase file (`dimensions`, `prompt_first`) to its entries.
    """
    for rule_id, dimension in rule_dimensions:
        if dimension not in BY_NAME and dimension not in TOOLS:
            raise ConfigError(f"rule {rule_id!r} names unknown dimension {dimension!r}")
    for dim in DIMENSIONS:
        for section in dim.wording:
            if dim.name not in phrase_sections.get(section, {}):
                raise ConfigError(
                    f"offline_phrases.yaml: dimension {dim.name!r} has no entry in {section!r}"
                )
