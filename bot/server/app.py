"""The aiohttp application: health, readiness, metrics; Slack and Teams mount their routes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.errors import new_ref
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings

log = logging.getLogger(__name__)
RUNTIME = web.AppKey("runtime", Runtime)
MAX_BODY_BYTES = 1024 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count every request by route and status; turn unexpected errors into a bare 500."""
    runtime = request.app[RUNTIME]
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        runtime.metrics.requests.labels(name, str(exc.status)).inc()
        raise
    except Exception:
        ref = new_ref()
        log.exception("unhandled error", extra={"ref": ref, "route": name})
        runtime.metrics.requests.labels(name, "500").inc()
        return web.json_response({"error": "internal error", "ref": ref}, status=500)
    runtime.metrics.requests.labels(name, str(response.status)).inc()
    return response


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    ok, parts = await request.app[RUNTIME].readiness()
    return web.json_response({"ready": ok, **parts}, status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    body = request.app[RUNTIME].metrics.render()
    return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4"})


def create_app(runtime: Runtime) -> web.Application:
    app = web.Application(middlewares=[observe], client_max_size=MAX_BODY_BYTES)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    _mount_adapters(app, runtime)

    async def on_startup(_: web.Application) -> None:
        await runtime.jobs.start()

    async def on_shutdown(_: web.Application) -> None:
        await runtime.jobs.stop()
        await runtime.drain(runtime.settings.shutdown_grace_seconds)

    async def on_cleanup(_: web.Application) -> None:
        await runtime.close()

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    return app


def _mount_adapters(app: web.Application, runtime: Runtime) -> None:
    from bot.adapters import slack, teams

    slack.mount(app, runtime)
    teams.mount(app, runtime)


async def build_app(settings: Settings) -> web.Application:
    return create_app(await build_runtime(settings))


def serve(settings: Settings, host: str, port: int) -> None:
    """Run until SIGTERM/SIGINT: stop accepting, finish in-flight answers, close the store."""
    from bot.adapters.teams import warn_if_exposed

    log.info("serving", extra={"host": host, "port": port})
    warn_if_exposed(settings, host)
    web.run_app(
        build_app(settings),
        host=host,
        port=port,
        print=None,
        shutdown_timeout=settings.shutdown_grace_seconds,
        access_log=None,
    )
