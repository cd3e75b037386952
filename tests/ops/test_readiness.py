"""/readyz tells an operator which part is broken; /healthz stays 200 while the process runs.

Readiness is 503 when the state store does not answer (and 200 again as soon as it does,
without a restart); an open LLM circuit is reported but does not make the bot unready, because
the offline engine answers meanwhile. Knowledge that cannot load stops start-up instead.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from bot.core.service import RateLimited
from bot.core.types import Answer, Incoming
from bot.llm.breaker import FAILURE_THRESHOLD
from bot.settings import Settings
from tests.ops.conftest import Served, llm_settings, serving
from tests.support.fake_openai import FakeOpenAI
from tests.support.redis_server import RedisServer
from tests.support.serve_process import serve_command


async def _readyz(served: Served) -> tuple[int, dict[str, Any]]:
    async with served.session.get(f"{served.base}/readyz") as response:
        return response.status, await response.json()


async def _healthz(session: aiohttp.ClientSession, base: str) -> int:
    async with session.get(f"{base}/healthz") as response:
        return response.status


async def test_ready_on_the_shared_redis(
    make_settings: Callable[..., Settings], redis_url: str
) -> None:
    async with serving(make_settings(redis_url=redis_url)) as served:
        status, body = await _readyz(served)
    assert status == 200 and body["ready"] is True
    assert body["store"] == {"ok": True, "kind": "redis", "error": None}
    assert body["knowledge"]["ok"] is True and body["knowledge"]["documents"] >= 5


async def test_store_down_names_the_store_and_recovers_without_restart(
    make_settings: Callable[..., Settings],
) -> None:
    with RedisServer() as redis:
        async with serving(make_settings(redis_url=redis.url, redis_timeout_seconds=0.5)) as s:
            assert (await _readyz(s))[0] == 200
            redis.stop()
            status, body = await _readyz(s)
            assert status == 503 and body["ready"] is False
            assert body["store"]["ok"] is False and body["store"]["kind"] == "redis"
            assert body["store"]["error"], "the body says what failed"
            assert body["knowledge"]["ok"] is True
            assert await _healthz(s.session, s.base) == 200, "alive while not ready"
            redis.start()
            status, body = await _readyz(s)
            assert status == 200 and body["store"] == {"ok": True, "kind": "redis", "error": None}


class _CircuitOpenEngine:
    """Stands in for the LLM engine at the one seam readiness uses: `health()`."""

    name = "llm"

    def __init__(self, fallback: Any) -> None:
        self.fallback = fallback

    async def answer(self, messages: Any, facts: Any = ()) -> Answer:
        answer: Answer = await self.fallback.answer(messages)
        return answer

    def health(self) -> dict[str, Any]:
        return {"ok": False, "circuit": "open", "failures": 5}


async def test_open_llm_circuit_is_reported_but_the_bot_stays_ready(
    make_settings: Callable[..., Settings],
) -> None:
    from bot.runtime import build_runtime

    runtime = await build_runtime(make_settings())
    runtime.engine = _CircuitOpenEngine(runtime.offline)
    async with serving(make_settings(), runtime) as served:
        status, body = await _readyz(served)
    assert status == 200 and body["ready"] is True
    assert body["llm"] == {"ok": False, "circuit": "open", "failures": 5}


async def test_llm_circuit_opens_on_a_failing_endpoint_and_readyz_reports_it(
    make_settings: Callable[..., Settings], fake_openai: FakeOpenAI
) -> None:
    """The real agent against a stand-in that fails every call: the circuit opens, the bot
    keeps answering offline, /readyz shows the open circuit and stays 200."""
    async with serving(make_settings(**llm_settings(fake_openai))) as served:
        status, body = await _readyz(served)
        assert status == 200 and body["llm"]["circuit"] == "closed"
        for n in range(FAILURE_THRESHOLD):
            outcome = await served.runtime.service.handle(
                Incoming(f"ops:ready:{n}", f"U{n}", "wiki bot over changing docs", platform="cli")
            )
            assert not isinstance(outcome, RateLimited) and outcome.engine == "offline"
        status, body = await _readyz(served)
    assert status == 200 and body["ready"] is True
    assert body["llm"]["circuit"] == "open" and body["llm"]["ok"] is False


def test_knowledge_that_cannot_load_stops_start_up_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "knowledge"
    empty.mkdir()
    result = subprocess.run(
        [*serve_command(), "serve", "--port", "1"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KNOWLEDGE_DIR": str(empty)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "knowledge" in last
    assert "Traceback" not in result.stderr
