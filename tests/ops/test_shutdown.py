"""SIGTERM during an answer: a real `rag-or-ft serve` finishes it, then exits 0, in bounded time.

A deploy replaces replicas with SIGTERM. Slack was already told "200 OK" for the event, so an
answer dropped at that moment is lost for good (Slack will not retry). The Slack Web API
stand-in holds `chat.postMessage` until the test has seen the server stop accepting
connections; only then is it released, so the order — stop accepting, finish in-flight, exit —
is observed rather than assumed. (The one SIGTERM test of a Slack-configured process.)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.ops.conftest import flushed_db
from tests.support.serve_process import ServeProcess
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn
from tests.support.slack_payloads import SIGNING_SECRET, app_mention, event_callback, signed_headers
from tests.support.toolbox import until

pytestmark = pytest.mark.slow
DB = 12  # a Redis database of its own (see tests/ops/conftest.py: flushed_db)
GRACE_SECONDS = 3.0
WAIT_SECONDS = 15.0
PROJECT = "Support bot over 3,000 help-centre articles that change weekly; cite the source article."


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiStandIn]:
    api = SlackApiStandIn()
    await api.start()
    try:
        yield api
    finally:
        await api.close()


def _env(slack: SlackApiStandIn, redis_url: str) -> dict[str, str]:
    return {
        "REDIS_URL": redis_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        "LOG_FORMAT": "json",
    }


async def _post_mention(session: aiohttp.ClientSession, bot: ServeProcess) -> None:
    body = json.dumps(event_callback(app_mention(PROJECT)))
    async with session.post(
        f"{bot.base_url}/slack/events", data=body, headers=signed_headers(body)
    ) as response:
        assert response.status == 200


async def _refused(bot: ServeProcess) -> None:
    """Poll (bounded) until a new connection is refused: the server stopped accepting.

    A probe that connected in the instant before the listener closed is held by the server
    until its drain ends; a short per-probe timeout moves on to the next, refused, probe."""
    probe = aiohttp.ClientTimeout(total=0.25)

    async def refused() -> bool:
        try:
            async with aiohttp.ClientSession(timeout=probe) as fresh:
                async with fresh.get(f"{bot.base_url}/healthz") as response:
                    await response.read()
        except aiohttp.ClientConnectionError:
            return True
        except TimeoutError:
            pass
        return False

    await until(refused, "the server to stop accepting connections", within=WAIT_SECONDS)


def _assert_closed_cleanly(log: str) -> None:
    """Redis, the Web API session and every task were closed, not left to the garbage collector
    (asyncio and aiohttp say so on stderr when they are)."""
    for leak in ("Unclosed", "Task was destroyed", "Event loop is closed", "Traceback"):
        assert leak not in log, log[-3000:]


def _log_lines(bot: ServeProcess) -> list[dict[str, object]]:
    return [json.loads(line) for line in bot.log_text().splitlines() if line.startswith("{")]


async def test_sigterm_finishes_the_answer_in_flight_then_exits_0(
    slack: SlackApiStandIn, redis_url: str
) -> None:
    env = _env(slack, await flushed_db(redis_url, DB))
    async with ServeProcess(env) as bot, aiohttp.ClientSession() as session:
        assert slack.calls == []  # nothing verified over the network at start-up
        # no loading status in this workspace: 👀 instead, which is removed after the post
        slack.refuse("assistant.threads.setStatus", "not_allowed_token_type")
        release = slack.hold("chat.postMessage")
        await _post_mention(session, bot)
        async with asyncio.timeout(WAIT_SECONDS):
            await slack.holding.wait()  # the answer is being posted, and stuck there
        signalled = time.monotonic()
        bot.terminate()
        await _refused(bot)
        release.set()
        try:
            posted = await slack.wait_for("chat.postMessage", 1, WAIT_SECONDS)
        except TimeoutError:
            raise AssertionError(f"the answer was not delivered:\n{bot.log_tail()}") from None
        code = await bot.exited(within=WAIT_SECONDS)
        took = time.monotonic() - signalled
        lines = _log_lines(bot)
        bot_log = bot.log_text()
    assert code == 0
    assert took < GRACE_SECONDS + 2, f"shutdown took {took:.1f}s"
    assert posted[0].get("thread_ts"), "the answer went into the mention's thread"
    assert "RAG" in json.dumps(posted[0].args), "it is the answer, not an apology"
    assert any(line["msg"] == "answered" for line in lines)
    assert not any("cancelled" in str(line["msg"]) for line in lines)
    assert slack.of("reactions.remove"), "the work after the post (unmark) finished too"
    _assert_closed_cleanly(bot_log)


async def test_an_answer_that_never_finishes_is_cut_off_at_the_grace_bound(
    slack: SlackApiStandIn, redis_url: str
) -> None:
    env = _env(slack, await flushed_db(redis_url, DB))
    async with ServeProcess(env) as bot, aiohttp.ClientSession() as session:
        slack.hold("chat.postMessage")  # never released
        await _post_mention(session, bot)
        async with asyncio.timeout(WAIT_SECONDS):
            await slack.holding.wait()
        signalled = time.monotonic()
        bot.terminate()
        code = await bot.exited(within=WAIT_SECONDS)
        took = time.monotonic() - signalled
        lines = _log_lines(bot)
    assert code == 0
    assert GRACE_SECONDS - 0.5 < took < 2 * GRACE_SECONDS + 2, f"shutdown took {took:.1f}s"
    assert any(line["msg"] == "cancelled unfinished answers at shutdown" for line in lines)
