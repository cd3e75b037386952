"""Two `rag-or-ft serve` replicas sharing one Redis behave as one bot.

This is the deployment the README promises — any number of identical replicas behind a load
balancer, no sticky sessions: turn 2 of a thread may land on the other replica and must see
turn 1, and a delivery that reaches both (a platform retry routed elsewhere) is answered once.
Both platforms are driven over real HTTP against their stand-ins; Teams runs anonymously.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from botbuilder.schema import Activity

from bot.adapters.slack.keys import thread_key as slack_thread_key
from bot.adapters.teams.keys import thread_key as teams_thread_key
from bot.core.store.redis_store import RedisStore
from tests.ops.conftest import flushed_db, scrape, value
from tests.support.connector import ConnectorStandIn
from tests.support.serve_process import ServeProcess
from tests.support.slack_api import BOT_TOKEN, TEAM_ID, SlackApiStandIn
from tests.support.slack_payloads import (
    CHANNEL,
    SIGNING_SECRET,
    app_mention,
    event_callback,
    message,
    signed_headers,
)
from tests.support.teams_activities import channel_mention
from tests.support.toolbox import until

pytestmark = pytest.mark.slow
DB = 14
WAIT_SECONDS = 15.0
FIRST = "Internal wiki assistant over 4,000 Confluence pages that change daily."
SECOND = "Also, every answer has to link the page it came from."


@dataclass
class Pair:
    a: ServeProcess
    b: ServeProcess
    slack: SlackApiStandIn
    connector: ConnectorStandIn
    redis_url: str
    session: aiohttp.ClientSession

    async def slack_event(self, bot: ServeProcess, event: dict[str, Any], **extra: Any) -> None:
        body = json.dumps(event_callback(event, **extra))
        await self.slack_body(bot, body)

    async def slack_body(self, bot: ServeProcess, body: str) -> None:
        url, headers = f"{bot.base_url}/slack/events", signed_headers(body)
        async with self.session.post(url, data=body, headers=headers) as r:
            assert r.status == 200, await r.text()

    async def activity(self, bot: ServeProcess, activity: dict[str, Any]) -> None:
        async with self.session.post(f"{bot.base_url}/api/messages", json=activity) as r:
            assert r.status in (200, 201, 202), await r.text()

    async def dedup_hits(self) -> float:
        total = 0.0
        for bot in (self.a, self.b):
            async with self.session.get(f"{bot.base_url}/metrics") as response:
                total += value(scrape(await response.text()), "ragorft_dedup_hits_total")
        return total

    async def turns(self, key: str) -> list[int]:
        store = RedisStore(self.redis_url, ttl_seconds=3600, max_turns=50, timeout_seconds=2)
        try:
            return [t.number for t in await store.load_turns(key) if t.role == "user"]
        finally:
            await store.close()


@pytest.fixture
async def pair(redis_url: str) -> AsyncIterator[Pair]:
    url = await flushed_db(redis_url, DB)
    slack, connector = SlackApiStandIn(), ConnectorStandIn()
    await slack.start()
    await connector.start()
    env = {
        "REDIS_URL": url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "LOG_FORMAT": "json",
    }
    try:
        async with (
            ServeProcess(env) as a,
            ServeProcess(env) as b,
            aiohttp.ClientSession() as session,
        ):
            yield Pair(a, b, slack, connector, url, session)
    finally:
        await connector.close()
        await slack.close()


async def test_slack_thread_started_on_one_replica_continues_on_the_other(pair: Pair) -> None:
    mention = app_mention(FIRST)
    await pair.slack_event(pair.a, mention)
    first = await pair.slack.wait_for("chat.postMessage", 1, WAIT_SECONDS)
    root = mention["ts"]
    assert first[0]["thread_ts"] == root
    # A follow-up without a mention is only answered by a replica that knows the thread.
    await pair.slack_event(pair.b, message(SECOND, thread_ts=root))
    second = await pair.slack.wait_for("chat.postMessage", 2, WAIT_SECONDS)
    assert second[1]["thread_ts"] == root
    assert await pair.turns(slack_thread_key(TEAM_ID, CHANNEL, root)) == [1, 2]


async def test_slack_event_delivered_to_both_replicas_is_answered_once(pair: Pair) -> None:
    body = json.dumps(event_callback(app_mention(FIRST)))
    await asyncio.gather(pair.slack_body(pair.a, body), pair.slack_body(pair.b, body))
    await pair.slack.wait_for("chat.postMessage", 1, WAIT_SECONDS)

    async def one_dropped() -> bool:
        return await pair.dedup_hits() >= 1

    await until(one_dropped, "the duplicate to be dropped", within=WAIT_SECONDS)
    assert await pair.dedup_hits() == 1
    assert len(pair.slack.of("chat.postMessage")) == 1


async def test_teams_reply_chain_continues_on_the_other_replica(pair: Pair) -> None:
    url = pair.connector.url
    first = channel_mention(url, FIRST)
    await pair.activity(pair.a, first)
    await pair.connector.wait_messages(1, WAIT_SECONDS)
    await pair.activity(pair.b, channel_mention(url, SECOND, root_id=first["id"]))
    replies = await pair.connector.wait_messages(2, WAIT_SECONDS)
    assert replies[0].conversation_id == replies[1].conversation_id
    key = teams_thread_key(Activity().deserialize(first))
    assert await pair.turns(key) == [1, 2]


async def test_teams_activity_delivered_to_both_replicas_is_answered_once(pair: Pair) -> None:
    activity = channel_mention(pair.connector.url, FIRST)
    await asyncio.gather(pair.activity(pair.a, activity), pair.activity(pair.b, activity))
    await pair.connector.wait_messages(1, WAIT_SECONDS)

    async def one_dropped() -> bool:
        return await pair.dedup_hits() >= 1

    await until(one_dropped, "the duplicate to be dropped", within=WAIT_SECONDS)
    assert await pair.dedup_hits() == 1
    assert len(pair.connector.messages()) == 1
