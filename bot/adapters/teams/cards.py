"""Adaptive Cards for "correct my reading": pure builders and the parser of their submissions.

Under a non-`clarify` answer, a card with one `Action.Submit` (*Correct my reading*); its data
carries the reading as shown (`bot.core.reading_code`). Teams delivers a click as a message
activity whose `value` is that data (no text), in the conversation of the answer — so a channel
reply chain stays the thread. The bot then sends the form: one `Input.ChoiceSet` (expanded:
radio buttons) per dimension, pre-set, and an `Action.Submit` whose submission (`value` = its
data plus each input's choice under the dimension's name) becomes the correction.

Version 1.4: inputs with labels (1.3+), rendered by Teams on every client and by the Agents
Playground. `Action.Submit` rather than `Action.Execute`: the latter arrives as an
`adaptiveCard/action` invoke, which botbuilder's dispatch answers for the bot only when the
card is refreshed in place; a message activity needs nothing more than the message path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botbuilder.schema import Attachment

from bot import messages
from bot.core.reading_code import STATES, parse_code, reading_code
from bot.core.triage.dimensions import BY_NAME, DIMENSIONS
from bot.core.types import Answer, Side, State, Verdict

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.4"
KIND = "ragOrFt"
"""The key naming which of the bot's cards sent a submission."""
OPEN = "correct"
SUBMIT = "corrected"
CODE = "reading"


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> Attachment:
    content = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "actions": actions,
    }
    return Attachment(content_type=CONTENT_TYPE, content=content)


def correct_button(answer: Answer) -> Attachment | None:
    """The card with *Correct my reading*, or None for a `clarify` answer."""
    if answer.verdict is Verdict.CLARIFY or not answer.reading:
        return None
    data = {KIND: OPEN, CODE: reading_code(answer)}
    return _card([], [{"type": "Action.Submit", "title": messages.TEAMS_CORRECT, "data": data}])


def correction_card(code: str) -> Attachment:
    """The form: a choice per dimension (Yes / No / Not said), pre-set from `code`."""
    states, given = parse_code(code)
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": messages.CORRECT_INTRO, "wrap": True},
    ]
    side: Side | None = None
    for dim in DIMENSIONS:
        if dim.side != side:
            side = dim.side
            body.append(
                {
                    "type": "TextBlock",
                    "text": messages.CORRECT_SIDES[side],
                    "weight": "Bolder",
                    "wrap": True,
                    "separator": True,
                }
            )
        label = dim.label[0].upper() + dim.label[1:]
        if dim.name in given:
            label += f" — {messages.CORRECT_YOU_SET}"
        body.append(
            {
                "type": "Input.ChoiceSet",
                "id": dim.name,
                "label": label,
                "style": "expanded",
                "isRequired": False,
                "value": states[dim.name],
                "choices": [{"title": messages.CORRECT_CHOICES[s], "value": s} for s in STATES],
            }
        )
    data = {KIND: SUBMIT, CODE: code}
    return _card(
        body, [{"type": "Action.Submit", "title": messages.TEAMS_CORRECT_SUBMIT, "data": data}]
    )


def card_kind(value: object) -> str | None:
    """`OPEN` or `SUBMIT` when an activity's `value` came from one of these cards."""
    if isinstance(value, Mapping) and value.get(KIND) in (OPEN, SUBMIT):
        return str(value[KIND])
    return None


def opened_code(value: Mapping[str, Any]) -> str:
    """The reading code a click carries; ValueError if it is not one."""
    code = value.get(CODE)
    if not isinstance(code, str):
        raise ValueError("no reading on the card")
    parse_code(code)
    return code


def submitted(value: Mapping[str, Any]) -> tuple[dict[str, State], dict[str, State]]:
    """(shown, chosen) from a form submission; a choice left empty keeps what was shown."""
    shown, _ = parse_code(opened_code(value))
    chosen = dict(shown)
    for name in BY_NAME:
        picked = value.get(name)
        if picked in STATES:
            chosen[name] = picked
    return shown, chosen
