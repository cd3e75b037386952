"""A real `rag-or-ft serve` process configured for Slack only through its environment."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from tests.slack.conftest import PROJECT
from tests.support import slack_payloads as p
from tests.support.serve_process import ServeProcess
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn

pytestmark = pytest.mark.slow


def logged(bot: ServeProcess, text: str, within: float = 30.0) -> None:
    """Block until the process's log contains `text` (polled in a thread, bounded)."""
    deadline = time.monotonic() + within
    while text not in bot.log_text():
        if time.monotonic() > deadline:
            raise TimeoutError(f"never logged {text!r}:\n{bot.log_tail()}")
        time.sleep(0.02)


async def test_env_configured_process_answers_and_drains_on_sigterm(api: SlackApiStandIn) -> None:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": p.SIGNING_SECRET,
        "SLACK_API_URL": api.base_url,
    }
    async with ServeProcess(env) as bot:
        assert api.calls == []  # nothing verified over the network at start-up
        gate = api.hold("chat.postMessage")
        event = p.app_mention(PROJECT)
        body = json.dumps(p.event_callback(event))
        async with aiohttp.ClientSession() as session:
            url = f"{bot.base_url}/slack/events"
            async with session.post(url, data=body, headers=p.signed_headers(body)) as response:
                assert response.status == 200
        [post] = await api.wait_for("chat.postMessage", within=30)
        assert post["thread_ts"] == event["ts"]
        # SIGTERM while the answer is still in flight: the process finishes it before exiting
        bot.terminate()
        await asyncio.to_thread(logged, bot, "waiting for in-flight answers")
        gate.set()
        assert await bot.exited(within=30) == 0
        assert api.of("reactions.remove"), bot.log_tail()
