"""Bot Framework authentication: botbuilder's own, configured from settings, with three repairs.

- Validation endpoints: Microsoft's public cloud unless `AuthEndpoints` says otherwise (a local
  OpenID stand-in in tests, or a private cloud); the issuer and metadata then go through
  botbuilder's parameterised authentication, which checks the same claims.
- Reuse: botbuilder builds a new `ConnectorClient` and user-token client for every turn, and
  building one costs ~3 ms of CPU on the event loop (msrest computes its retry status list
  with a quadratic scan). `_Reusing` keeps clients per app id, service URL and audience.
- Blocking token fetches: MSAL fetches the outbound Entra token with synchronous HTTP inside
  request signing. Credentials are kept per app/scope (so MSAL's token cache lives on), and the
  token is fetched in a worker thread before each turn's client is handed out, so signing only
  reads the cache. A failed fetch is an `OutboundTokenError` (no reply can go out). Inbound
  signing-key downloads are moved off-loop by the route handler.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
)
from msrest.authentication import Authentication

from bot.errors import ConfigError, RagOrFtError
from bot.settings import Settings

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
MAX_CACHED_CLIENTS = 32  # service URLs are a handful of regional hosts; bounded all the same
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


@dataclass(frozen=True, slots=True)
class AuthEndpoints:
    """Where inbound tokens are validated, when not Microsoft's public cloud. `outbound_token`,
    if set, is the bearer token of replies instead of one from Entra (tests have no Entra), or
    a function fetching one, which may fail as Entra can."""

    openid_metadata_url: str
    token_issuer: str = BOT_FRAMEWORK_ISSUER
    outbound_token: str | Callable[[], str] | None = None


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


class BotConfiguration:
    """The attributes botbuilder-python's configuration classes read: its spelling of
    MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId."""

    def __init__(self, settings: Settings, endpoints: AuthEndpoints | None = None) -> None:
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


def build_authentication(
    settings: Settings, endpoints: AuthEndpoints | None = None
) -> BotFrameworkAuthentication:
    configuration = BotConfiguration(settings, endpoints)
    credentials = _Credentials(
        ConfigurationServiceClientCredentialFactory(configuration),
        static_token=endpoints.outbound_token if endpoints else None,
    )
    inner = ConfigurationBotFrameworkAuthentication(configuration, credentials_factory=credentials)
    return _Reusing(inner)


async def close_clients(authentication: BotFrameworkAuthentication) -> None:
    if isinstance(authentication, _Reusing):
        await authentication.close()


class _SuppliedToken(Authentication):
    """Outbound credentials from `AuthEndpoints.outbound_token`, shaped like botbuilder's own
    (an app id, `get_access_token`), so they are fetched ahead of a turn the same way."""

    microsoft_app_id = "supplied"

    def __init__(self, token: str | Callable[[], str]) -> None:
        self._token = token

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._token() if callable(self._token) else self._token

    def signed_session(self, session: requests.Session | None = None) -> requests.Session:
        signed: requests.Session = super().signed_session(session)
        signed.headers["Authorization"] = f"Bearer {self.get_access_token()}"
        return signed


class _Credentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """botbuilder's credentials factory, with one credentials object per app/scope/endpoint."""

    def __init__(self, inner: Any, *, static_token: str | Callable[[], str] | None = None) -> None:
        self._inner = inner
        self._static = _SuppliedToken(static_token) if static_token else None
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
        if key not in self._cache:
            self._cache[key] = await self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            )
        return self._cache[key]


class _ConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, inner: Any, owner: _Reusing, app_id: str) -> None:
        self._inner = inner
        self._owner = owner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        audience = audience or self._owner.get_originating_audience()
        key = (self._app_id, service_url, audience)
        clients = self._owner.clients
        client = clients.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            clients[key] = client
            while len(clients) > MAX_CACHED_CLIENTS:
                clients.popitem(last=False)
        clients.move_to_end(key)
        credentials = client.config.credentials
        if getattr(credentials, "microsoft_app_id", None):  # anonymous sends no token
            try:
                await asyncio.to_thread(credentials.get_access_token)
            except Exception as exc:
                raise OutboundTokenError("no outbound token for replies (Entra)") from exc
        return client


class _Reusing(BotFrameworkAuthentication):  # type: ignore[misc]
    """Delegates to botbuilder's authentication; hands out cached clients."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self.clients: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
        self._token_clients: dict[str, Any] = {}

    async def authenticate_request(
        self, activity: Activity, auth_header: str | None
    ) -> AuthenticateRequestResult:
        result: AuthenticateRequestResult = await self._inner.authenticate_request(
            activity, auth_header
        )
        if result.connector_factory is not None:
            app_id = _app_id(result.claims_identity)
            result.connector_factory = _ConnectorFactory(result.connector_factory, self, app_id)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        result: AuthenticateRequestResult = await self._inner.authenticate_streaming_request(
            auth_header, channel_id_header
        )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = self._inner.create_connector_factory(claims_identity)
        return _ConnectorFactory(inner, self, _app_id(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        app_id = _app_id(claims_identity)
        if app_id not in self._token_clients:
            self._token_clients[app_id] = await self._inner.create_user_token_client(
                claims_identity
            )
        return self._token_clients[app_id]

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        audience: str = self._inner.get_originating_audience()
        return audience

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        identity: ClaimsIdentity = await self._inner.authenticate_channel_request(auth_header)
        return identity

    async def close(self) -> None:
        clients = list(self.clients.values())
        self.clients.clear()
        for client in clients:
            await client.__aexit__(None, None, None)


class OutboundTokenError(RagOrFtError):
    """The bot's own token for replies could not be had (Entra unreachable or refusing): no
    reply can be sent now. The route still accepts the activity and logs the failed delivery."""


def _app_id(identity: ClaimsIdentity | None) -> str:
    """The bot's app id as botbuilder derives it: `aud` from a channel, `appid` otherwise."""
    if identity is None:
        return ""
    claims = identity.claims or {}
    return str(claims.get("aud") or claims.get("appid") or "")
