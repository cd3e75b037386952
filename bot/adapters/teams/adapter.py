"""The Bot Framework seam: the `CloudAdapter` and the aiohttp route handler.

botbuilder's own `CloudAdapter.process(request)` lets bad input escape as exceptions (500 for a
body that is not JSON or a request without Content-Type, 500 for a malformed bearer token), so
this handler parses and authenticates itself and maps every client mistake to 4xx: bad JSON
(nested too deep for `json.loads` included) or no activity → 400, wrong media type → 415, any
authentication failure → 401 (nothing reaches the bot). Only a failure to fetch Microsoft's
signing keys is the server's problem (503).

Replies go to the activity's `serviceUrl`. With an app id, botbuilder checks it against the
token's `serviceurl` claim. Anonymous mode has no token, so any caller could name any URL and
make the bot POST there (an open relay): there only a loopback `serviceUrl` is accepted — the
Agents Playground and the Bot Framework Emulator run on the same machine — and anything else is
403 before the activity reaches the bot.

botbuilder validates a token with blocking `requests` calls when it needs the OpenID metadata
and signing keys (at the first request, then daily). Every request that carries a token is
therefore authenticated in a worker thread with its own short-lived event loop, so a key
download never stalls other conversations. Outbound tokens: see `auth`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityEventNames, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot.adapters.teams import replies
from bot.adapters.teams.auth import (
    AuthEndpoints,
    OutboundTokenError,
    build_authentication,
    close_clients,
)
from bot.core.conversation import Conversations
from bot.errors import new_ref
from bot.settings import Settings

log = logging.getLogger(__name__)

TurnHandler = Callable[[TurnContext], Awaitable[None]]
AUTH_THREADS = 8
AUTH_TIMEOUT_SECONDS = 10.0


def warn_if_exposed(settings: Settings, host: str) -> None:
    """One warning at start-up when anonymous mode listens beyond loopback: anyone who reaches
    the port can talk to the bot (replies still go only to loopback serviceUrls)."""
    if settings.teams_anonymous and not is_loopback_host(host):
        log.warning(
            "Teams endpoint in ANONYMOUS mode on a non-loopback interface: MICROSOFT_APP_ID is "
            "not set, so /api/messages accepts activities without a Bot Framework token from "
            "anyone who can reach this port. For local testing only (Microsoft 365 Agents "
            "Playground, Bot Framework Emulator); set MICROSOFT_APP_ID and "
            "MICROSOFT_APP_PASSWORD, or serve on 127.0.0.1",
            extra={"host": host},
        )


def build_adapter(
    settings: Settings, core: Conversations, endpoints: AuthEndpoints | None = None
) -> CloudAdapter:
    adapter = CloudAdapter(build_authentication(settings, endpoints))
    adapter.on_turn_error = _turn_error_handler(core)
    if settings.teams_anonymous:
        log.info(
            "Teams endpoint in anonymous mode (MICROSOFT_APP_ID is not set): activities need no "
            "token and only a loopback serviceUrl is accepted (Agents Playground, Emulator)"
        )
    else:
        log.info(
            "Teams endpoint requires Bot Framework tokens",
            extra={"app_type": settings.microsoft_app_type, "custom_issuer": endpoints is not None},
        )
    return adapter


class ActivityEndpoint:
    """POST /api/messages: parse, authenticate, hand the activity to the bot, map errors.

    Authentication threads are a pool of their own, and a token check is given
    `AUTH_TIMEOUT_SECONDS`: botbuilder downloads keys without a timeout, and a hung download must
    neither hang the request nor use up the threads other parts of the server rely on."""

    def __init__(self, adapter: CloudAdapter, on_turn: TurnHandler, *, anonymous: bool) -> None:
        self._adapter = adapter
        self._anonymous = anonymous
        self._auth: BotFrameworkAuthentication = adapter.bot_framework_authentication
        self._on_turn = on_turn
        self._threads = ThreadPoolExecutor(AUTH_THREADS, thread_name_prefix="teams-auth")

    async def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        await close_clients(self._auth)

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "expected application/json")
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _problem(HTTPStatus.BAD_REQUEST, "body is not valid JSON")
        activity = parse_activity(body)
        if activity is None:
            return _problem(HTTPStatus.BAD_REQUEST, "body is not a Bot Framework activity")
        if self._anonymous and not is_loopback_url(activity.service_url):
            log.warning("refused anonymous activity for a serviceUrl that is not loopback")
            return _problem(HTTPStatus.FORBIDDEN, "anonymous mode needs a loopback serviceUrl")
        try:
            authenticated = await self._authenticate(activity, request.headers.get("Authorization"))
        except (requests.RequestException, TimeoutError):
            log.exception("could not fetch Bot Framework signing keys")
            return _problem(HTTPStatus.SERVICE_UNAVAILABLE, "cannot validate tokens right now")
        except Exception as exc:
            log.warning("rejected unauthenticated activity", extra={"reason": type(exc).__name__})
            return _problem(HTTPStatus.UNAUTHORIZED, "unauthorized")
        try:
            response = await self._adapter.process_activity(authenticated, activity, self._on_turn)
        except OutboundTokenError:
            # The turn could not start (botbuilder builds the reply client first): like any
            # failed send, logged with a reference; the channel's delivery itself succeeded.
            log.exception(
                "teams reply could not be delivered",
                extra={"ref": new_ref(), "activity_type": activity.type},
            )
            return web.Response(status=HTTPStatus.ACCEPTED)
        if response is None:
            return web.Response(status=HTTPStatus.OK)
        if response.status == HTTPStatus.NOT_IMPLEMENTED:
            # An invoke this bot has no feature for (its manifest declares none that send one):
            # the caller's mistake, not an outage — 400, so it never pages anyone as a 5xx.
            return _problem(HTTPStatus.BAD_REQUEST, f"unsupported invoke {activity.name!r}")
        if response.body is None:
            return web.Response(status=response.status)
        return web.json_response(response.body, status=response.status)

    async def _authenticate(
        self, activity: Activity, header: str | None
    ) -> AuthenticateRequestResult:
        if not header:
            # Nothing to download: either anonymous mode or an immediate PermissionError.
            return await self._auth.authenticate_request(activity, None)
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(
            self._threads, _blocking_authenticate, self._auth, activity, header
        )
        return await asyncio.wait_for(work, AUTH_TIMEOUT_SECONDS)


def _blocking_authenticate(
    auth: BotFrameworkAuthentication, activity: Activity, header: str
) -> AuthenticateRequestResult:
    result: AuthenticateRequestResult = asyncio.run(auth.authenticate_request(activity, header))
    return result


def parse_activity(body: object) -> Activity | None:
    """The activity in a decoded JSON body, or None if it is not one (no object, no type)."""
    if not isinstance(body, dict):
        return None
    try:
        activity = Activity().deserialize(body)
    except Exception:
        return None
    return activity if activity.type else None


def is_loopback_url(url: object) -> bool:
    """An http(s) URL whose host is `localhost` or a loopback address, with no user info (so
    `http://127.0.0.1@example.com/` is not one); anything else, or no URL at all, is not."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or "@" in parts.netloc or not host:
        return False
    return is_loopback_host(host)


def is_loopback_host(host: str) -> bool:
    """A loopback IP address (`127.0.0.0/8`, `::1`) or `localhost`; not a name that resolves."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _problem(status: HTTPStatus, detail: str) -> web.Response:
    return web.json_response({"error": detail}, status=status)


def _turn_error_handler(core: Conversations) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        """Last resort for errors in an inbound turn: log, apologise with a reference. A
        background (continuation) turn re-raises, so its caller logs what it was delivering."""
        if context.activity.name == ActivityEventNames.continue_conversation:
            raise error
        text = core.apology(
            log, "teams turn failed", error=error, activity_type=context.activity.type
        )
        if context.activity.type != ActivityTypes.message:
            return
        try:
            await context.send_activity(replies.text_reply(text))
        except Exception:
            log.exception("apology not delivered")

    return on_turn_error
