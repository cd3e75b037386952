"""Fixtures for the Teams tests: the real aiohttp app on a loopback port, the connector stand-in
that receives the bot's replies, and (for authenticated runs) the token issuer stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.adapters import teams
from bot.core.engine import Engine
from bot.core.store import ResilientStore
from bot.runtime import Runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.support.botframework_auth import TokenIssuerStandIn
from tests.support.connector import ConnectorStandIn
from tests.support.toolbox import runtime_for

OUTBOUND_TOKEN = "outbound-test-token"


@dataclass
class BotServer:
    url: str
    session: aiohttp.ClientSession
    runtime: Runtime

    async def post(
        self,
        activity: dict[str, Any],
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        sent = {"Authorization": f"Bearer {token}"} if token else {}
        sent.update(headers or {})
        async with self.session.post(
            f"{self.url}/api/messages", json=activity, headers=sent
        ) as response:
            body = await response.json() if response.content_length else None
            return response.status, body

    async def post_raw(self, data: bytes, headers: dict[str, str]) -> int:
        async with self.session.post(
            f"{self.url}/api/messages", data=data, headers=headers
        ) as response:
            return response.status


@asynccontextmanager
async def running_bot(
    settings: Settings,
    *,
    engine: Engine | None = None,
    store: ResilientStore | None = None,
    endpoints: teams.AuthEndpoints | None = None,
) -> AsyncIterator[BotServer]:
    """The real application (`create_app`) on a free loopback port; `engine` and `store` replace
    the runtime's own when given (a failing engine, a Redis store in a namespace of its own)."""
    runtime = await runtime_for(settings, engine=engine, store=store)
    try:
        app = create_app(runtime)
    except BaseException:
        await runtime.close()
        raise
    if endpoints is not None:
        app[teams.AUTH_ENDPOINTS] = endpoints
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            yield BotServer(str(server.make_url("")).rstrip("/"), session, runtime)
    finally:
        await server.close()


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStandIn]:
    stand_in = await ConnectorStandIn().start()
    yield stand_in
    await stand_in.close()


@pytest.fixture
async def issuer() -> AsyncIterator[TokenIssuerStandIn]:
    stand_in = await TokenIssuerStandIn().start()
    yield stand_in
    await stand_in.close()


@pytest.fixture
async def bot(make_settings: Callable[..., Settings]) -> AsyncIterator[BotServer]:
    """Anonymous mode (no MICROSOFT_APP_ID), embedded SQLite store, offline engine."""
    async with running_bot(make_settings()) as server:
        yield server
