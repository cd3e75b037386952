"""Whatever arrives at the two public POST routes, the answer is a 4xx (or a 200 the platform's
semantics call for) — never a 5xx — and the process keeps serving.

Both routes face the internet: anyone can send Slack's route a body, signed or not, and in
anonymous mode Teams' route takes activities without a token. One real `rag-or-ft serve` is
started for the module and fed hypothesis-generated JSON and form bodies, Slack- and
Teams-shaped payloads with fuzzed fields, huge texts, wrong content types and invalid UTF-8.
Replies go to the Slack Web API and Bot Framework connector stand-ins on loopback (served from
a loop in a background thread, since hypothesis drives sync tests): nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.connector import ConnectorStandIn
from tests.support.net import free_port
from tests.support.serve_process import ServeProcess
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn
from tests.support.slack_payloads import SIGNING_SECRET, signed_headers

pytestmark = pytest.mark.slow
T = TypeVar("T")
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
DEAD = f"http://127.0.0.1:{free_port()}/"  # closed: a fuzzed response_url fails fast, locally
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/json; charset=utf-8",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/xml",
    "",
    "garbage/\x7f",
]


class BackgroundLoop:
    """An event loop in a thread, for async stand-ins used by sync (hypothesis) tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=30)
        self.loop.close()


@pytest.fixture(scope="module")
def stand_ins() -> Iterator[tuple[str, str]]:
    """(SLACK_API_URL, Teams serviceUrl): the Slack Web API and Bot Framework connector
    stand-ins, serving from a background loop for the whole module."""
    background = BackgroundLoop()

    async def start() -> tuple[SlackApiStandIn, ConnectorStandIn]:
        api, connector = SlackApiStandIn(), ConnectorStandIn()
        await api.start()
        await connector.start()
        return api, connector

    api, connector = background.run(start())
    try:
        yield api.base_url, connector.url
    finally:
        background.run(api.close())
        background.run(connector.close())
        background.close()


@pytest.fixture(scope="module")
def service_url(stand_ins: tuple[str, str]) -> str:
    return stand_ins[1]


@pytest.fixture(scope="module")
def bot(stand_ins: tuple[str, str]) -> Iterator[ServeProcess]:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": stand_ins[0],
        "RATE_LIMIT_PER_MINUTE": "0",
        "LOG_FORMAT": "json",
    }
    with ServeProcess(env) as process:
        yield process
        assert _request(process, "GET", "/healthz", b"", {})[0] == 200, "still serving"
        log = process.log_text()
        # Every 5xx is caught where it happens; here, failures no request saw (spawned work).
        assert "never retrieved" not in log and "Task was destroyed" not in log, log[-3000:]


def _request(
    bot: ServeProcess, method: str, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _post(bot: ServeProcess, path: str, body: bytes, headers: dict[str, str]) -> int:
    status, payload = _request(bot, "POST", path, body, headers)
    assert status < 500, (status, payload[:300], body[:300])
    return status


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=5)
    ),
    max_leaves=25,
)
texts = st.text(max_size=300) | st.sampled_from(["", " ", "help", "<@U0BOT0001>", "\x00\ud7ff"])
slack_events = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "app_mention",
                "message",
                "reaction_added",
                "assistant_thread_started",
                "assistant_thread_context_changed",
                "app_home_opened",
                "",
            ]
        )
        | st.text(),
        "text": texts | json_values,
        "user": st.sampled_from(["U0ALICE01", ""]) | json_values,
        "channel": st.sampled_from(["C0GENERAL1", "D0ALICEDM1"]) | json_values,
        "ts": st.sampled_from(["1710000001.000001", "x", ""]) | json_values,
    },
    optional={
        "thread_ts": st.text(max_size=20) | json_values,
        "channel_type": st.sampled_from(["im", "channel", "group"]) | json_values,
        "subtype": st.sampled_from(["bot_message", "message_changed"]) | json_values,
        "bot_id": st.text(max_size=10),
        "assistant_thread": json_values,
        "tab": st.sampled_from(["home", "messages"]) | json_values,
    },
)
slack_bodies = st.fixed_dictionaries(
    {"type": st.sampled_from(["event_callback", "url_verification", "block_actions"]) | texts},
    optional={
        "event": slack_events | json_values,
        "event_id": st.text(max_size=20) | json_values,
        "challenge": json_values,
        "team_id": json_values,
        "authorizations": json_values,
    },
)
form_bodies = st.dictionaries(
    st.sampled_from(["command", "text", "payload", "user_id", "channel_id", "response_url"])
    | st.text(max_size=10),
    st.sampled_from(["/rag-or-ft", DEAD + "response", "{}", '{"type": "block_actions"}'])
    | st.text(max_size=200),
    max_size=8,
)
SLACK_NAMES = [
    "type", "event", "actions", "action_id", "command", "user", "channel", "ts", "text", "team",
    "team_id", "container", "message", "response_url", "value", "subtype", "thread_ts", "bot_id",
    "view", "authorizations", "enterprise", "is_enterprise_install", "channel_id", "user_id",
    "event_id", "payload", "channel_type", "state",
]  # fmt: skip
SLACK_VALUES = ["block_actions", "event_callback", "app_mention", "message", "/rag-or-ft", "im"]
slack_trees = st.dictionaries(
    st.sampled_from(SLACK_NAMES),
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=4)
        | st.sampled_from(SLACK_VALUES),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(SLACK_NAMES), inner, max_size=5)
        ),
        max_leaves=16,
    ),
    max_size=8,
)
"""Slack's field names with shapes Slack never sends (bolt dereferences them unchecked)."""


def as_form(body: dict[str, Any]) -> dict[str, str]:
    if body.get("type") == "block_actions":
        return {"payload": json.dumps(body)}
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}


raw_bodies = st.binary(max_size=2000) | st.sampled_from([b"\xff\xfe\xfd", b'{"a": "\xc3\x28"}'])


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


# Slack ---------------------------------------------------------------------------------------


@FUZZ
@given(body=slack_bodies | json_values, content_type=st.sampled_from(CONTENT_TYPES))
def test_slack_unsigned_json_is_refused(bot: ServeProcess, body: Any, content_type: str) -> None:
    status = _post(bot, "/slack/events", _json(body), {"Content-Type": content_type})
    assert status in (400, 401)  # 400: aiohttp refuses a header with a control character


@FUZZ
@given(body=slack_bodies | slack_trees | json_values)
def test_slack_signed_json_is_a_4xx_or_an_ack(bot: ServeProcess, body: Any) -> None:
    raw = _json(body)
    _post(bot, "/slack/events", raw, signed_headers(raw))


@FUZZ
@given(form=form_bodies | slack_trees.map(as_form))
def test_slack_signed_forms_are_a_4xx_or_an_ack(bot: ServeProcess, form: dict[str, str]) -> None:
    raw = urlencode(form).encode()
    headers = signed_headers(raw, content_type="application/x-www-form-urlencoded")
    _post(bot, "/slack/events", raw, headers)


@FUZZ
@given(raw=raw_bodies, content_type=st.sampled_from(CONTENT_TYPES), signed=st.booleans())
def test_slack_raw_bytes_and_wrong_content_types(
    bot: ServeProcess, raw: bytes, content_type: str, signed: bool
) -> None:
    headers = signed_headers(raw, content_type=content_type) if signed else {}
    headers["Content-Type"] = content_type
    status = _post(bot, "/slack/events", raw, headers)
    if not signed:
        assert status in (400, 401)


@FUZZ
@given(stamp=st.text(max_size=20), signature=st.text(max_size=80))
def test_slack_garbage_signature_headers_are_401(
    bot: ServeProcess, stamp: str, signature: str
) -> None:
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
    headers = {k: v.encode("latin-1", "replace").decode("latin-1") for k, v in headers.items()}
    headers = {k: v for k, v in headers.items() if "\r" not in v and "\n" not in v}
    assert _post(bot, "/slack/events", b"{}", headers) in (400, 401)


# Teams (anonymous) ---------------------------------------------------------------------------

SERVICE_URL = "placeholder: the connector stand-in's URL is set per example"

activities = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["message", "conversationUpdate", "invoke", "typing"]) | texts,
        "serviceUrl": st.just(SERVICE_URL),
        "channelId": st.sampled_from(["msteams", "emulator"]) | json_values,
    },
    optional={
        "id": st.text(max_size=20) | json_values,
        "text": texts | json_values,
        "from": st.fixed_dictionaries({"id": st.text(max_size=20)}) | json_values,
        "recipient": json_values,
        "conversation": st.fixed_dictionaries(
            {"id": st.text(max_size=40)},
            optional={"conversationType": st.sampled_from(["personal", "channel", "groupChat"])},
        )
        | json_values,
        "entities": json_values,
        "channelData": json_values,
        "value": json_values,
        "name": st.sampled_from(["message/submitAction", "task/fetch"]) | texts,
        "replyToId": st.text(max_size=20),
    },
)


@FUZZ
@given(activity=activities, content_type=st.sampled_from(CONTENT_TYPES[:3]))
def test_teams_fuzzed_activities_are_never_a_5xx(
    bot: ServeProcess, service_url: str, activity: dict[str, Any], content_type: str
) -> None:
    activity = {**activity, "serviceUrl": service_url}
    _post(bot, "/api/messages", _json(activity), {"Content-Type": content_type})


@FUZZ
@given(raw=raw_bodies | json_values.map(_json), content_type=st.sampled_from(CONTENT_TYPES))
def test_teams_raw_bodies_are_never_a_5xx(bot: ServeProcess, raw: bytes, content_type: str) -> None:
    _post(bot, "/api/messages", raw, {"Content-Type": content_type})


def test_teams_adaptive_card_action_invoke_is_not_a_5xx(
    bot: ServeProcess, service_url: str
) -> None:
    activity = {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "serviceUrl": service_url,
        "channelId": "msteams",
    }
    _post(bot, "/api/messages", _json(activity), {"Content-Type": "application/json"})


# Depth ---------------------------------------------------------------------------------------

NESTED = [
    "[" * 1000 + "]" * 1000,  # 2 kB: json.loads raises RecursionError
    '{"type": "event_callback", "event": ' + '{"a": ' * 5000 + "1" + "}" * 5001,
]


@pytest.mark.parametrize("raw", NESTED, ids=["array", "object"])
@pytest.mark.parametrize(
    ("path", "form", "secret", "status"),
    [
        ("/slack/events", False, SIGNING_SECRET, 400),
        ("/slack/events", False, "not-the-secret", 401),
        ("/slack/events", True, SIGNING_SECRET, 400),
        ("/slack/events", True, "not-the-secret", 401),
        ("/api/messages", False, "", 400),
    ],
)
def test_json_nested_too_deep_is_a_4xx(
    bot: ServeProcess, raw: str, path: str, form: bool, secret: str, status: int
) -> None:
    """Malformed → 400, unauthenticated → 401: `RecursionError` from `json.loads` is neither."""
    body = urlencode({"payload": raw}).encode() if form else raw.encode()
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    headers = signed_headers(body, secret=secret, content_type=content_type)
    assert _post(bot, path, body, headers) == status


# Size ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/slack/events", "/api/messages"])
def test_a_body_over_the_limit_is_413(bot: ServeProcess, path: str) -> None:
    raw = b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    headers = signed_headers(raw) if path.startswith("/slack") else {}
    headers["Content-Type"] = "application/json"
    assert _post(bot, path, raw, headers) == 413


def test_huge_texts_within_the_limit_are_accepted(bot: ServeProcess, service_url: str) -> None:
    from tests.support.slack_payloads import app_mention, event_callback
    from tests.support.teams_activities import personal_message

    huge = "We index a very large wiki. " * 10_000  # 280 kB, twice in the body: under 1 MB
    raw = _json(event_callback(app_mention(huge)))
    assert _post(bot, "/slack/events", raw, signed_headers(raw)) == 200
    activity = _json(personal_message(service_url, huge))
    assert _post(bot, "/api/messages", activity, {"Content-Type": "application/json"}) < 300


def test_the_process_kept_serving(bot: ServeProcess) -> None:
    """Last in the module: after everything above, the same process still answers."""
    assert bot.proc is not None and bot.proc.poll() is None
    assert _request(bot, "GET", "/healthz", b"", {})[0] == 200
    assert _request(bot, "GET", "/readyz", b"", {})[0] == 200
