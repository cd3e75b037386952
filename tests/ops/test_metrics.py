"""Every metric the README lists is exported on /metrics and moves when its event happens.

Scraped over real HTTP from the application `serve` runs; the events are caused the way they
happen in production (a request, a message answered, a Redis that is gone, a user over the
limit), not by calling the counters.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.service import RateLimited
from bot.core.types import Incoming
from bot.settings import Settings
from tests.llm.answers import structured
from tests.ops.conftest import llm_settings, scrape, serving, value
from tests.support.connector import ConnectorStandIn
from tests.support.fake_openai import FakeOpenAI, answer, error
from tests.support.redis_server import RedisServer
from tests.support.teams_activities import personal_message

EXPORTED = [
    "ragorft_http_requests_total",
    "ragorft_answers_total",
    "ragorft_answer_seconds_bucket",
    "ragorft_answer_seconds_count",
    "ragorft_llm_calls_total",
    "ragorft_llm_tokens_total",
    "ragorft_store_errors_total",
    "ragorft_dedup_hits_total",
    "ragorft_rate_limited_total",
]
DESCRIPTION = "Internal wiki assistant over 4,000 Confluence pages that change daily; cite sources."


async def test_every_metric_family_is_exported(make_settings: Callable[..., Settings]) -> None:
    async with serving(make_settings()) as served:
        async with served.session.get(f"{served.base}/metrics") as response:
            text = await response.text()
    families = {f"# TYPE {name.removesuffix('_total')}" for name in EXPORTED if "_total" in name}
    for family in families | {"# TYPE ragorft_answer_seconds histogram"}:
        assert family in text, family


async def test_requests_are_counted_by_route_and_status(
    make_settings: Callable[..., Settings],
) -> None:
    async with serving(make_settings()) as served:
        for _ in range(3):
            await served.session.get(f"{served.base}/healthz")
        await served.session.get(f"{served.base}/no-such-route")
        samples = await served.metrics()
    total = "ragorft_http_requests_total"
    assert value(samples, total, route="/healthz", status="200") == 3
    assert value(samples, total, route="unmatched", status="404") == 1


async def test_answers_are_counted_by_verdict_and_engine_and_timed(
    make_settings: Callable[..., Settings],
) -> None:
    async with serving(make_settings()) as served:
        before = await served.metrics()
        answer = await served.runtime.service.handle(
            Incoming("ops:metrics:1", "U1", DESCRIPTION, platform="slack")
        )
        assert not isinstance(answer, RateLimited)
        after = await served.metrics()
    labels = {"platform": "slack", "verdict": answer.verdict.value, "engine": "offline"}
    assert value(after, "ragorft_answers_total", **labels) == 1 + value(
        before, "ragorft_answers_total", **labels
    )
    count = "ragorft_answer_seconds_count"
    assert value(after, count, engine="offline") == value(before, count, engine="offline") + 1
    inf = value(after, "ragorft_answer_seconds_bucket", engine="offline", le="+Inf")
    assert inf == value(after, count, engine="offline")


async def test_store_errors_are_counted_while_the_bot_still_answers(
    make_settings: Callable[..., Settings],
) -> None:
    with RedisServer() as redis:
        settings = make_settings(redis_url=redis.url, redis_timeout_seconds=0.5)
        async with serving(settings) as served:
            assert value(await served.metrics(), "ragorft_store_errors_total") == 0
            redis.stop()
            answer = await served.runtime.service.handle(
                Incoming("ops:metrics:2", "U2", DESCRIPTION, platform="teams")
            )
            assert not isinstance(answer, RateLimited) and answer.summary
            assert value(await served.metrics(), "ragorft_store_errors_total") >= 1


async def test_rate_limit_hits_are_counted(make_settings: Callable[..., Settings]) -> None:
    async with serving(make_settings(rate_limit_per_minute=1)) as served:
        first = await served.runtime.service.handle(
            Incoming("ops:metrics:3", "U3", DESCRIPTION, platform="slack")
        )
        second = await served.runtime.service.handle(
            Incoming("ops:metrics:3", "U3", "and it must cite sources", platform="slack")
        )
        samples = await served.metrics()
    assert not isinstance(first, RateLimited) and isinstance(second, RateLimited)
    assert value(samples, "ragorft_rate_limited_total", platform="slack") == 1


async def test_llm_calls_errors_and_tokens_are_counted(
    make_settings: Callable[..., Settings], fake_openai: FakeOpenAI
) -> None:
    fake_openai.push(answer(structured(), usage=(400, 60)), error(500), error(500), error(500))
    async with serving(make_settings(**llm_settings(fake_openai))) as served:
        for n in range(2):
            outcome = await served.runtime.service.handle(
                Incoming(f"ops:metrics:llm{n}", "U4", DESCRIPTION, platform="slack")
            )
            assert not isinstance(outcome, RateLimited)
        samples = await served.metrics()
    calls = "ragorft_llm_calls_total"
    assert value(samples, calls, outcome="ok") == 1
    assert value(samples, calls) == 2 and value(samples, calls, outcome="ok") < 2
    assert value(samples, "ragorft_llm_tokens_total", kind="input") == 400
    assert value(samples, "ragorft_llm_tokens_total", kind="output") == 60
    assert value(samples, "ragorft_answers_total", engine="llm") == 1
    assert value(samples, "ragorft_answers_total", engine="offline") == 1, "failure → offline"


async def test_dedup_hits_are_counted_when_a_delivery_repeats(
    make_settings: Callable[..., Settings],
) -> None:
    """Through the Teams route (anonymous): the same activity twice is answered once."""
    connector = await ConnectorStandIn().start()
    try:
        async with serving(make_settings()) as served:
            activity = personal_message(connector.url, DESCRIPTION)
            for _ in range(2):
                async with served.session.post(
                    f"{served.base}/api/messages", json=activity
                ) as response:
                    assert response.status < 300
            await connector.wait_messages(1)
            await served.runtime.drain(5)
            samples = await served.metrics()
    finally:
        await connector.close()
    assert value(samples, "ragorft_dedup_hits_total", platform="teams") == 1
    assert value(samples, "ragorft_answers_total", platform="teams") == 1
    assert value(samples, "ragorft_http_requests_total", route="/api/messages") == 2
    assert len(connector.messages()) == 1


def test_scrape_reads_labels() -> None:
    samples = scrape('# TYPE x_total counter\nx_total{a="1",b="2"} 3.0\n')
    assert value(samples, "x_total", a="1") == 3.0 and value(samples, "x_total", a="2") == 0
