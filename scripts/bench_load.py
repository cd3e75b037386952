"""Load bench: one `rag-or-ft serve` (offline engine, real Redis) under Slack traffic, on loopback.

Why: the figures an operator sizes replicas by — answered events per second, event-to-answer
latency, memory — and the two faults a deployment meets (Redis restarting, the LLM failing),
measured end to end: a signed event POSTed to the bot until its `chat.postMessage` reaches the
Slack Web API stand-in. Everything runs here: a redis-server this script starts on a free port,
the stand-ins in this process, the bot as a child process. Bounded in count and time; prints
figures and targets, asserts nothing (`make bench`; `scripts/bench_load.py [PHASE ...]` runs
some of: clean, redis, redis-lost, llm, replica-killed).

`replica-killed` runs two replicas on the Redis, threads spread over both; halfway, one is
SIGKILLed (a request it had not answered is re-delivered to the other, as Slack retries an
unacknowledged event) and started again. Every event acknowledged must be answered once.

Each sender plays whole threads like a person: an @mention, then follow-ups in the thread,
each sent once the previous answer arrived. A share of events is delivered twice, the second
copy with `X-Slack-Retry-Num` (as Slack retries), to measure de-duplication under load.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import messages  # noqa: E402
from tests.llm.answers import structured  # noqa: E402
from tests.ops.conftest import scrape, value  # noqa: E402
from tests.support.fake_openai import FakeOpenAI, answer, error  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402
from tests.support.serve_process import ServeProcess  # noqa: E402
from tests.support.slack_api import BOT_TOKEN, ApiCall, SlackApiStandIn  # noqa: E402
from tests.support.slack_payloads import (  # noqa: E402
    SIGNING_SECRET,
    app_mention,
    event_callback,
    message,
    signed_headers,
)

EVENT_TIMEOUT_SECONDS = 10.0
PHASE_TIMEOUT_SECONDS = 120.0
RETRY_SHARE = 0.1
TEXTS = [
    "Support assistant over 3,000 help-centre articles that change weekly; cite the source.",
    "We want the model to always answer in our strict JSON schema for invoices.",
    "Internal wiki bot; pages change daily and answers must link the page.",
    "Classify support tickets into 40 categories in our house tone, very low latency.",
    "Also, the legal team needs every answer traceable to a document.",
    "Why not fine-tuning?",
    "Volume is about 2 million requests a day, so cost per call matters.",
]


class WatchedSlackApi(SlackApiStandIn):
    """The stand-in, also noting when each answer's first message arrives, per thread."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, list[float]] = defaultdict(list)
        self.apologies = 0
        self._arrived = asyncio.Condition()

    async def _record(self, call: ApiCall) -> None:
        await super()._record(call)
        if call.method != "chat.postMessage":
            return
        text = str(call.get("text") or "")
        if text == messages.SLACK_CONTINUED:
            return  # a later page of the same answer
        if text.startswith(messages.ERROR_APOLOGY.split("—")[0]):
            self.apologies += 1
        async with self._arrived:
            self.answers[str(call.get("thread_ts"))].append(call.at)
            self._arrived.notify_all()

    async def answered(self, root: str, count: int, within: float) -> float | None:
        """When the thread's `count`-th answer arrived (perf_counter), or None if it did not."""
        try:
            async with asyncio.timeout(within), self._arrived:
                await self._arrived.wait_for(lambda: len(self.answers[root]) >= count)
        except TimeoutError:
            return None
        return self.answers[root][count - 1]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    retries: int = 0
    lost: int = 0
    expected: dict[str, int] = field(default_factory=dict)
    late: list[str] = field(default_factory=list)  # bodies to re-deliver after a fault
    started: float = 0.0
    finished: float = 0.0
    cpu: tuple[float, float, float] = (0, 0, 0)  # CPU seconds: bot, redis-server, this script
    fault_at: int = 0  # the phase's fault starts once this many events were sent
    reached: asyncio.Event = field(default_factory=asyncio.Event)


Fault = Callable[[Run], Coroutine[object, object, None]]
"""A fault a phase injects while its threads are sent (a Redis restart, …)."""


@dataclass
class Phase:
    name: str
    threads: int
    turns: int
    senders: int
    env: dict[str, str]
    during: Fault | None = None
    rate_target: str = ""  # the throughput target, where one applies (offline, no fault)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else 0


def line(name: str, shown: str, target: str = "") -> None:
    print(f"  {name:<38}{shown:>22}   {target}")


async def deliver(
    session: aiohttp.ClientSession, bot: ServeProcess, body: str, retry: int | None = None
) -> None:
    headers = signed_headers(body, retry_num=retry)
    async with session.post(f"{bot.base_url}/slack/events", data=body, headers=headers) as r:
        await r.read()
        if r.status != 200:
            print(f"  ! /slack/events answered {r.status}", file=sys.stderr)


async def play_thread(
    number: int,
    phase: Phase,
    run: Run,
    bot: ServeProcess,
    slack: WatchedSlackApi,
    session: aiohttp.ClientSession,
    rng: random.Random,
) -> None:
    user = f"U{number:08d}"
    root = ""
    for turn in range(1, phase.turns + 1):
        text = TEXTS[(number + turn) % len(TEXTS)]
        if turn == 1:
            event = app_mention(text, user=user)
            root = event["ts"]
        else:
            event = message(text, user=user, thread_ts=root)
        body = json.dumps(event_callback(event))
        run.expected[root] = turn
        run.sent += 1
        if run.sent == run.fault_at:
            run.reached.set()
        started = time.perf_counter()
        if rng.random() < RETRY_SHARE:
            run.retries += 1
            await asyncio.gather(deliver(session, bot, body), deliver(session, bot, body, 1))
        else:
            await deliver(session, bot, body)
        if rng.random() < RETRY_SHARE:
            run.late.append(body)
        arrived = await slack.answered(root, turn, EVENT_TIMEOUT_SECONDS)
        if arrived is None:
            run.lost += 1
            run.expected[root] = len(slack.answers[root])
            return  # a person would not write again into a thread that went silent
        run.latencies.append(arrived - started)


async def run_phase(phase: Phase, redis: RedisServer, seed: int) -> None:
    print(f"\nload: {phase.name}")
    slack = WatchedSlackApi()
    await slack.start()
    env = {
        "REDIS_URL": redis.url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "LOG_LEVEL": "WARNING",
        **phase.env,
    }
    rng = random.Random(seed)
    run = Run(fault_at=phase.threads * phase.turns // 2)
    connector = aiohttp.TCPConnector(limit=phase.senders * 2)
    try:
        async with ServeProcess(env) as bot, aiohttp.ClientSession(connector=connector) as session:
            idle_kb = bot.rss_kb()
            warm = Phase("warm-up", 10, 2, 5, {})
            await drive(warm, Run(), bot, slack, session, random.Random(seed + 100))
            before_kb = bot.rss_kb()
            redis_pid = await server_pid(redis)
            cpu_before = (bot.cpu_seconds(), proc_cpu(redis_pid), time.process_time())
            run.started = time.perf_counter()
            async with asyncio.timeout(PHASE_TIMEOUT_SECONDS):
                await drive(phase, run, bot, slack, session, rng)
            run.finished = time.perf_counter()
            run.cpu = (
                bot.cpu_seconds() - cpu_before[0],
                proc_cpu(redis_pid) - cpu_before[1],
                time.process_time() - cpu_before[2],
            )
            await settle(run, bot, slack, session)
            after_kb = bot.rss_kb()
            dedup_hits = await metric(session, bot, "ragorft_dedup_hits_total")
            store_errors = await metric(session, bot, "ragorft_store_errors_total")
            llm = await metric(session, bot, "ragorft_answers_total", engine="llm")
        rss = (idle_kb, before_kb, after_kb)
        report(run, slack, dedup_hits, store_errors, llm, rss, phase.rate_target)
    finally:
        await slack.close()


async def drive(
    phase: Phase,
    run: Run,
    bot: ServeProcess,
    slack: WatchedSlackApi,
    session: aiohttp.ClientSession,
    rng: random.Random,
) -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for _ in range(phase.threads):
        queue.put_nowait(rng.randrange(10**7))

    async def sender() -> None:
        while not queue.empty():
            await play_thread(queue.get_nowait(), phase, run, bot, slack, session, rng)

    fault = asyncio.create_task(phase.during(run)) if phase.during else None
    await asyncio.gather(*(sender() for _ in range(phase.senders)))
    if fault is not None:
        await fault


async def settle(
    run: Run, bot: ServeProcess, slack: WatchedSlackApi, session: aiohttp.ClientSession
) -> None:
    """Re-deliver the late retries, then wait (bounded) until every retry was dropped. A retry
    that was not dropped is being answered instead: the bound leaves it time to arrive, so it
    is counted as a duplicate rather than missed."""
    for body in run.late:
        await deliver(session, bot, body, retry=2)
    wanted = run.retries + len(run.late)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if await metric(session, bot, "ragorft_dedup_hits_total") >= wanted:
            return
        await asyncio.sleep(0.05)


async def metric(
    session: aiohttp.ClientSession, bot: ServeProcess, name: str, **labels: str
) -> float:
    async with session.get(f"{bot.base_url}/metrics") as response:
        return value(scrape(await response.text()), name, **labels)


def report(
    run: Run,
    slack: WatchedSlackApi,
    dedup_hits: float,
    store_errors: float,
    llm_answers: float,
    rss: tuple[int, int, int],
    rate_target: str,
) -> None:
    answered = len(run.latencies)
    seconds = max(run.finished - run.started, 1e-9)
    duplicates = sum(max(0, len(slack.answers[root]) - n) for root, n in run.expected.items())
    ms = 1000
    line("events sent / retries / late retries", f"{run.sent} / {run.retries} / {len(run.late)}")
    line("events answered", f"{answered} of {run.sent}")
    # Lost events each cost a sender the whole wait, so a fault phase's rate says little.
    line("answered events/s", f"{answered / seconds:.0f}", rate_target)
    line(
        "event → answer p50 / p95 / p99",
        f"{pct(run.latencies, 50) * ms:.0f} / {pct(run.latencies, 95) * ms:.0f} / "
        f"{pct(run.latencies, 99) * ms:.0f} ms",
        "p99 ≤ 500 ms",
    )
    if answered:
        bot_cpu, redis_cpu, driver_cpu = (round(c / answered * ms, 1) for c in run.cpu)
        line(
            "CPU per event: bot / redis / driver",
            f"{bot_cpu} / {redis_cpu if redis_cpu >= 0 else 'n/a'} / {driver_cpu} ms",
        )
        line("bot capacity (CPU-bound)", f"≈ {1000 / bot_cpu:.0f} events/s per core")
    line("duplicate answers", f"{duplicates}", "0")
    line("lost answers", f"{run.lost}", "0")
    line("apologies sent (errors)", f"{slack.apologies}")
    line("de-duplication hits (metric)", f"{dedup_hits:.0f}")
    if store_errors:
        line("store errors (metric)", f"{store_errors:.0f}")
    if llm_answers:
        line("answers from the LLM / offline", f"{llm_answers:.0f} / {answered - llm_answers:.0f}")
    idle, before, after = (kb / 1024 for kb in rss)
    line("RSS idle / warm / after", f"{idle:.0f} / {before:.0f} / {after:.0f} MB", "≤ 150 MB")
    line("RSS growth under load", f"{after - before:+.1f} MB", "≤ a few MB")


async def server_pid(redis: RedisServer) -> int:
    client = Redis.from_url(redis.url)
    try:
        return int((await client.info("server"))["process_id"])
    finally:
        await client.aclose()


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc (it may have been restarted: 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_restart(redis: RedisServer, *, persist: bool) -> Fault:
    """Restart the redis-server once half the events were sent. With `persist`, a save point is
    configured first, so shutdown writes a snapshot that the restart loads (as with the compose
    file's append-only Redis); without it the data is gone (a crash, an empty failover)."""

    async def fault(run: Run) -> None:
        await run.reached.wait()
        if persist:
            client = Redis.from_url(redis.url)
            await client.config_set("save", "3600 1")
            await client.aclose()
        started = time.perf_counter()
        await asyncio.to_thread(redis.restart)
        down = 1000 * (time.perf_counter() - started)
        kept = "data kept" if persist else "data lost"
        print(f"  (redis-server restarted after {run.sent} events, down {down:.0f} ms, {kept})")

    return fault


def phases(redis: RedisServer, fake: FakeOpenAI) -> dict[str, Phase]:
    llm = {
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_MODEL": "bench-model",
        "OPENAI_API_KEY": "sk-bench-000000000000000000",
        "LLM_TIMEOUT_SECONDS": "5",
    }
    fast_store = {"REDIS_TIMEOUT_SECONDS": "0.2"}
    return {
        "clean": Phase("500 events, 100 threads, 20 senders", 100, 5, 20, {}, rate_target="≥ 200"),
        "redis": Phase(
            "Redis restarted mid-run, data kept (200 events, 40 threads)",
            40, 5, 20, fast_store, during=redis_restart(redis, persist=True),
        ),
        "redis-lost": Phase(
            "Redis restarted mid-run, data lost (200 events, 40 threads)",
            40, 5, 20, fast_store, during=redis_restart(redis, persist=False),
        ),
        "llm": Phase("LLM stand-in failing half the calls (100 events)", 20, 5, 10, llm),
    }  # fmt: skip


KILL_LEASE_SECONDS = "2"


async def deliver_anywhere(
    session: aiohttp.ClientSession, bots: list[ServeProcess], body: str, turn: int
) -> None:
    """To one live replica (the thread's number picks which, like a load balancer); if it dies
    before answering, to the other with a retry header, as Slack retries."""
    for attempt, bot in enumerate(bots[turn % 2 :] + bots[: turn % 2]):
        if bot.proc is None or bot.proc.poll() is not None:
            continue
        try:
            await deliver(session, bot, body, retry=attempt or None)
            return
        except aiohttp.ClientError:
            continue
    print("  ! no replica took an event", file=sys.stderr)


async def run_kill_phase(redis: RedisServer, seed: int) -> None:
    threads, turns, senders = 60, 5, 20
    print(f"\nload: two replicas, one SIGKILLed and restarted mid-run ({threads * turns} events)")
    slack = WatchedSlackApi()
    await slack.start()
    env = {
        "REDIS_URL": redis.url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "LOG_LEVEL": "WARNING",
        "JOB_LEASE_SECONDS": KILL_LEASE_SECONDS,
        "JOB_POLL_SECONDS": "0.2",
    }
    client = Redis.from_url(redis.url)
    await client.flushdb()
    await client.aclose()
    rng = random.Random(seed)
    run = Run()
    half = threads * turns // 2
    try:
        async with ServeProcess(env) as a, ServeProcess(env) as b, aiohttp.ClientSession() as s:
            bots = [a, b]
            restarted: list[ServeProcess] = []

            async def thread(number: int) -> None:
                root, user = "", f"U{number:08d}"
                for turn in range(1, turns + 1):
                    text = TEXTS[(number + turn) % len(TEXTS)]
                    event = (
                        app_mention(text, user=user)
                        if turn == 1
                        else message(text, user=user, thread_ts=root)
                    )
                    root = root or event["ts"]
                    run.expected[root] = turn
                    run.sent += 1
                    if run.sent == half:
                        run.reached.set()
                    started = time.perf_counter()
                    await deliver_anywhere(s, bots, json.dumps(event_callback(event)), number)
                    arrived = await slack.answered(root, turn, EVENT_TIMEOUT_SECONDS * 2)
                    if arrived is None:
                        run.lost += 1
                        run.expected[root] = len(slack.answers[root])
                        return
                    run.latencies.append(arrived - started)

            async def fault() -> None:
                await run.reached.wait()
                a.kill()
                print(f"  (replica A SIGKILLed after {run.sent} events; restarting it)")
                again = ServeProcess(env, port=a.port)
                again.spawn()
                await again.ready()
                bots[0] = again
                restarted.append(again)

            numbers = [rng.randrange(10**7) for _ in range(threads)]
            queue: asyncio.Queue[int] = asyncio.Queue()
            for number in numbers:
                queue.put_nowait(number)

            async def sender() -> None:
                while not queue.empty():
                    await thread(queue.get_nowait())

            run.started = time.perf_counter()
            await asyncio.gather(fault(), *(sender() for _ in range(senders)))
            run.finished = time.perf_counter()
            reclaimed = 0.0
            for bot in bots:
                reclaimed += await metric(s, bot, "ragorft_jobs_total", event="reclaimed")
            for bot in restarted:
                await asyncio.to_thread(bot.cleanup)
        answered = len(run.latencies)
        duplicates = sum(max(0, len(slack.answers[r]) - n) for r, n in run.expected.items())
        ms = 1000
        line("events sent / answered", f"{run.sent} / {answered}")
        line(
            "event → answer p50 / p99",
            f"{pct(run.latencies, 50) * ms:.0f} / {pct(run.latencies, 99) * ms:.0f} ms",
            f"p99 ≤ lease ({KILL_LEASE_SECONDS} s) + answer",
        )
        line("jobs taken over (reclaimed)", f"{reclaimed:.0f}")
        line("duplicate answers", f"{duplicates}", "0")
        line("lost answers", f"{run.lost}", "0")
    finally:
        await slack.close()


async def main(names: list[str]) -> int:
    fake = FakeOpenAI()
    await fake.start()
    for _ in range(1000):
        fake.push(answer(structured()), error(500))  # every other call fails
    try:
        with RedisServer() as redis:
            table = phases(redis, fake)
            for seed, name in enumerate(names or [*table, "replica-killed"], start=1):
                if name == "replica-killed":
                    await run_kill_phase(redis, seed)
                    continue
                if name not in table:
                    print(f"unknown phase {name!r}; phases: {', '.join(table)}", file=sys.stderr)
                    return 2
                await run_phase(table[name], redis, seed)
    finally:
        await fake.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
