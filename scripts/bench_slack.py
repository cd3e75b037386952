"""Slack figures: slash-command ack latency against a bare bolt app, and event-to-answer latency.

Standalone and bounded (`python scripts/bench_slack.py [--requests N]`, ≤ 2 minutes), all on
127.0.0.1, in three processes so that no two parties share an event loop, as in production:

- this process plays Slack sending requests: it POSTs signed events and slash commands exactly as
  Slack signs them, and times the responses;
- a `--standin` child plays the Slack Web API (tests/support/slack_api.py), which the bot calls
  back; the driver long-polls it (`GET /calls/{method}?count=N`) to learn an answer was posted;
- a `--serve` child is the bot: the real application (`create_app`, offline engine, SQLite store
  in a temp dir) and two bare bolt `AsyncApp`s whose command listener only acks, served through
  the same aiohttp adapter (`to_bolt_request` → `async_dispatch` → `to_aiohttp_response`): one
  with our flags (`process_before_response`), one with bolt's defaults (it polls for the ack
  every 10 ms).

Each round sends one request to each app in a shuffled order, so no app always follows the same
neighbour (what ran just before skews a sub-millisecond figure).
- ack, isolated: after each of our commands the driver waits (untimed) until the answer has been
  posted, so the figure is the acknowledgement path alone;
- ack, under load: back to back, our answers being worked on in the background meanwhile;
- ack, inside: the isolated acks timed by an outermost middleware in the bot process (request
  in → response out), free of loopback and scheduling noise between the processes;
- event → answer: from a signed `app_mention` POST until the stand-in reports the threaded
  `chat.postMessage` (one loopback long-poll hop included, so slightly pessimistic).

Reading the ratio: the bare app does nothing else, while ours also runs the shared server's
metrics middleware and, between acks, real answers (retrieval, triage, two Web API calls) that
leave the CPU caches cold for the next ack — a few tens of microseconds on a 0.2 ms floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request  # noqa: E402
from slack_bolt.async_app import AsyncAck, AsyncApp  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402

from bot.runtime import build_runtime  # noqa: E402
from bot.server.app import create_app  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from tests.support import slack_payloads as p  # noqa: E402
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn  # noqa: E402

PROJECT = "Support bot over 3,000 help articles that change weekly; answers must cite the source."
FORM = "application/x-www-form-urlencoded"
BUDGET_SECONDS = 120
OURS, SAME_FLAGS, DEFAULTS = "rag-or-ft", "bare bolt, same flags", "bare bolt, defaults"
WARM_UP = 10


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<38}{value:>18}   {target}")


def ms(values: list[float]) -> str:
    return f"{pct(values, 50) * 1000:.2f} / {pct(values, 95) * 1000:.2f} ms"


# Children ---------------------------------------------------------------------------------------


async def until_stdin_closes() -> None:
    await asyncio.to_thread(sys.stdin.read)


async def serve_standin() -> None:
    api = SlackApiStandIn()
    print(json.dumps(await api.start()), flush=True)
    await until_stdin_closes()
    await api.close()


def bare_app(api_url: str, *, process_before_response: bool) -> web.Application:
    """A bolt app that does nothing but ack the command: the floor any bolt bot pays."""
    bolt = AsyncApp(
        name="bare",
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=p.SIGNING_SECRET,
        process_before_response=process_before_response,
    )

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    bolt.command("/rag-or-ft")(ack_only)

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", handle)
    return app


def timed(name: str, timings: dict[str, list[float]]) -> Any:
    """Outermost middleware: time each slash command inside the process (request to response)."""

    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        started = time.perf_counter()
        response: web.StreamResponse = await handler(request)
        if request.content_type == FORM:
            timings.setdefault(name, []).append(time.perf_counter() - started)
        return response

    return middleware


async def serve_bot(api_url: str) -> None:
    """Serve the three apps and print their URLs as one JSON line; when stdin closes, print the
    in-process handling times of the slash commands as another, and stop."""
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            env_file=None,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=p.SIGNING_SECRET,
            slack_api_url=api_url,
            state_path=Path(tmp) / "state.db",
            rate_limit_per_minute=0,
        )
        apps = {
            OURS: create_app(await build_runtime(settings)),
            SAME_FLAGS: bare_app(api_url, process_before_response=True),
            DEFAULTS: bare_app(api_url, process_before_response=False),
        }
        timings: dict[str, list[float]] = {}
        runners, urls = [], {}
        for name, app in apps.items():
            app.middlewares.insert(0, timed(name, timings))
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            runners.append(runner)
            urls[name] = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
        print(json.dumps(urls), flush=True)
        await until_stdin_closes()
        for runner in runners:
            await runner.cleanup()
        print(json.dumps(timings), flush=True)


class Child:
    """This script run with other arguments: the JSON line it prints first is `hello`; closing
    its stdin stops it, and `stop` returns the JSON line it prints last (if any)."""

    def __init__(self, proc: asyncio.subprocess.Process, hello: Any) -> None:
        self.proc = proc
        self.hello = hello

    @classmethod
    async def start(cls, *args: str) -> Child:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, *args,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None
        try:
            return cls(proc, json.loads(await asyncio.wait_for(proc.stdout.readline(), 30)))
        except BaseException:
            proc.kill()
            await proc.wait()
            raise

    async def stop(self) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.close()
            last = await asyncio.wait_for(self.proc.stdout.read(), 30)
            await asyncio.wait_for(self.proc.wait(), 30)
            return json.loads(last) if last.strip() else None
        finally:
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()


# The driver (Slack's side) ----------------------------------------------------------------------


class Driver:
    """Sends Slack's requests and counts them: each of our commands leads to exactly one
    placeholder `chat.postMessage` and one `chat.update`, each mention to one `chat.postMessage`."""

    def __init__(self, session: aiohttp.ClientSession, api_url: str) -> None:
        self.session = session
        self.root = api_url.removesuffix("api/")
        self.commands = 0
        self.mentions = 0

    async def command(self, url: str) -> float:
        body = p.slash_command(PROJECT, response_url=f"{self.root}response/bench")
        headers = p.signed_headers(body, content_type=FORM)
        started = time.perf_counter()
        async with self.session.post(url, data=body, headers=headers) as response:
            await response.read()
            assert response.status == 200, response.status
        return time.perf_counter() - started

    async def posted(self, method: str, count: int) -> dict[str, Any]:
        """Wait until the stand-in has recorded `count` calls of `method`; the last one."""
        async with self.session.get(f"{self.root}calls/{method}?count={count}") as response:
            assert response.status == 200, await response.text()
            found: dict[str, Any] = await response.json()
        return dict(found["last"])

    async def acks(self, urls: dict[str, str], n: int, *, isolated: bool) -> dict[str, list[float]]:
        times: dict[str, list[float]] = {name: [] for name in urls}
        order = random.Random(6)
        for _ in range(n):
            for name in order.sample(list(urls), len(urls)):
                times[name].append(await self.command(urls[name]))
                if name == OURS:
                    self.commands += 1
                    if isolated:
                        await self.posted("chat.update", self.commands)
        await self.posted("chat.update", self.commands)  # everything answered before moving on
        return times

    async def event_to_answer(self, url: str, n: int) -> list[float]:
        times = []
        for _ in range(n):
            event = p.app_mention(PROJECT)
            body = json.dumps(p.event_callback(event))
            started = time.perf_counter()
            async with self.session.post(url, data=body, headers=p.signed_headers(body)) as r:
                assert r.status == 200
            self.mentions += 1
            answer = await self.posted("chat.postMessage", self.commands + self.mentions)
            times.append(time.perf_counter() - started)
            assert answer["args"]["thread_ts"] == event["ts"]
        return times


async def run(n: int) -> None:
    standin = await Child.start("--standin")
    try:
        bot = await Child.start("--serve", standin.hello)
        try:
            async with aiohttp.ClientSession() as session:
                driver = Driver(session, standin.hello)
                await driver.acks(bot.hello, WARM_UP, isolated=True)  # auth.test, pools
                isolated = await driver.acks(bot.hello, n, isolated=True)
                loaded = await driver.acks(bot.hello, n, isolated=False)
                answers = await driver.event_to_answer(bot.hello[OURS], min(n, 200))
        finally:
            inside: dict[str, list[float]] = await bot.stop()
    finally:
        await standin.stop()

    print(f"slash-command ack p50 / p95 ({n} requests per app; Slack, API and bot: 3 processes)")
    for label, times in (("isolated", isolated), ("under load", loaded)):
        for name, values in times.items():
            line(f"{name}, {label}", ms(values))
        ratio_line(f"ratio to bare bolt, {label}", times)
    handling = {name: values[WARM_UP : WARM_UP + n] for name, values in inside.items()}
    print("the same acks timed inside the bot process (request in → response out), isolated")
    for name, values in handling.items():
        line(name, ms(values))
    ratio_line("ratio to bare bolt, inside", handling)
    print(f"event → answer posted (offline engine, {len(answers)} mentions)")
    line("app_mention → chat.postMessage", ms(answers), "p95 ≤ 300 ms")


def ratio_line(label: str, times: dict[str, list[float]]) -> None:
    ours, floor = times[OURS], times[SAME_FLAGS]
    ratio = f"{statistics.median(ours) / statistics.median(floor):.2f}× / "
    line(label, ratio + f"{pct(ours, 95) / pct(floor, 95):.2f}×", "≤ 1.2×")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per app (10-2000)")
    parser.add_argument("--serve", metavar="API_URL", help=argparse.SUPPRESS)
    parser.add_argument("--standin", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.standin:
        asyncio.run(serve_standin())
    elif args.serve:
        asyncio.run(serve_bot(args.serve))
    else:
        asyncio.run(asyncio.wait_for(run(max(10, min(2000, args.requests))), BUDGET_SECONDS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
