"""`POST /slack/events`: aiohttp request → bolt request → `async_dispatch` → aiohttp response.

Bolt's own adapter (`slack_bolt.adapter.aiohttp`) does the same conversion; two gaps are
closed here so a hostile or broken body is a 4xx, never a 500:

- bolt parses the body while *constructing* its request, before any signature check, so bad
  JSON (or a non-object) raises; here that is 401 when the signature is wrong too, else 400.
  A timestamp header that is not an integer would make bolt's verifier raise; it is refused
  with 401 up front. Signature and age (5 minutes) are then checked by bolt's
  `RequestVerification` middleware, which answers 401 itself.
- bolt decides "this form body is an interaction" by the substring `payload` anywhere in the
  body, so a slash command whose text mentions a payload would parse as `{}` and be lost; form
  bodies are parsed here and bolt's request corrected when it guessed wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FORM = "application/x-www-form-urlencoded"
MAX_AGE_SECONDS = 60 * 5


def _unauthorized() -> web.Response:
    return web.json_response({"error": "invalid request"}, status=401)


def _parse(text: str, content_type: str) -> dict[str, Any]:
    """The body as Slack meant it; ValueError if it is not a JSON object or a form."""
    if content_type == FORM and not text.lstrip().startswith("{"):
        params = dict(parse_qsl(text, keep_blank_values=True))
        data: object = json.loads(params["payload"]) if "payload" in params else params
    else:
        data = json.loads(text) if text else {}
    if not isinstance(data, dict):
        raise ValueError("body is not an object")
    event = data.get("event")
    if event is not None and not isinstance(event, dict):
        raise ValueError("event is not an object")
    return data


def make_handler(app: AsyncApp, signing_secret: str) -> Handler:
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
        if not timestamp.isdigit() or not signature:
            return _unauthorized()
        try:
            text = raw.decode("utf-8")
            body = _parse(text, request.content_type)
            headers: dict[str, str | Sequence[str]] = {
                k: request.headers.getall(k) for k in request.headers
            }
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        except (ValueError, TypeError, AttributeError, KeyError):
            if not signed(raw, timestamp, signature):
                return _unauthorized()
            return web.json_response({"error": "malformed body"}, status=400)
        if bolt_request.body != body:
            bolt_request.body = body
            bolt_request.context = build_async_context(AsyncBoltContext(), body)
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    return slack_events
