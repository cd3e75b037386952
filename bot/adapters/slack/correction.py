"""Block Kit for "what I understood" and its correction: pure builders, tested directly.

Under a non-`clarify` answer: one context block with the reading in a line, and a *Correct my
reading* button next to the feedback ones. The button carries the thread key and the reading as
it was shown (one character per dimension, so the value stays far below Slack's 2,000), which
the click turns into a modal — no store round trip inside the 3 seconds a `trigger_id` lives.
The modal has one radio group per dimension (Yes / No / Not said), pre-set from that reading;
its `private_metadata` carries the same two things to the submission, whichever replica takes
it. Every dimension of the framework is on the form (21 inputs and 4 headings: far below a
modal's 100 blocks), grouped by the side it argues for, in the framework's order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from bot import messages
from bot.core.reading_code import STATES, parse_code
from bot.core.shorten import shorten
from bot.core.triage.dimensions import BY_NAME, DIMENSIONS
from bot.core.types import Side, State

Block = dict[str, Any]

CORRECT_ACTION = "correct_reading"
CORRECT_VIEW = "correct_reading"
CHOICE_ACTION = "state"
TITLE_LIMIT = 24
OPTION_LIMIT = 75
LABEL_LIMIT = 2000


def correct_value(thread: str, code: str) -> str:
    return json.dumps({"t": thread, "r": code}, separators=(",", ":"))


def parse_correct_value(value: str) -> tuple[str, str]:
    """(thread, reading code) from the button's value or the modal's metadata."""
    data = json.loads(value)
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise ValueError("not a correction value")
    code = data.get("r")
    if not isinstance(code, str):
        raise ValueError("not a correction value")
    parse_code(code)
    return data["t"], code


def _plain(text: str, limit: int) -> dict[str, Any]:
    """Plain text needs no escaping (Slack shows it as written); only its limit."""
    return {"type": "plain_text", "text": shorten(text, limit), "emoji": True}


def _option(state: State) -> dict[str, Any]:
    return {"text": _plain(messages.CORRECT_CHOICES[state], OPTION_LIMIT), "value": state}


def correction_view(thread: str, code: str) -> dict[str, Any]:
    """The modal: one radio group per dimension, pre-set from the reading `code` describes."""
    states, given = parse_code(code)
    blocks: list[Block] = [{"type": "context", "elements": [_plain(messages.CORRECT_INTRO, 2000)]}]
    side: Side | None = None
    for dim in DIMENSIONS:
        if dim.side != side:
            side = dim.side
            blocks.append({"type": "header", "text": _plain(messages.CORRECT_SIDES[side], 150)})
        block: Block = {
            "type": "input",
            "block_id": dim.name,
            "label": _plain(dim.label[0].upper() + dim.label[1:], LABEL_LIMIT),
            "element": {
                "type": "radio_buttons",
                "action_id": CHOICE_ACTION,
                "options": [_option(s) for s in STATES],
                "initial_option": _option(states[dim.name]),
            },
        }
        if dim.name in given:
            block["hint"] = _plain(messages.CORRECT_YOU_SET, LABEL_LIMIT)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": CORRECT_VIEW,
        "title": _plain(messages.SLACK_CORRECT_TITLE, TITLE_LIMIT),
        "submit": _plain(messages.SLACK_CORRECT_SUBMIT, TITLE_LIMIT),
        "close": _plain(messages.SLACK_CORRECT_CLOSE, TITLE_LIMIT),
        "private_metadata": correct_value(thread, code),
        "blocks": blocks,
    }


def submitted(view: Mapping[str, Any]) -> tuple[str, dict[str, State], dict[str, State]]:
    """(thread, what was shown, what was chosen) from a `view_submission`'s view; ValueError if
    the view is not one of ours. A group without a choice keeps what was shown."""
    thread, code = parse_correct_value(str(view.get("private_metadata") or ""))
    shown, _ = parse_code(code)
    values = cast(Mapping[str, Any], (view.get("state") or {}).get("values") or {})
    chosen = dict(shown)
    for name in BY_NAME:
        picked = ((values.get(name) or {}).get(CHOICE_ACTION) or {}).get("selected_option")
        value = picked.get("value") if isinstance(picked, dict) else None
        if value in STATES:
            chosen[name] = cast(State, value)
    return thread, shown, chosen
