"""The HTTP server's own routes, over real HTTP: health, readiness, metrics, unknown routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.support.net import free_port


async def _serve(settings: Settings) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    runtime = await build_runtime(settings)
    server = TestServer(create_app(runtime), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield str(server.make_url("")), session
    await server.close()


@pytest.fixture
async def http(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    async for pair in _serve(make_settings()):
        yield pair


async def test_healthz(http: tuple[str, aiohttp.ClientSession]) -> None:
    base, session = http
    async with session.get(f"{base}/healthz") as response:
        assert response.status == 200
        assert (await response.json()) == {"status": "ok"}


async def test_readyz_reports_each_part(http: tuple[str, aiohttp.ClientSession]) -> None:
    base, session = http
    async with session.get(f"{base}/readyz") as response:
        body = await response.json()
    assert response.status == 200
    assert body["ready"] is True
    assert body["knowledge"]["documents"] == 5 and body["knowledge"]["passages"] > 50
    assert body["store"]["ok"] is True and body["store"]["kind"] == "sqlite"


async def test_readyz_is_503_when_redis_is_down(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async for base, session in _serve(settings):
        async with session.get(f"{base}/readyz") as response:
            body = await response.json()
        assert response.status == 503
        assert body["store"]["ok"] is False and body["store"]["kind"] == "redis"
        assert body["knowledge"]["ok"] is True
        async with session.get(f"{base}/healthz") as response:
            assert response.status == 200


async def test_metrics_are_prometheus_text(http: tuple[str, aiohttp.ClientSession]) -> None:
    base, session = http
    await session.get(f"{base}/healthz")
    async with session.get(f"{base}/metrics") as response:
        text = await response.text()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert 'ragorft_http_requests_total{route="/healthz",status="200"} 1.0' in text
    assert "ragorft_answer_seconds_bucket" in text or "ragorft_answer_seconds" in text


async def test_unknown_route_is_404(http: tuple[str, aiohttp.ClientSession]) -> None:
    base, session = http
    async with session.get(f"{base}/nope") as response:
        assert response.status == 404
