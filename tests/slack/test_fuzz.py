"""Signed but structurally wrong bodies: always a 4xx or a harmless 200, never a 500.

Bolt dereferences many fields (`event`, `actions`, `authorizations`, `user`, …) without checking
their types; the route must refuse such bodies before bolt sees them. Hypothesis generates
Slack-flavoured JSON objects (Slack's field names, wrong shapes); the examples are drawn up front,
deterministically, then sent over real HTTP.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.slack.conftest import Slack
from tests.support import slack_payloads as p

NAMES = [
    "type", "event", "actions", "action_id", "command", "user", "channel", "ts", "text", "team",
    "team_id", "container", "message", "response_url", "value", "subtype", "thread_ts", "bot_id",
    "view", "authorizations", "enterprise", "is_enterprise_install", "channel_id", "user_id",
    "event_id", "payload", "channel_type", "state",
]  # fmt: skip
VALUES = ["block_actions", "event_callback", "app_mention", "message", "/rag-or-ft", "im"]
leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=4), st.sampled_from(VALUES)
)
tree = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(NAMES), inner, max_size=5)
    ),
    max_leaves=16,
)
bodies = st.dictionaries(st.sampled_from(NAMES), tree, max_size=8)


def examples(count: int) -> list[dict[str, Any]]:
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(bodies)
    def collect(body: dict[str, Any]) -> None:
        drawn.append(body)

    collect()
    return drawn


def as_form(body: dict[str, Any]) -> str:
    if body.get("type") == "block_actions":
        return urlencode({"payload": json.dumps(body)})
    return urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})


@pytest.mark.parametrize("encoding", ["json", "form"])
async def test_no_signed_body_makes_a_500(slack: Slack, encoding: str) -> None:
    failures = []
    for body in examples(300):
        if encoding == "json":
            raw = json.dumps(body)
            headers = p.signed_headers(raw)
        else:
            raw = as_form(body)
            headers = p.signed_headers(raw, content_type="application/x-www-form-urlencoded")
        status, _, _ = await slack.post(raw, headers)
        if status >= 500:
            failures.append(body)
    await slack.drain()
    assert failures == []
