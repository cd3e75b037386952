"""Teams figures: activity → reply latency through the real application, anonymous mode.

Standalone and bounded (`python scripts/bench_teams.py [--activities N] [--concurrency C]`,
≤ 2 minutes). Everything runs on 127.0.0.1 in this process: the real application
(`create_app`, offline engine, SQLite store in a temp dir, no token checks), and the connector
stand-in from tests/support that receives the replies. Each activity is a new channel post that
@mentions the bot (so a new thread), POSTed to /api/messages exactly as Teams sends it.

- HTTP ack: POST until the 200 (the answer is produced after it, in the background);
- activity → reply: POST until the connector stand-in records the answer in the reply chain
  (typing indicator, triage, citations and the outgoing HTTP call included);
- first sequentially (one activity in flight), then with `--concurrency` in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime import build_runtime  # noqa: E402
from bot.server.app import create_app  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from tests.support import teams_activities as ta  # noqa: E402
from tests.support.connector import ConnectorStandIn  # noqa: E402

BUDGET_SECONDS = 120
PROJECTS = [
    "Support bot over 3,000 help articles that change weekly; answers must link to the source.",
    "Extract 40 fields from scanned supplier contracts into our strict JSON schema, cheaply.",
    "Our chatbot must answer in the brand voice; the facts are in a small static FAQ.",
    "Summarise meeting notes; not sure yet what we need.",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, value: str) -> None:
    print(f"  {name:<38}{value:>22}")


def ms(values: list[float]) -> str:
    return f"{pct(values, 50) * 1000:.2f} / {pct(values, 95) * 1000:.2f} ms"


class Bench:
    def __init__(self, url: str, session: aiohttp.ClientSession, connector: ConnectorStandIn):
        self.url = url
        self.session = session
        self.connector = connector
        self.sent = 0

    async def one(self) -> tuple[float, float]:
        """(ack seconds, reply seconds) for one new channel post."""
        activity = ta.channel_mention(self.connector.url, PROJECTS[self.sent % len(PROJECTS)])
        self.sent += 1
        started = time.perf_counter()
        async with self.session.post(self.url, json=activity) as response:
            assert response.status == 200, response.status
        acked = time.perf_counter()
        wanted = activity["id"]
        await self.connector.wait_for(
            lambda c: any(p.reply_to_id == wanted and p.type == "message" for p in c.posts[-64:])
        )
        [reply] = [
            p for p in self.connector.posts if p.reply_to_id == wanted and p.type == "message"
        ]
        return acked - started, reply.at - started

    async def run(self, count: int, concurrency: int) -> tuple[list[float], list[float], float]:
        acks: list[float] = []
        replies: list[float] = []
        left = iter(range(count))

        async def worker() -> None:
            for _ in left:
                ack, reply = await self.one()
                acks.append(ack)
                replies.append(reply)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return acks, replies, time.perf_counter() - started


async def main(count: int, concurrency: int) -> None:
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("bm25s").setLevel(logging.ERROR)  # it logs its index build at DEBUG
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            env_file=None,
            state_path=Path(tmp) / "state.db",
            redis_url=None,
            microsoft_app_id="",
            rate_limit_per_minute=0,
            openai_model=None,
            azure_openai_endpoint=None,
        )
        runtime = await build_runtime(settings)
        runner = web.AppRunner(create_app(runtime), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
        connector = await ConnectorStandIn().start()
        try:
            async with aiohttp.ClientSession() as session, asyncio.timeout(BUDGET_SECONDS):
                bench = Bench(url, session, connector)
                await bench.run(10, 1)  # warm-up: imports, connection pools, caches
                kinds = f"engine {runtime.engine.name}, store {runtime.store.kind}"
                print(f"teams (anonymous mode, {kinds})")
                for label, in_flight in (
                    ("sequential", 1),
                    (f"{concurrency} in flight", concurrency),
                ):
                    acks, replies, seconds = await bench.run(count, in_flight)
                    line(f"activity → reply p50 / p95, {label}", ms(replies))
                    line(f"HTTP ack p50 / p95, {label}", ms(acks))
                    line(f"throughput, {label}", f"{count / seconds:.0f} activities/s")
                line("(activities per run)", str(count))
        finally:
            await connector.close()
            await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(max(1, args.activities), max(1, args.concurrency)))
