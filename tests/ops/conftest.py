"""Shared pieces of the operations tests: an in-process server over real HTTP, metric scraping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp.test_utils import TestServer
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from bot.runtime import Runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.support.fake_openai import FakeOpenAI
from tests.support.toolbox import runtime_for


@dataclass
class Served:
    base: str
    session: aiohttp.ClientSession
    runtime: Runtime

    async def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        async with self.session.get(f"{self.base}/metrics") as response:
            assert response.status == 200
            return scrape(await response.text())


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} from Prometheus text."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    """Sum of the samples of `name` whose labels include `labels` (0 if none)."""
    return sum(
        v for (n, lbls), v in samples.items() if n == name and set(labels.items()) <= set(lbls)
    )


@asynccontextmanager
async def serving(settings: Settings, runtime: Runtime | None = None) -> AsyncIterator[Served]:
    """The real application on a loopback port (the same `create_app` that `serve` runs)."""
    runtime = runtime or await runtime_for(settings)
    server = TestServer(create_app(runtime), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            yield Served(str(server.make_url("")).rstrip("/"), session, runtime)
    finally:
        await server.close()


def llm_settings(fake: FakeOpenAI) -> dict[str, object]:
    """Settings overrides that point the LLM agent at the stand-in."""
    return {
        "openai_base_url": fake.url,
        "openai_model": "test-model",
        "openai_api_key": "sk-test-ops-0000000000000000",
        "llm_timeout_seconds": 5,
    }


async def flushed_db(redis_url: str, db: int) -> str:
    """`redis_url` moved to database `db`, emptied first. Tests that run real processes (which
    use the bot's fixed key prefix) each own one database index, so ids that a payload helper
    numbers from 1 in every run never meet a previous run's de-duplication keys."""
    url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{db}"))
    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
    return url


def with_password(url: str, password: str) -> str:
    """The same Redis URL carrying a password (Redis without one accepts it and ignores it)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f":{password}@{parts.hostname}:{parts.port or 6379}"))
