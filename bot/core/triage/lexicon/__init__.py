"""The signal lexicon: how teams describe knowledge needs, behaviour needs and prompt-first cases.

`rules()` compiles every rule once, on first use; nothing happens at import. The word lists in
`base` are shared with the computed detectors in `signals`.
"""

from __future__ import annotations

from functools import cache

from bot.core.triage.lexicon.base import (
    ACCESS,
    CHANGE_VERBS,
    POSSESSIVE,
    STABLE,
    STRONG_NOUNS,
    WEAK_NOUNS,
    Rule,
    Scope,
)
from bot.core.triage.lexicon.behaviour import behaviour_rules, prompt_rules, tool_rules
from bot.core.triage.lexicon.knowledge import knowledge_rules

__all__ = [
    "ACCESS",
    "CHANGE_VERBS",
    "POSSESSIVE",
    "STABLE",
    "STRONG_NOUNS",
    "WEAK_NOUNS",
    "Rule",
    "Scope",
    "rules",
]


@cache
def rules() -> tuple[Rule, ...]:
    """Every lexicon rule, in the order mentions are reported."""
    return (*knowledge_rules(), *behaviour_rules(), *prompt_rules(), *tool_rules())
