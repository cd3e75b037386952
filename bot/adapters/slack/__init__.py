"""The Slack adapter: converts Slack payloads to core calls and answers back to Slack.

    app.py        the bolt AsyncApp (no network at construction) and its pooled HTTP session
    listeners/    one module per payload kind: parse, ack, spawn the core call and the reply
    blocks.py     pure Block Kit builders                        keys.py   thread/dedupe keys
    api.py        Web API calls with Slack's error semantics     http.py   POST /slack/events
    socket.py     Socket Mode (when SLACK_APP_TOKEN is set)

`mount` adds the route (or the socket) to the shared aiohttp app, only when Slack is configured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.runtime import Runtime

ROUTE = "/slack/events"


def mount(app: web.Application, runtime: Runtime) -> None:
    """Wire Slack into `app` when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set.

    Over HTTP, `POST /slack/events` carries events, slash commands and interactivity; with
    SLACK_APP_TOKEN, Socket Mode replaces the route. Imports are local: a deployment without
    Slack never loads bolt.
    """
    settings = runtime.settings
    if not settings.slack_enabled:
        return
    from bot.adapters.slack.app import build_bolt_app, close_session, open_session
    from bot.adapters.slack.listeners import ignored, register, takes

    bolt = build_bolt_app(settings)
    register(bolt, runtime)

    async def on_startup(_: web.Application) -> None:
        await open_session(bolt)

    async def on_cleanup(_: web.Application) -> None:
        await close_session(bolt)

    app.on_startup.append(on_startup)
    if settings.slack_app_token is not None:
        from bot.adapters.slack.socket import SocketMode

        socket = SocketMode(bolt, settings.slack_app_token.get_secret_value())

        async def start_socket(_: web.Application) -> None:
            await socket.start()

        async def stop_socket(_: web.Application) -> None:
            await socket.stop()

        app.on_startup.append(start_socket)
        app.on_shutdown.append(stop_socket)
    else:
        from bot.adapters.slack.http import make_handler

        assert settings.slack_signing_secret is not None  # slack_enabled
        secret = settings.slack_signing_secret.get_secret_value()
        app.router.add_post(ROUTE, make_handler(bolt, secret, takes=takes, ignored=ignored))
    app.on_cleanup.append(on_cleanup)
