"""`POST /slack/events`: aiohttp request → bolt request → `async_dispatch` → aiohttp response.

Bolt's own adapter (`slack_bolt.adapter.aiohttp`) does the same conversion; four gaps are
closed here so a hostile or broken body is a 4xx, never a 500:

- bolt parses the body while *constructing* its request, before any signature check, so bad
  JSON (or a non-object, or JSON nested too deep for `json.loads`: `RecursionError`) raises;
  here that is 401 when the signature is wrong too, else 400.
  A timestamp header that is not a plausible Unix time (ASCII digits, at most
  `MAX_TIMESTAMP_DIGITS`) would make bolt's verifier raise (`int()` of 5,000 digits, or of `²`,
  which `str.isdigit` accepts); it is refused with 401 up front. Signature and age (5 minutes)
  are then checked by bolt's `RequestVerification` middleware, which answers 401 itself.
- bolt's middleware dereferences fields such as `event`, `user` or `actions[0]` without checking
  their types, and sends ids it finds (a `team_id` list, say) to `auth.test`; a signed body where
  they have the wrong shape is refused with 400 (found by tests/slack/test_fuzz.py and
  tests/ops/test_fuzz.py).
- a signed request no listener takes (`reaction_added`, `team_join`, `app_rate_limited`, an
  empty body) is answered 200 here, without bolt, which would answer 404 — a failed delivery
  Slack retries — after calling `auth.test` (see `listeners.takes`).
- bolt decides "this form body is an interaction" by the substring `payload` anywhere in the
  body, so a slash command whose text mentions a payload would parse as `{}` and be lost; such
  bodies are parsed again here and bolt's request corrected.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Body = dict[str, Any]
FORM = "application/x-www-form-urlencoded"
MAX_AGE_SECONDS = 60 * 5
MAX_TIMESTAMP_DIGITS = 12
_OBJECTS = ("event", "view", "container", "message", "team", "user", "channel", "state")
"""Top-level fields bolt dereferences as objects whenever present (it crashes otherwise)."""
_LISTS_OF_OBJECTS = ("actions", "authorizations")
_CONTEXT_IDS = (
    "enterprise_id",
    "team_id",
    "user_id",
    "channel_id",
    "actor_enterprise_id",
    "actor_team_id",
    "actor_user_id",
    "thread_ts",
    "response_url",
)
"""What bolt copies into its context from wherever the payload has them (`team_id`, `team.id`,
`authorizations[0].team_id`, `event.user`, …); its first `auth.test` sends some as parameters."""


def _unauthorized() -> web.Response:
    return web.json_response({"error": "invalid request"}, status=401)


def _check(request: AsyncBoltRequest, text: str, content_type: str) -> None:
    """Raise ValueError unless bolt parsed an object of the shape its middleware assumes;
    undo bolt's `payload` misreading.

    Only a form body that contains the word `payload` without being an interaction is parsed a
    second time, so the common path costs no more than bolt's own adapter.
    """
    if not isinstance(request.body, dict):
        raise ValueError("body is not an object")
    if content_type == FORM and "payload" in text and not text.lstrip().startswith("{"):
        params = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in params:
            request.body = params
            request.context = build_async_context(AsyncBoltContext(), params)
    body = request.body
    for name in _OBJECTS:
        if name in body and not isinstance(body[name], dict):
            raise ValueError(f"{name} is not an object")
    for name in _LISTS_OF_OBJECTS:
        value: object = body.get(name, [])
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            raise ValueError(f"{name} is not a list of objects")
    actions = cast(list[dict[str, Any]], body.get("actions") or [])  # objects (checked above)
    if "actions" in body and not all(isinstance(a.get("action_id"), str) for a in actions or [{}]):
        raise ValueError("actions is empty or an action has no id")  # bolt reads both
    for name in _CONTEXT_IDS:
        value = request.context.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} is not a string")


def make_handler(
    app: AsyncApp,
    signing_secret: str,
    *,
    takes: Callable[[Body], bool],
    ignored: Callable[[Body], None],
) -> Handler:
    """The route; `takes(body)` says whether bolt should see a request, `ignored(body)` is told
    of each signed one it should not (both from `listeners`)."""
    key = signing_secret.encode()

    def signed(raw: bytes, timestamp: str, signature: str) -> bool:
        """Slack's check over the raw bytes (the body may not even be UTF-8 here)."""
        if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
            return False
        digest = hmac.new(key, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
        return hmac.compare_digest("v0=" + digest.hexdigest(), signature)

    async def slack_events(request: web.Request) -> web.Response:
        raw = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        plausible = timestamp.isascii() and timestamp.isdigit()
        if not plausible or len(timestamp) > MAX_TIMESTAMP_DIGITS or not signature:
            return _unauthorized()
        try:
            text = raw.decode("utf-8")
            headers = cast(dict[str, str | Sequence[str]], dict(request.headers))
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
            _check(bolt_request, text, request.content_type)
        except (ValueError, TypeError, AttributeError, LookupError, RecursionError):
            if not signed(raw, timestamp, signature):
                return _unauthorized()
            return web.json_response({"error": "malformed body"}, status=400)
        if not takes(bolt_request.body):
            if not signed(raw, timestamp, signature):
                return _unauthorized()
            ignored(bolt_request.body)
            return web.Response(status=200)
        response = await app.async_dispatch(bolt_request)
        if response.status == 404:  # no listener matched after all (another command or button)
            return web.Response(status=200)
        return await to_aiohttp_response(response)

    return slack_events
