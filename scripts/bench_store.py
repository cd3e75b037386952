"""State-store figures: Redis round trips and added latency per service turn (and SQLite's).

Standalone and bounded (`python scripts/bench_store.py [--turns N] [--url URL]`, seconds).
A service turn is what `TriageService` does around the engine: the rate-limit `allow`, then
`thread_lock` (acquire) → `load_turns` → `append_turns` (user + bot turn) → release.

- Round trips are counted on the client: a connection class that counts every write of a
  request (a MULTI/EXEC block or a pipeline is one write, then its replies are read).
- Commands are counted on the server: `INFO commandstats` deltas (the INFO calls subtracted).
- Latency is each whole turn, sequential, on loopback: what the store adds to an answer.

Without `--url` a private `redis-server` is started on a free port (no persistence), so the
server-side counts are not mixed with anybody else's traffic; if it is not installed,
`REDIS_TEST_URL` (or redis://127.0.0.1:6379/0) is used instead.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis.asyncio import Connection, Redis  # noqa: E402

from bot.core.store.base import Store  # noqa: E402
from bot.core.store.redis_store import RedisStore  # noqa: E402
from bot.core.store.sqlite_store import SqliteStore  # noqa: E402
from bot.core.types import Turn  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402

THREADS = 100
TARGET_ROUND_TRIPS = 4
TARGET_P95_MS = 3.0


class CountingConnection(Connection):
    """Counts request writes: one per command, one per pipeline or MULTI/EXEC block."""

    writes = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.writes += 1
        await super().send_packed_command(command, check_health)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<38}{value:>16}   {target}")


async def one_turn(store: Store, n: int) -> None:
    thread = f"bench:thread:{n % THREADS}"
    await store.allow(f"rate:bench:U{n % 7}", 1_000_000, 60)
    async with store.thread_lock(thread):
        history = await store.load_turns(thread)
        await store.append_turns(
            thread,
            [
                Turn(role="user", text=f"follow-up {n}: the docs change weekly", user="U1",
                     number=len(history) // 2 + 1),
                Turn(role="bot", text="RAG: your knowledge changes weekly.", verdict="rag",
                     citation_ids=("001-rag-vs-fine-tuning#3", "004-which-one#1")),
            ],
        )  # fmt: skip


async def timed_turns(store: Store, turns: int) -> list[float]:
    for n in range(20):  # warm-up: connections, script cache, SQLite schema
        await one_turn(store, n)
    times = []
    for n in range(turns):
        started = time.perf_counter()
        await one_turn(store, n)
        times.append(time.perf_counter() - started)
    return times


async def commandstats(admin: Redis) -> Counter[str]:
    info: dict[str, Any] = await admin.info("commandstats")
    return Counter({name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in info.items()})


def report_latency(times: list[float], target: str = "") -> None:
    ms = 1000
    line("p50 / p95 per turn", f"{pct(times, 50) * ms:.2f} / {pct(times, 95) * ms:.2f} ms", target)
    line("p99 / max per turn", f"{pct(times, 99) * ms:.2f} / {max(times) * ms:.2f} ms")
    line("mean per turn", f"{statistics.fmean(times) * ms:.2f} ms")


async def bench_redis(url: str, turns: int) -> None:
    namespace = f"rag-or-ft-bench:{os.getpid()}"
    client = Redis.from_url(
        url, decode_responses=True, socket_timeout=None, connection_class=CountingConnection
    )
    store = RedisStore(
        url, namespace=namespace, ttl_seconds=3600, max_turns=50, timeout_seconds=1.0,
        client=client,
    )  # fmt: skip
    admin = Redis.from_url(url, decode_responses=True)
    try:
        await one_turn(store, 0)
        before, writes = await commandstats(admin), CountingConnection.writes
        times = await timed_turns(store, turns)
        after, writes = await commandstats(admin), CountingConnection.writes - writes
        measured = turns + 20
        delta = after - before
        delta["info"] -= 1
        commands = {k: v for k, v in delta.items() if v > 0}
        print(f"redis at {url} ({turns} turns, {THREADS} threads, sequential, loopback)")
        line(
            "round trips per turn",
            f"{writes / measured:.2f}",
            f"≤ {TARGET_ROUND_TRIPS} (lock+prefetch, append, release, allow)",
        )
        line("commands per turn (server, incl. Lua)", f"{sum(commands.values()) / measured:.2f}")
        for name, calls in sorted(commands.items(), key=lambda kv: -kv[1]):
            line(f"  {name}", f"{calls / measured:.2f}")
        report_latency(times, f"p95 ≤ {TARGET_P95_MS:g} ms")
        load = os.getloadavg()[0]
        line(
            "load average (1 min) / CPUs",
            f"{load:.1f} / {os.cpu_count()}",
            "(tails need a quiet box)",
        )
        keys = [k async for k in admin.scan_iter(match=f"{namespace}:*")]
        if keys:
            await admin.delete(*keys)
    finally:
        await store.close()
        await admin.aclose()


async def bench_sqlite(turns: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "state.db", ttl_seconds=3600, max_turns=50)
        try:
            times = await timed_turns(store, turns)
        finally:
            await store.close()
    print(f"embedded sqlite ({turns} turns, WAL, one worker thread)")
    report_latency(times)


@contextmanager
def redis_url(explicit: str | None) -> Iterator[str]:
    if explicit:
        yield explicit
    elif shutil.which("redis-server"):
        with RedisServer() as server:
            yield server.url
    else:
        yield os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--url", help="an existing Redis (default: a private redis-server)")
    args = parser.parse_args()
    with redis_url(args.url) as url:
        asyncio.run(bench_redis(url, args.turns))
    asyncio.run(bench_sqlite(args.turns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
