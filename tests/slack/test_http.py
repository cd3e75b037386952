"""The `/slack/events` edge: authentication, malformed bodies, and when the route exists at all."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.slack.conftest import PROJECT, Slack
from tests.support import slack_payloads as p
from tests.support.slack_api import APP_ID, TEAM_ID

FORM = "application/x-www-form-urlencoded"
DEAD = "http://127.0.0.1:9/response"  # never called: nothing answers an ignored command


def mention_body() -> str:
    return json.dumps(p.event_callback(p.app_mention(PROJECT)))


async def test_bad_signature_is_401_and_does_nothing(slack: Slack) -> None:
    body = mention_body()
    headers = p.signed_headers(body, secret="not-the-signing-secret")
    status, text, _ = await slack.post(body, headers)
    assert status == 401 and "invalid" in text
    await slack.drain()
    assert slack.api.calls == []


async def test_tampered_body_is_401(slack: Slack) -> None:
    body = mention_body()
    headers = p.signed_headers(body)
    status, _, _ = await slack.post(body.replace("Support", "Sapport"), headers)
    assert status == 401
    await slack.drain()
    assert slack.api.calls == []


async def test_timestamp_older_than_five_minutes_is_401(slack: Slack) -> None:
    body = mention_body()
    stale = p.signed_headers(body, timestamp=int(time.time()) - 6 * 60)
    status, _, _ = await slack.post(body, stale)
    assert status == 401
    body = p.slash_command(PROJECT, response_url=slack.api.response_url())
    stale = p.signed_headers(body, timestamp=int(time.time()) - 301, content_type=FORM)
    status, _, _ = await slack.post(body, stale)
    assert status == 401
    await slack.drain()
    assert slack.api.calls == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": "1700000000"},
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=abc"},
    ],
)
async def test_missing_or_garbled_auth_headers_are_401(
    slack: Slack, headers: dict[str, str]
) -> None:
    status, _, _ = await slack.post(mention_body(), {"Content-Type": "application/json", **headers})
    assert status == 401
    assert slack.api.calls == []


@pytest.mark.parametrize(
    "stamp",
    ["9" * 5000, "1" * 4000, "0" * 30 + "1700000000", "\u00b2", "\u0661"],
    ids=["5000-digits", "4000-digits", "zero-padded", "superscript-two", "arabic-indic-one"],
)
@pytest.mark.parametrize("body", [mention_body(), "{not json"], ids=["mention", "malformed"])
async def test_timestamp_that_is_not_a_plausible_integer_is_401(
    slack: Slack, stamp: str, body: str
) -> None:
    """Signed over that very timestamp, so only the header's value is at fault; `int()` of
    5,000 digits raises, and `str.isdigit` is true for `²`."""
    digest = hmac.new(p.SIGNING_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }
    status, _, _ = await slack.post(body, headers)
    assert status == 401
    await slack.drain()
    assert slack.api.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ('{"type": "event_callback", "event": "app_mention"}', "application/json"),
        ("payload=%7Bnot+json", FORM),
        ("payload=%5B1%5D", FORM),
        (b"\xff\xfe\x00 binary", "application/json"),
    ],
)
async def test_malformed_signed_bodies_are_4xx(
    slack: Slack, body: str | bytes, content_type: str
) -> None:
    status, _, _ = await slack.post(body, p.signed_headers(body, content_type=content_type))
    assert 400 <= status < 500
    await slack.drain()
    assert not [c for c in slack.api.calls if c.method != "auth.test"]


WRONG_IDS = {
    "team_id-list": {"type": "block_actions", "team_id": [{"a": ""}], "actions": [{}]},
    "team-id-object": {"type": "block_actions", "team": {"id": {"x": 1}}, "actions": [{}]},
    "action-without-id": {"type": "block_actions", "actions": [{"value": "x"}]},
    "authorizations-team": {
        "type": "event_callback",
        "authorizations": [{"team_id": ["T1"]}],
        "event": {"type": "app_mention"},
    },
    "event-user-object": {
        "type": "event_callback",
        "event": {"type": "message", "user": {"id": ["U1"]}},
    },
    "response_url-number": {"type": "block_actions", "response_url": 5, "actions": [{}]},
}


@pytest.mark.parametrize("body", WRONG_IDS.values(), ids=WRONG_IDS.keys())
async def test_wrong_typed_ids_are_400_even_before_the_first_auth_test(
    slack: Slack, body: dict[str, Any]
) -> None:
    """bolt's first `auth.test` sent a `team_id` list as a query parameter: 500 (it is cached
    afterwards, so only a fresh process showed it)."""
    raw = json.dumps(body)
    status, _, _ = await slack.post(raw, p.signed_headers(raw))
    assert status == 400
    assert slack.api.calls == []


async def test_malformed_unsigned_body_is_401_not_400(slack: Slack) -> None:
    body = "{not json"
    status, _, _ = await slack.post(body, p.signed_headers(body, secret="wrong"))
    assert status == 401


IGNORED = {
    "reaction_added": json.dumps(
        p.event_callback(
            {"type": "reaction_added", "user": p.USER, "reaction": "eyes", "event_ts": "1.2"}
        )
    ),
    "team_join": json.dumps(p.event_callback({"type": "team_join", "user": {"id": p.USER}})),
    "app_rate_limited": json.dumps(
        {
            "token": "XXYYZZ1234abcd",
            "type": "app_rate_limited",
            "team_id": TEAM_ID,
            "minute_rate_limited": 1518467820,
            "api_app_id": APP_ID,
        }
    ),
    "empty": "",
    "empty-object": "{}",
    "bare-event-callback": '{"type": "event_callback"}',
    "unknown-type": '{"type": "something_new", "x": 1}',
    "ssl-check": "ssl_check=1&token=XXYYZZ1234abcd",
    "other-command": p.slash_command("hi", response_url=DEAD).replace("rag-or-ft", "other"),
    "other-button": p.block_actions("not_ours", "x", response_url=DEAD, message_ts="1.2"),
    "view-closed": urlencode({"payload": json.dumps({"type": "view_closed", "view": {"id": "V"}})}),
}


@pytest.mark.parametrize("body", IGNORED.values(), ids=IGNORED.keys())
async def test_signed_requests_the_bot_ignores_are_200(slack: Slack, body: str) -> None:
    """Slack counts anything but a 2xx as a failed delivery and retries it."""
    content_type = FORM if "=" in body and not body.startswith("{") else "application/json"
    status, _, _ = await slack.post(body, p.signed_headers(body, content_type=content_type))
    assert status == 200
    unsigned = p.signed_headers(body, secret="wrong", content_type=content_type)
    status, _, _ = await slack.post(body, unsigned)
    assert status == 401
    await slack.drain()
    assert not [c for c in slack.api.calls if c.method != "auth.test"]


async def test_an_ignored_event_is_200_even_when_auth_test_fails(slack: Slack) -> None:
    """bolt calls `auth.test` before looking for a listener; an ignored event needs neither."""
    slack.api.fail("auth.test", "internal_error", status=500)
    body = IGNORED["reaction_added"]
    status, _, _ = await slack.post(body, p.signed_headers(body))
    assert status == 200
    assert slack.api.of("auth.test") == []


async def test_app_rate_limited_is_logged(slack: Slack, caplog: pytest.LogCaptureFixture) -> None:
    body = IGNORED["app_rate_limited"]
    status, _, _ = await slack.post(body, p.signed_headers(body))
    assert status == 200
    [record] = [r for r in caplog.records if "app_rate_limited" in r.getMessage()]
    assert record.levelno == logging.WARNING and getattr(record, "team", None) == TEAM_ID


async def test_url_verification_echoes_the_challenge(slack: Slack) -> None:
    body = json.dumps(p.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    status, text, _ = await slack.post(body, p.signed_headers(body))
    assert status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in text


async def test_no_slack_calls_at_start_up(serve: Callable[..., Any]) -> None:
    """Constructing the app verifies nothing over the network; auth.test waits for a request."""
    slack: Slack = await serve()
    async with slack.session.get(f"{slack.base}/healthz") as response:
        assert response.status == 200
    assert slack.api.calls == []


async def test_without_slack_settings_there_is_no_route(make_settings: object) -> None:
    settings: Settings = make_settings()  # type: ignore[operator]
    assert not settings.slack_enabled
    server = TestServer(create_app(await build_runtime(settings)), host="127.0.0.1")
    await server.start_server()
    try:
        body = mention_body()
        async with aiohttp.ClientSession() as session:
            url = str(server.make_url("/slack/events"))
            async with session.post(url, data=body, headers=p.signed_headers(body)) as response:
                assert response.status in (404, 405)
    finally:
        await server.close()
