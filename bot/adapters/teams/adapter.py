"""The Bot Framework seam: authentication, the `CloudAdapter`, and the aiohttp route handler.

botbuilder's own `CloudAdapter.process(request)` lets bad input escape as exceptions (500 for a
body that is not JSON or a request without Content-Type, 500 for a malformed bearer token), so
this handler parses and authenticates itself and maps every client mistake to 4xx: bad JSON or
no activity → 400, wrong media type → 415, any authentication failure → 401 (nothing reaches the
bot). Only a failure to fetch Microsoft's signing keys is the server's problem (503).

Blocking I/O kept off the event loop (botbuilder-python does both synchronously, with
`requests` and MSAL):
- Inbound token validation may download the OpenID metadata and signing keys. Every request
  that carries a token is authenticated in a worker thread (its own short-lived event loop), so
  a key download never stalls other conversations. Keys are then cached by botbuilder for a day.
- Outbound replies need an Entra token. botbuilder builds fresh credentials (and a fresh MSAL
  app, hence an empty token cache) for every turn and fetches the token on the loop while
  signing the request. `_Credentials` keeps one credentials object per app/scope, so MSAL's
  cache works, and fetches the token in a worker thread first, so signing only reads the cache.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import requests
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity, ActivityEventNames, ActivityTypes
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ServiceClientCredentialsFactory,
)
from msrest.authentication import Authentication

from bot import messages
from bot.adapters.teams import replies
from bot.errors import ConfigError
from bot.settings import Settings

log = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

TurnHandler = Callable[[TurnContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class AuthEndpoints:
    """Where inbound tokens are validated, when not Microsoft's public cloud: a local OpenID
    stand-in in tests, or a private cloud. `outbound_token`, if set, is sent as the bearer token
    of replies instead of one fetched from Entra (tests have no Entra to ask)."""

    openid_metadata_url: str
    token_issuer: str = BOT_FRAMEWORK_ISSUER
    outbound_token: str | None = None


def check_settings(settings: Settings) -> None:
    """Fail at start-up, naming the variable, rather than on the first reply."""
    app_id, kind = settings.microsoft_app_id, settings.microsoft_app_type
    if not app_id:
        return
    if not _GUID.match(app_id):
        raise ConfigError(
            f"MICROSOFT_APP_ID: must be the bot's app (client) id, a GUID (got {app_id!r})"
        )
    if kind in ("SingleTenant", "UserAssignedMSI") and not settings.microsoft_app_tenant_id:
        raise ConfigError(f"MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE={kind}")
    if kind != "UserAssignedMSI" and not settings.microsoft_app_password.get_secret_value():
        raise ConfigError(f"MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_TYPE={kind}")


class _Configuration:
    """The attribute names botbuilder-python's configuration classes read (the Python spelling of
    MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId)."""

    def __init__(self, settings: Settings, endpoints: AuthEndpoints | None) -> None:
        self.APP_ID = settings.microsoft_app_id
        self.APP_PASSWORD = settings.microsoft_app_password.get_secret_value()
        self.APP_TYPE = settings.microsoft_app_type
        self.APP_TENANTID = settings.microsoft_app_tenant_id
        if endpoints is not None:
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = endpoints.openid_metadata_url
            self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = endpoints.openid_metadata_url
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = endpoints.token_issuer
            self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = BOT_FRAMEWORK_ISSUER
            self.TO_CHANNEL_FROM_BOT_LOGIN_URL = (
                "https://login.microsoftonline.com/botframework.com"
            )
            self.CALLER_ID = "urn:botframework:azure"


class _StaticToken(Authentication):
    def __init__(self, token: str) -> None:
        self._token = token

    def signed_session(self, session: requests.Session | None = None) -> requests.Session:
        signed: requests.Session = super().signed_session(session)
        signed.headers["Authorization"] = f"Bearer {self._token}"
        return signed


class _Credentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """botbuilder's credentials factory, with credentials reused and tokens fetched off-loop."""

    def __init__(self, inner: Any, *, static_token: str | None = None) -> None:
        self._inner = inner
        self._static = _StaticToken(static_token) if static_token else None
        self._cache: dict[tuple[str, str, str, bool], Any] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        valid: bool = await self._inner.is_valid_app_id(app_id)
        return valid

    async def is_authentication_disabled(self) -> bool:
        disabled: bool = await self._inner.is_authentication_disabled()
        return disabled

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        if self._static is not None and not await self.is_authentication_disabled():
            return self._static
        key = (app_id or "", oauth_scope or "", login_endpoint or "", bool(validate_authority))
        credentials = self._cache.get(key)
        if credentials is None:
            credentials = await self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            )
            self._cache[key] = credentials
        if getattr(credentials, "microsoft_app_id", None):  # anonymous credentials fetch nothing
            await asyncio.to_thread(credentials.get_access_token)
        return credentials


def build_adapter(settings: Settings, endpoints: AuthEndpoints | None = None) -> CloudAdapter:
    configuration = _Configuration(settings, endpoints)
    credentials = _Credentials(
        ConfigurationServiceClientCredentialFactory(configuration),
        static_token=endpoints.outbound_token if endpoints else None,
    )
    authentication = ConfigurationBotFrameworkAuthentication(
        configuration, credentials_factory=credentials
    )
    adapter = CloudAdapter(authentication)
    adapter.on_turn_error = _on_turn_error
    if settings.teams_anonymous:
        log.warning(
            "Teams endpoint in ANONYMOUS mode: MICROSOFT_APP_ID is not set, so /api/messages "
            "accepts requests without a Bot Framework token. For local testing only (Microsoft "
            "365 Agents Playground, Bot Framework Emulator); set MICROSOFT_APP_ID and "
            "MICROSOFT_APP_PASSWORD before exposing this server."
        )
    else:
        log.info(
            "Teams endpoint requires Bot Framework tokens",
            extra={"app_type": settings.microsoft_app_type, "custom_issuer": endpoints is not None},
        )
    return adapter


class ActivityEndpoint:
    """POST /api/messages: parse, authenticate, hand the activity to the bot, map errors."""

    def __init__(self, adapter: CloudAdapter, on_turn: TurnHandler) -> None:
        self._adapter = adapter
        self._auth: BotFrameworkAuthentication = adapter.bot_framework_authentication
        self._on_turn = on_turn

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "expected application/json")
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return _problem(HTTPStatus.BAD_REQUEST, "body is not valid JSON")
        activity = parse_activity(body)
        if activity is None:
            return _problem(HTTPStatus.BAD_REQUEST, "body is not a Bot Framework activity")
        try:
            authenticated = await self._authenticate(activity, request.headers.get("Authorization"))
        except requests.RequestException:
            log.exception("could not fetch Bot Framework signing keys")
            return _problem(HTTPStatus.SERVICE_UNAVAILABLE, "cannot validate tokens right now")
        except Exception as exc:
            log.warning("rejected unauthenticated activity", extra={"reason": type(exc).__name__})
            return _problem(HTTPStatus.UNAUTHORIZED, "unauthorized")
        response = await self._adapter.process_activity(authenticated, activity, self._on_turn)
        if response is None:
            return web.Response(status=HTTPStatus.OK)
        if response.body is None:
            return web.Response(status=response.status)
        return web.json_response(response.body, status=response.status)

    async def _authenticate(
        self, activity: Activity, header: str | None
    ) -> AuthenticateRequestResult:
        if not header:
            # Nothing to download: either anonymous mode or an immediate PermissionError.
            return await self._auth.authenticate_request(activity, None)
        return await asyncio.to_thread(_blocking_authenticate, self._auth, activity, header)


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


def _problem(status: HTTPStatus, detail: str) -> web.Response:
    return web.json_response({"error": detail}, status=status)


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """Last resort for errors in an inbound turn: log, apologise with a reference. A background
    (continuation) turn re-raises, so its caller logs what it was trying to deliver."""
    if context.activity.name == ActivityEventNames.continue_conversation:
        raise error
    ref = uuid.uuid4().hex[:8]
    log.error(
        "teams turn failed",
        exc_info=(type(error), error, error.__traceback__),
        extra={"ref": ref, "activity_type": context.activity.type},
    )
    if context.activity.type != ActivityTypes.message:
        return
    try:
        await context.send_activity(replies.text_reply(messages.ERROR_APOLOGY.format(ref=ref)))
    except Exception:
        log.exception("apology not delivered", extra={"ref": ref})
