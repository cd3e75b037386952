"""A reading as a short code both adapters put in a button or form: what the user was shown.

One character per dimension of the registry, in its order: `y`, `n` or `u` (not said), upper
case where the user set it. 21 characters, so a Slack button value or an Adaptive Card's
submit data carries the whole reading the form is pre-set from, and the submission says what
was shown — only what the person changed becomes a fact.
"""

from __future__ import annotations

from bot.core.triage.dimensions import DIMENSIONS
from bot.core.types import Answer, State

STATES: tuple[State, ...] = ("yes", "no", "unknown")
_CODE: dict[State, str] = {"yes": "y", "no": "n", "unknown": "u"}
_STATE: dict[str, State] = {v: k for k, v in _CODE.items()}


def reading_code(answer: Answer) -> str:
    """The reading as shown, one character per dimension in registry order: y / n / u, upper
    case where the user set it."""
    items = {r.dimension: r for r in answer.reading}
    out = []
    for dim in DIMENSIONS:
        item = items.get(dim.name)
        char = _CODE[item.state] if item else "u"
        out.append(char.upper() if item and item.source == "user" else char)
    return "".join(out)


def parse_code(code: str) -> tuple[dict[str, State], frozenset[str]]:
    """(state per dimension, the dimensions the user set); ValueError if not ours."""
    if len(code) != len(DIMENSIONS) or any(c.lower() not in _STATE for c in code):
        raise ValueError("not a reading code")
    states = {d.name: _STATE[c.lower()] for d, c in zip(DIMENSIONS, code, strict=True)}
    return states, frozenset(d.name for d, c in zip(DIMENSIONS, code, strict=True) if c.isupper())
