"""The Slack end-to-end harness: the real aiohttp app on a loopback port, signed requests sent
exactly as Slack sends them, and the Web API stand-in recording what the bot calls back.

Nothing waits by sleeping: tests await the stand-in (`api.wait_for(...)`) or drain the
runtime's background work (`slack.drain()`), which is what shutdown does too.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.core.engine import Engine
from bot.core.store.resilient import ResilientStore
from bot.core.types import Answer, Fact
from bot.runtime import Runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.support import slack_payloads as p
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn
from tests.support.toolbox import runtime_for

PROJECT = "Support bot over 3,000 help articles that change weekly; answers must cite the source."


@dataclass
class Slack:
    """One running bot process (server + runtime) talking to the shared stand-in."""

    base: str
    session: aiohttp.ClientSession
    runtime: Runtime
    api: SlackApiStandIn
    statuses: list[int] = field(default_factory=list)

    async def post(
        self, body: str | bytes, headers: dict[str, str]
    ) -> tuple[int, str, dict[str, str]]:
        async with self.session.post(f"{self.base}/slack/events", data=body, headers=headers) as r:
            text = await r.text()
            self.statuses.append(r.status)
            return r.status, text, dict(r.headers)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> int:
        body = json.dumps(p.event_callback(event, event_id=event_id))
        status, _, _ = await self.post(body, p.signed_headers(body, retry_num=retry_num))
        return status

    async def command(self, text: str, *, name: str = "r1", **kw: Any) -> tuple[int, str]:
        body = p.slash_command(text, response_url=self.api.response_url(name), **kw)
        headers = p.signed_headers(body, content_type="application/x-www-form-urlencoded")
        status, text_out, _ = await self.post(body, headers)
        return status, text_out

    async def click(
        self, action_id: str, value: str, *, message_ts: str, name: str = "fb", user: str = p.USER
    ) -> int:
        body = p.block_actions(
            action_id,
            value,
            response_url=self.api.response_url(name),
            message_ts=message_ts,
            user=user,
        )
        headers = p.signed_headers(body, content_type="application/x-www-form-urlencoded")
        status, _, _ = await self.post(body, headers)
        return status

    async def drain(self) -> None:
        await self.runtime.drain(5)
        assert self.runtime.in_flight == 0


class RaisingEngine:
    name = "raising"

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        raise RuntimeError("secret internal detail: db password is hunter2")


class WordyEngine:
    """The offline answer, inflated far past one Slack message (many long reasons)."""

    name = "wordy"

    def __init__(self, inner: Engine) -> None:
        self.inner = inner

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        answer = await self.inner.answer(messages)
        reasons = [
            r.model_copy(update={"text": f"{r.text} " + "More detail here. " * 150})
            for r in answer.reasons
        ] * 12
        questions = [f"Question {n}: " + "why? " * 400 for n in range(8)]
        return answer.model_copy(
            update={
                "reasons": reasons,
                "summary": "Long summary. " * 400,
                "follow_up_questions": questions,
            }
        )


@pytest.fixture
async def api() -> AsyncIterator[SlackApiStandIn]:
    standin = SlackApiStandIn()
    await standin.start()
    try:
        yield standin
    finally:
        await standin.close()


@pytest.fixture
def slack_settings(make_settings: object, api: SlackApiStandIn) -> Callable[..., Settings]:
    make = cast(Callable[..., Settings], make_settings)

    def _settings(**overrides: Any) -> Settings:
        overrides.setdefault("slack_bot_token", BOT_TOKEN)
        overrides.setdefault("slack_signing_secret", p.SIGNING_SECRET)
        overrides.setdefault("slack_api_url", api.base_url)
        return make(**overrides)

    return _settings


@pytest.fixture
async def serve(
    api: SlackApiStandIn,
    slack_settings: Callable[..., Settings],
) -> AsyncIterator[Callable[..., Any]]:
    """`await serve(engine=…, store=…, **settings)` starts one bot process; all stop at teardown."""
    servers: list[TestServer] = []
    sessions: list[aiohttp.ClientSession] = []

    async def _serve(
        *, engine: Engine | None = None, store: ResilientStore | None = None, **overrides: Any
    ) -> Slack:
        settings = slack_settings(**overrides)
        runtime = await runtime_for(settings, engine=engine, store=store)
        server = TestServer(create_app(runtime), host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        session = aiohttp.ClientSession()
        sessions.append(session)
        return Slack(str(server.make_url("")).rstrip("/"), session, runtime, api)

    try:
        yield _serve
    finally:
        for session in sessions:
            await session.close()
        for server in servers:
            await server.close()


@pytest.fixture
async def slack(serve: Callable[..., Any]) -> Slack:
    return cast(Slack, await serve())


def blocks_text(call: Any) -> str:
    """Every text in a recorded message's blocks (and its `text`), for content assertions."""
    raw = call.get("blocks") or []
    blocks = json.loads(raw) if isinstance(raw, str) else raw
    found: list[str] = [str(call.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def decoded_blocks(call: Any) -> list[dict[str, Any]]:
    raw = call.get("blocks") or []
    return cast(list[dict[str, Any]], json.loads(raw) if isinstance(raw, str) else raw)
