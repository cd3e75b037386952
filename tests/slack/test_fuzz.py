"""Realistic signed payloads with one wrong-typed field: a 4xx or a harmless 200, never a 500.

Bolt dereferences many fields (`event`, `actions`, `authorizations`, `user`, …) without checking
their types; the route must refuse such bodies before bolt sees them. Every field of a real
mention, DM, assistant thread start and message, App Home opening and click is replaced in turn
by each type Slack never sends there. (Random Slack-flavoured bodies are fuzzed against a real
process in tests/ops/test_fuzz.py.)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from bot.adapters.slack.blocks import FEEDBACK_UP, feedback_value
from tests.slack.conftest import Slack
from tests.support import slack_payloads as p

WRONG_TYPES: list[Any] = [None, True, 0, 1.5, "", [], ["x"], {}, {"id": "x"}]
EXTRA_FIELDS = {"event": ["subtype", "thread_ts", "channel_type", "bot_id"]}


def _wrong_typed(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """`node` once per (field, wrong-typed value), at every depth: realistic payloads in which
    exactly one field has a type Slack never sends (fields a payload may lack included)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            for label, changed in _wrong_typed(item, f"{path}[{i}]"):
                yield label, [*node[:i], changed, *node[i + 1 :]]
        return
    if not isinstance(node, dict):
        return
    for name in [*node, *[n for n in EXTRA_FIELDS.get(path, []) if n not in node]]:
        where = f"{path}.{name}" if path else name
        for value in WRONG_TYPES:
            yield f"{where}={value!r}", {**node, name: value}
        for label, changed in _wrong_typed(node.get(name), where):
            yield label, {**node, name: changed}


async def test_no_signed_payload_with_a_wrong_typed_field_makes_a_500(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    """Wrong types, not only wrong values: a list `subtype` once raised `unhashable type`.
    Events must not even fail in the background (no error logged); a click with a wrong-typed
    value is answered with the usual apology, so only its status is checked."""
    failures = []
    events = [
        p.event_callback(event)
        for event in (
            p.app_mention("A support bot"),
            p.dm("hi"),
            p.assistant_thread_started(),
            p.assistant_message("hi", thread_ts=p.new_ts()),
            p.app_home_opened(),
        )
    ]
    for base in events:
        for label, body in _wrong_typed(base):
            raw = json.dumps(body)
            status, _, _ = await slack.post(raw, p.signed_headers(raw))
            if status >= 500:
                failures.append(label)
    await slack.drain()
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    value = feedback_value("slack:T0TEAM001:C0GENERAL1:1710000000.000001", "rag")
    click = p.block_actions(
        FEEDBACK_UP, value, response_url=slack.api.response_url(), message_ts="1.2"
    )
    for label, body in _wrong_typed(json.loads(parse_qs(click)["payload"][0])):
        raw = urlencode({"payload": json.dumps(body)})
        headers = p.signed_headers(raw, content_type="application/x-www-form-urlencoded")
        status, _, _ = await slack.post(raw, headers)
        if status >= 500:
            failures.append(label)
    await slack.drain()
    assert failures == []
