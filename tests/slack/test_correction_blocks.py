"""The pure builders of "what I understood" and its correction form, Slack's and Teams', tested
directly: escaping, Block Kit limits, pre-set choices, nothing for a request for detail."""

from __future__ import annotations

import json

from bot.adapters.slack.blocks import answer_blocks
from bot.adapters.slack.correction import CORRECT_ACTION, correction_view, submitted
from bot.adapters.teams import cards
from bot.core.reading_code import parse_code, reading_code
from bot.core.render import understood
from bot.core.triage.dimensions import DIMENSIONS
from bot.core.types import Answer, ReadingItem, Span, Verdict

THREAD = "slack:T1:C1:1.0"


def answer(verdict: Verdict = Verdict.RAG, words: str = "docs change weekly") -> Answer:
    reading = [
        ReadingItem(dimension=d.name, side=d.side) for d in DIMENSIONS if d.name != "changing"
    ]
    changing = ReadingItem(
        dimension="changing", side="knowledge", state="yes", evidence=[Span(turn=1, text=words)]
    )
    fmt = ReadingItem(dimension="format", side="behaviour", state="no", source="user")
    reading = [changing, fmt, *[r for r in reading if r.dimension != "format"]]
    return Answer(
        verdict=verdict,
        confidence=0.8,
        summary="s",
        reasons=[],
        citations=[],
        reading=reading,
        thread=THREAD,
    )


def test_the_line_names_what_was_read_set_and_left_unsaid() -> None:
    line = understood(answer())
    assert line.startswith("What I understood: knowledge changes often ✔ “docs change weekly”")
    assert "fixed output format ✗ (you set)" in line
    assert "answers must cite sources ?" in line
    assert understood(answer(Verdict.CLARIFY)) == ""


def test_slack_line_is_one_escaped_context_block_and_clarify_has_neither() -> None:
    blocks = answer_blocks(answer(words="<!channel> *now* & <http://x|y>"))
    [line] = [b for b in blocks if "What I understood" in json.dumps(b)]
    text = line["elements"][0]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "&amp;" in text
    assert "*now*" not in text and len(text) <= 2000
    clarify = json.dumps(answer_blocks(answer(Verdict.CLARIFY)))
    assert "What I understood" not in clarify and CORRECT_ACTION not in clarify


def test_the_modal_is_pre_set_within_slacks_limits_and_parses_back() -> None:
    code = reading_code(answer())
    view = correction_view(THREAD, code)
    assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
    assert len(view["private_metadata"]) <= 3000
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert len(inputs) == len(DIMENSIONS)
    assert inputs["changing"]["element"]["initial_option"]["value"] == "yes"
    assert inputs["format"]["element"]["initial_option"]["value"] == "no"
    assert "hint" in inputs["format"] and "hint" not in inputs["changing"]
    for block in inputs.values():
        assert all(len(o["text"]["text"]) <= 75 for o in block["element"]["options"])
    values = {"format": {"state": {"selected_option": {"value": "yes"}}}}
    thread, shown, chosen = submitted({**view, "state": {"values": values}})
    assert thread == THREAD and shown["format"] == "no" and chosen["format"] == "yes"
    assert chosen["changing"] == "yes"  # untouched: what was shown


def test_the_teams_form_is_pre_set_and_parses_back() -> None:
    code = reading_code(answer())
    content = cards.correction_card(code).content
    inputs = {b["id"]: b for b in content["body"] if b["type"] == "Input.ChoiceSet"}
    assert inputs["changing"]["value"] == "yes" and inputs["format"]["value"] == "no"
    [action] = content["actions"]
    shown, chosen = cards.submitted({**action["data"], "format": "unknown", "bogus": "yes"})
    assert shown["format"] == "no" and chosen["format"] == "unknown" and "bogus" not in chosen
    assert parse_code(code)[1] == {"format"}
    assert cards.correct_button(answer(Verdict.CLARIFY)) is None
