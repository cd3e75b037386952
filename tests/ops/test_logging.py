"""A real `rag-or-ft serve`, configured with recognisable secrets, logs none of them.

The process gets every secret the bot knows (Slack token and signing secret, Microsoft app
password, OpenAI key, a Redis password) and is driven through start-up, readiness, metrics, an
answered Slack message (LLM), a failing LLM call (offline fallback), a feedback click, refused
requests and shutdown. Its whole log must be JSON lines with one `answered` line per message
carrying the fields an operator searches by, the message text only at DEBUG, and no secret
anywhere.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot import messages
from bot.adapters.slack.blocks import FEEDBACK_UP
from tests.llm.answers import structured
from tests.ops.conftest import flushed_db, llm_settings, with_password
from tests.support.fake_openai import FakeOpenAI, answer
from tests.support.serve_process import ServeProcess
from tests.support.slack_api import BOT_TOKEN, ApiCall, SlackApiStandIn
from tests.support.slack_payloads import (
    SIGNING_SECRET,
    app_mention,
    block_actions,
    event_callback,
    signed_headers,
)

pytestmark = pytest.mark.slow
DB = 13
MS_PASSWORD = "Ms~AppPassword.Recognisable-0042"
REDIS_PASSWORD = "RedisPw-Recognisable-0077"
PROJECT = "Support assistant over 3,000 help articles that change weekly; answers cite sources."
SECOND = "Rewrite our release notes in the company's house style, same facts as the input."


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiStandIn]:
    api = SlackApiStandIn()
    await api.start()
    try:
        yield api
    finally:
        await api.close()


async def _drive(bot: ServeProcess, slack: SlackApiStandIn) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("/healthz", "/readyz", "/metrics"):
            async with session.get(bot.base_url + path) as response:
                assert response.status == 200, path
        for text in (PROJECT, SECOND):
            body = json.dumps(event_callback(app_mention(text)))
            async with session.post(
                f"{bot.base_url}/slack/events", data=body, headers=signed_headers(body)
            ) as response:
                assert response.status == 200
        posts = await slack.wait_for("chat.postMessage", 2, 15.0)
        await _click_helpful(session, bot, slack, posts[0])
        body = json.dumps(event_callback(app_mention(PROJECT)))
        forged = signed_headers(body, secret="not-the-secret")
        async with session.post(f"{bot.base_url}/slack/events", data=body, headers=forged) as r:
            assert r.status == 401
        async with session.post(f"{bot.base_url}/api/messages", json={"type": "message"}) as r:
            assert r.status == 401, "Teams with an app id refuses an unauthenticated activity"


async def _click_helpful(
    session: aiohttp.ClientSession, bot: ServeProcess, slack: SlackApiStandIn, post: ApiCall
) -> None:
    """👍 on an answer: the feedback path logs at INFO too, and must still say thanks."""
    blocks = post["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    actions = next(b for b in blocks if b["type"] == "actions")
    value = next(e["value"] for e in actions["elements"] if e["action_id"] == FEEDBACK_UP)
    body = block_actions(
        FEEDBACK_UP, value, response_url=slack.response_url("fb"), message_ts=post["thread_ts"]
    )
    headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
    async with session.post(f"{bot.base_url}/slack/events", data=body, headers=headers) as r:
        assert r.status == 200
    reply = await slack.wait_for("response_url", 1, 15.0)
    assert reply[0].get("text") == messages.FEEDBACK_THANKS, reply[0].args


async def _run(level: str, redis_url: str, slack: SlackApiStandIn) -> tuple[str, dict[str, str]]:
    fake = FakeOpenAI()
    await fake.start()
    fake.push(answer(structured()))  # first message: the LLM answers; then every call fails
    llm = {k.upper(): str(v) for k, v in llm_settings(fake).items()}
    secrets = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "MICROSOFT_APP_PASSWORD": MS_PASSWORD,
        "OPENAI_API_KEY": llm["OPENAI_API_KEY"],
        "REDIS_PASSWORD": REDIS_PASSWORD,
    }
    env = {
        **llm,
        **{k: v for k, v in secrets.items() if k != "REDIS_PASSWORD"},
        "SLACK_API_URL": slack.base_url,
        "MICROSOFT_APP_ID": "00000000-1111-2222-3333-444444444444",
        "REDIS_URL": with_password(await flushed_db(redis_url, DB), REDIS_PASSWORD),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": level,
    }
    try:
        async with ServeProcess(env) as bot:
            await _drive(bot, slack)
            assert await bot.exited_after_sigterm() == 0
            log = bot.log_text()
    finally:
        await fake.close()
    return log, secrets


def _lines(log: str) -> list[dict[str, Any]]:
    lines = [line for line in log.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"ts", "level", "logger", "msg"} <= set(p) for p in parsed)
    return parsed


def _assert_no_secret(log: str, secrets: dict[str, str]) -> None:
    for name, value in secrets.items():
        for shown in (value, json.dumps(value)[1:-1]):
            assert shown not in log, f"{name} leaked into the log"


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_logs_are_json_with_answer_lines_and_never_a_secret(
    level: str, redis_url: str, slack: SlackApiStandIn
) -> None:
    log, secrets = await _run(level, redis_url, slack)
    _assert_no_secret(log, secrets)
    lines = _lines(log)
    answered = [line for line in lines if line["msg"] == "answered"]
    assert len(answered) == 2, log[-3000:]
    for line in answered:
        assert line["platform"] == "slack" and line["verdict"]
        assert len(line["thread_hash"]) == 12 and line["latency_ms"] >= 0
        assert len(line["ref"]) == 12
    assert {line["engine"] for line in answered} == {"llm", "offline"}
    assert any(line["level"] == "WARNING" and "llm" in line["logger"] for line in lines)
    assert any(line["msg"] == "feedback" and line["rating"] == "up" for line in lines)
    texts = [line for line in lines if line["msg"] == "message text"]
    if level == "INFO":
        assert PROJECT not in log and SECOND not in log, "message text only at DEBUG"
        assert not texts
    else:
        assert {t["ref"] for t in texts} == {a["ref"] for a in answered}
        assert {t["text"] for t in texts} == {PROJECT, SECOND}
