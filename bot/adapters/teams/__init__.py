"""The Teams adapter: Bot Framework activities in, core calls, Teams activities out.

Every botbuilder/botframework import lives in this package, so moving to botbuilder-python's
successor SDK touches nothing else. Modules: `auth` (authentication and its repairs),
`adapter` (the `CloudAdapter`, the route handler and its error mapping), `bot` (activity ↔
core types), `replies` and `entities` (outgoing activities and native citations), `keys`
(thread and de-duplication keys). The Teams app package is `bot.packaging.teams`.

`mount` adds `POST /api/messages`. The adapter itself is built when the application starts, not
when it is created, so a caller can first set `AUTH_ENDPOINTS` on the application to validate
tokens against another OpenID issuer (tests use a local stand-in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.adapters.teams.adapter import ActivityEndpoint, build_adapter, warn_if_exposed
from bot.adapters.teams.auth import AuthEndpoints, check_settings
from bot.adapters.teams.bot import TriageBot

if TYPE_CHECKING:
    from bot.runtime import Runtime

__all__ = ["AUTH_ENDPOINTS", "ROUTE", "AuthEndpoints", "mount", "warn_if_exposed"]

ROUTE = "/api/messages"
AUTH_ENDPOINTS = web.AppKey("teams_auth_endpoints", AuthEndpoints)


class _Route:
    """The route's handler; holds the endpoint built at start-up (a started app is frozen)."""

    def __init__(self, runtime: Runtime) -> None:
        self._settings = runtime.settings
        self._core = runtime.conversations
        self._bot = TriageBot(runtime, app_id=runtime.settings.microsoft_app_id)
        self._endpoint: ActivityEndpoint | None = None

    async def start(self, app: web.Application) -> None:
        adapter = build_adapter(self._settings, self._core, app.get(AUTH_ENDPOINTS))
        self._bot.adapter = adapter
        self._endpoint = ActivityEndpoint(
            adapter, self._bot.on_turn, anonymous=self._settings.teams_anonymous
        )

    async def stop(self, app: web.Application) -> None:
        if self._endpoint is not None:
            await self._endpoint.close()

    async def handle(self, request: web.Request) -> web.Response:
        if self._endpoint is None:
            raise web.HTTPServiceUnavailable(reason="starting")
        return await self._endpoint.handle(request)


def mount(app: web.Application, runtime: Runtime) -> None:
    check_settings(runtime.settings)
    route = _Route(runtime)
    app.on_startup.append(route.start)
    app.on_cleanup.append(route.stop)
    app.router.add_post(ROUTE, route.handle)
