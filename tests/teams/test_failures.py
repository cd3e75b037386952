"""What goes wrong on /api/messages: malformed requests are 4xx (never 500), an engine failure is
an apology with a reference id (the exception's text never reaches Teams), and a duplicated
delivery is answered once even when two servers share one Redis."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from bot import messages
from bot.adapters import teams
from bot.adapters.teams.keys import PLATFORM
from bot.core.types import Answer, Fact
from bot.settings import Settings
from tests.support import teams_activities as ta
from tests.support.botframework_auth import TokenIssuerStandIn
from tests.support.connector import ConnectorStandIn
from tests.support.toolbox import counter, redis_store
from tests.teams.conftest import BotServer, running_bot

DEDUP_HITS = "ragorft_dedup_hits_total"
SECRET_DETAIL = "connection string postgres://admin:hunter2@db"


class BrokenEngine:
    name = "offline"

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        raise RuntimeError(SECRET_DETAIL)


@pytest.mark.parametrize(
    ("data", "headers", "status"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe\x00", {"Content-Type": "application/json"}, 400),
        (b"[1, 2]", {"Content-Type": "application/json"}, 400),
        (b'{"text": "no type"}', {"Content-Type": "application/json"}, 400),
        (
            b'{"type": "message", "from": "not an object"}',
            {"Content-Type": "application/json"},
            400,
        ),
        (b'{"type": "message"}', {}, 415),
        (b'{"type": "message"}', {"Content-Type": "text/plain"}, 415),
        (b'{"type": "message"}', {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ],
)
async def test_malformed_requests_are_client_errors(
    bot: BotServer, data: bytes, headers: dict[str, str], status: int
) -> None:
    assert await bot.post_raw(data, headers) == status


async def test_json_with_charset_is_accepted(bot: BotServer, connector: ConnectorStandIn) -> None:
    body = json.dumps(ta.channel_mention(connector.url, "help")).encode()
    status = await bot.post_raw(body, {"Content-Type": "application/json; charset=utf-8"})
    assert status == 200
    assert connector.messages()[0].text == messages.TEAMS_USAGE


async def test_engine_failure_is_an_apology_with_a_reference(
    make_settings: Any, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.adapters.teams")
    async with running_bot(make_settings(), engine=BrokenEngine()) as bot:
        status, _ = await bot.post(ta.channel_mention(connector.url, "A support bot"))
        assert status == 200
        [reply] = await connector.wait_messages(1)
    ref = reply.text.rsplit("reference: ", 1)[1].rstrip(")")
    assert reply.text == messages.ERROR_APOLOGY.format(ref=ref)
    assert SECRET_DETAIL not in json.dumps([p.body for p in connector.posts])
    [record] = [r for r in caplog.records if getattr(r, "ref", None) == ref]
    assert record.exc_info is not None and SECRET_DETAIL in str(record.exc_info[1])


async def test_undeliverable_reply_is_logged_not_raised(
    bot: BotServer, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    connector.fail_with = 503
    status, _ = await bot.post(ta.personal_message(connector.url, "A support bot"))
    assert status == 200
    await bot.runtime.drain(10)
    assert connector.posts  # it tried
    assert any("could not be delivered" in r.getMessage() for r in caplog.records)


class FlakyEntra:
    """The bot's outbound token source: fails (Entra unreachable) until `up` is set."""

    def __init__(self) -> None:
        self.up = False
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if not self.up:
            raise ConnectionError("login.microsoftonline.com unreachable")
        return "outbound-test-token"


async def test_no_outbound_token_is_a_2xx_and_a_logged_failed_delivery(
    make_settings: Callable[..., Settings],
    issuer: TokenIssuerStandIn,
    connector: ConnectorStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """botbuilder fetches the reply token on the request path; its failure was a 500."""
    entra = FlakyEntra()
    settings = make_settings(microsoft_app_id=ta.APP_ID, microsoft_app_password="s3cret-value")
    endpoints = teams.AuthEndpoints(issuer.metadata_url, outbound_token=entra)
    async with running_bot(settings, endpoints=endpoints) as bot:
        token = issuer.token(audience=ta.APP_ID, service_url=connector.url)
        status, _ = await bot.post(ta.personal_message(connector.url, "A support bot"), token=token)
        assert 200 <= status < 300 and entra.calls >= 1
        await bot.runtime.drain(10)
        assert connector.posts == []
        [failed] = [r for r in caplog.records if "could not be delivered" in r.getMessage()]
        assert failed.levelno == logging.ERROR and len(getattr(failed, "ref", "")) == 8

        entra.up = True  # Entra is back: the next message is answered as usual
        status, _ = await bot.post(ta.personal_message(connector.url, "help"), token=token)
        assert status == 200
        assert [m.text for m in await connector.wait_messages(1)] == [messages.TEAMS_USAGE]


async def test_throttled_replies_are_retried(bot: BotServer, connector: ConnectorStandIn) -> None:
    connector.refuse = [429, 503]  # Teams' throttling, then a transient connector failure
    await bot.post(ta.personal_message(connector.url, "A support bot"))
    await bot.runtime.drain(10)
    attempts = connector.messages()
    assert len(attempts) == 3 and attempts[0].body == attempts[2].body
    assert connector.refuse == []


async def test_a_refused_reply_is_not_retried(
    bot: BotServer, connector: ConnectorStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    connector.refuse = [400]
    await bot.post(ta.personal_message(connector.url, "A support bot"))
    await bot.runtime.drain(10)
    assert len(connector.messages()) == 1
    assert any("could not be delivered" in r.getMessage() for r in caplog.records)


async def test_two_servers_sharing_redis_answer_a_retried_activity_once(
    make_settings: Any, connector: ConnectorStandIn, redis_url: str, namespace: str
) -> None:
    settings = make_settings(redis_url=redis_url)
    activity = ta.personal_message(connector.url, "A support bot", activity_id=uuid.uuid4().hex)
    async with (
        running_bot(settings, store=redis_store(redis_url, namespace)) as one,
        running_bot(settings, store=redis_store(redis_url, namespace)) as two,
    ):
        assert (await one.post(activity))[0] == 200
        assert (await two.post(activity))[0] == 200
        await one.runtime.drain(10)
        await two.runtime.drain(10)
        hits = [counter(s.runtime.metrics, DEDUP_HITS, platform=PLATFORM) for s in (one, two)]
    assert len(connector.messages()) == 1
    assert hits == [0, 1]
