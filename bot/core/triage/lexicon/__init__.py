"""The signal lexicon: how teams describe knowledge needs, behaviour needs and prompt-first cases.

`rules()` compiles every rule once, on first use; nothing happens at import. The word lists in
`base` are shared with the computed detectors in `signals`, whose ids and descriptions live in
`detectors`. `catalogue()` lists every rule and detector: id, dimension, one-line description.
"""

from __future__ import annotations

from functools import cache

from bot.core.triage.lexicon import detectors
from bot.core.triage.lexicon.base import (
    ACCESS,
    CHANGE_VERBS,
    POSSESSIVE,
    SOURCE_NOUNS,
    STABLE,
    STRONG_NOUNS,
    WEAK_NOUNS,
    Rule,
    RuleInfo,
    Scope,
)
from bot.core.triage.lexicon.behaviour import behaviour_rules, prompt_rules, tool_rules
from bot.core.triage.lexicon.everyday import everyday_rules
from bot.core.triage.lexicon.knowledge import knowledge_rules

__all__ = [
    "ACCESS",
    "CHANGE_VERBS",
    "POSSESSIVE",
    "SOURCE_NOUNS",
    "STABLE",
    "STRONG_NOUNS",
    "WEAK_NOUNS",
    "Rule",
    "RuleInfo",
    "Scope",
    "catalogue",
    "detectors",
    "rules",
]


@cache
def rules() -> tuple[Rule, ...]:
    """Every lexicon rule, in the order mentions are reported."""
    return (
        *knowledge_rules(),
        *behaviour_rules(),
        *prompt_rules(),
        *everyday_rules(),
        *tool_rules(),
    )


@cache
def catalogue() -> tuple[RuleInfo, ...]:
    """Every rule, then every computed detector: what `Mention.rule` can name."""
    return (*(r.info for r in rules()), *detectors.DETECTORS)
