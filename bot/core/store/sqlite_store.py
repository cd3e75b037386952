"""The embedded store: one SQLite file shared by the bot processes of one machine.

Used when `REDIS_URL` is unset. The standard library's sqlite3 runs on a single worker thread
per store (one connection, never shared between threads), so the event loop never blocks on
disk. WAL mode lets readers proceed while one process writes; `busy_timeout` makes a writer
wait briefly for another process instead of failing.

Semantics match `RedisStore`: expiry is an `expires_at` column compared with `clock()` (expired
rows are ignored at once and purged now and then), turns are capped, de-duplication and rate
windows behave the same, feedback is a capped table.

The per-thread lock is a lease row (owner token, expiry) taken with one atomic upsert, rather
than `fcntl.flock` on lock files: it needs no file per thread (nothing to clean up, no unlink
races), works wherever SQLite does, and has exactly Redis's semantics — a crashed holder frees
the thread when its lease runs out, a live one renews it — which the shared contract tests
exercise with an injected clock.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from pathlib import Path
from typing import TypeVar

from bot.core.store.base import KEY_PREFIX, Feedback
from bot.core.store.common import (
    DEFAULT_FEEDBACK_CAP,
    DEFAULT_LOCK_LEASE_SECONDS,
    DEFAULT_LOCK_WAIT_SECONDS,
    AbandonedLeases,
    KeyedLocks,
    feedback_from_json,
    feedback_to_json,
    hold_lease,
    turn_to_json,
    turns_from_json,
)
from bot.core.types import Turn
from bot.errors import StoreError

T = TypeVar("T")

SCHEMA_VERSION = 2
PURGE_EVERY_SECONDS = 300.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    ns TEXT NOT NULL, thread TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (ns, thread));
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ns TEXT NOT NULL, thread TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS turns_by_thread ON turns (ns, thread, id);
CREATE TABLE IF NOT EXISTS seen (
    ns TEXT NOT NULL, key TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (ns, key));
CREATE TABLE IF NOT EXISTS hits (
    ns TEXT NOT NULL, key TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    expires_at REAL NOT NULL, PRIMARY KEY (ns, key));
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ns TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS feedback_by_ns ON feedback (ns, id);
CREATE TABLE IF NOT EXISTS counts (
    ns TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL,
    expires_at REAL NOT NULL, PRIMARY KEY (ns, key, name));
CREATE TABLE IF NOT EXISTS locks (
    ns TEXT NOT NULL, thread TEXT NOT NULL, owner TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (ns, thread));
"""


class SqliteStore:
    """Conversation state in a local SQLite file; safe across processes of one machine."""

    kind = "sqlite"

    def __init__(
        self,
        path: Path,
        *,
        namespace: str = KEY_PREFIX,
        ttl_seconds: int = 1_209_600,
        max_turns: int = 50,
        timeout_seconds: float = 5.0,
        feedback_cap: int = DEFAULT_FEEDBACK_CAP,
        lock_lease_seconds: float = DEFAULT_LOCK_LEASE_SECONDS,
        lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Nothing is opened here: the file, its directory and the schema are created by the
        first call, on the worker thread. `clock` must be wall time (shared between processes)."""
        self.path = path
        self.namespace = namespace
        self._ttl = ttl_seconds
        self._max_turns = max_turns
        self._timeout = timeout_seconds
        self._feedback_cap = feedback_cap
        self._lease = lock_lease_seconds
        self._lock_wait = lock_wait_seconds
        self._clock = clock
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._next_purge = 0.0
        self._local = KeyedLocks()
        self._abandoned = AbandonedLeases()

    async def load_turns(self, thread: str) -> list[Turn]:
        def op(db: sqlite3.Connection) -> list[str]:
            rows = db.execute(
                "SELECT t.data FROM turns t JOIN threads h ON h.ns = t.ns AND h.thread = t.thread"
                " WHERE t.ns = ? AND t.thread = ? AND h.expires_at > ? ORDER BY t.id",
                (self.namespace, thread, self._clock()),
            ).fetchall()
            return [row[0] for row in rows]

        return turns_from_json(await self._run(op))

    async def append_turns(self, thread: str, turns: Sequence[Turn]) -> int:
        """One IMMEDIATE transaction: drop an expired history, add, trim to the cap, push expiry."""
        payload = [turn_to_json(t) for t in turns]

        def op(db: sqlite3.Connection) -> int:
            ns, now = self.namespace, self._clock()
            with _write(db):
                self._drop_if_expired(db, thread, now)
                if payload:
                    db.executemany(
                        "INSERT INTO turns (ns, thread, data) VALUES (?, ?, ?)",
                        [(ns, thread, data) for data in payload],
                    )
                    db.execute(  # the cap keeps the first turn and the newest (see `capped`)
                        "DELETE FROM turns WHERE ns = ? AND thread = ? AND id < (SELECT id FROM"
                        " turns WHERE ns = ? AND thread = ? ORDER BY id DESC LIMIT 1 OFFSET ?)"
                        " AND id > (SELECT MIN(id) FROM turns WHERE ns = ? AND thread = ?)",
                        (ns, thread, ns, thread, max(self._max_turns - 2, 0), ns, thread),
                    )
                    db.execute(
                        "INSERT INTO threads (ns, thread, expires_at) VALUES (?, ?, ?) ON CONFLICT"
                        " (ns, thread) DO UPDATE SET expires_at = excluded.expires_at",
                        (ns, thread, now + self._ttl),
                    )
                count: int = db.execute(
                    "SELECT COUNT(*) FROM turns WHERE ns = ? AND thread = ?", (ns, thread)
                ).fetchone()[0]
            self._maybe_purge(db, now)
            return count

        return await self._run(op)

    def thread_lock(self, thread: str) -> AbstractAsyncContextManager[None]:
        """Local FIFO lock (arrival order in this process), then the lease row (other processes)."""
        return self._hold(thread)

    @asynccontextmanager
    async def _hold(self, thread: str) -> AsyncIterator[None]:
        ns = self.namespace

        async def acquire(token: str, previous: str) -> bool:
            def op(db: sqlite3.Connection) -> bool:
                now = self._clock()
                cur = db.execute(
                    "INSERT INTO locks (ns, thread, owner, expires_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (ns, thread) DO UPDATE SET owner = excluded.owner,"
                    " expires_at = excluded.expires_at"
                    " WHERE locks.expires_at <= ? OR locks.owner = ?",
                    (ns, thread, token, now + self._lease, now, previous),
                )
                return cur.rowcount == 1

            return await self._run(op)

        async def renew(token: str) -> bool:
            def op(db: sqlite3.Connection) -> bool:
                cur = db.execute(
                    "UPDATE locks SET expires_at = ? WHERE ns = ? AND thread = ? AND owner = ?",
                    (self._clock() + self._lease, ns, thread, token),
                )
                return cur.rowcount == 1

            return await self._run(op)

        async def release(token: str) -> None:
            def op(db: sqlite3.Connection) -> None:
                db.execute(
                    "DELETE FROM locks WHERE ns = ? AND thread = ? AND owner = ?",
                    (ns, thread, token),
                )

            await self._run(op)

        async with (
            self._local.hold(thread),
            hold_lease(
                acquire=acquire,
                renew=renew,
                release=release,
                lease_seconds=self._lease,
                wait_seconds=self._lock_wait,
                what=f"thread {thread!r}",
                abandoned=self._abandoned,
                key=thread,
            ),
        ):
            yield

    async def first_time(self, key: str, ttl_seconds: int) -> bool:
        """INSERT, or take over an expired marker; one statement, so atomic across processes."""

        def op(db: sqlite3.Connection) -> bool:
            now = self._clock()
            cur = db.execute(
                "INSERT INTO seen (ns, key, expires_at) VALUES (?, ?, ?) ON CONFLICT (ns, key)"
                " DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?",
                (self.namespace, key, now + ttl_seconds, now),
            )
            return cur.rowcount == 1

        return await self._run(op)

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Fixed window counter like `RedisStore.allow`; `limit <= 0` means no limit."""
        if limit <= 0:
            return True

        def op(db: sqlite3.Connection) -> bool:
            now = self._clock()
            window = int(now // window_seconds)
            row = db.execute(
                "INSERT INTO hits (ns, key, window, count, expires_at) VALUES (?, ?, ?, 1, ?)"
                " ON CONFLICT (ns, key) DO UPDATE SET"
                " count = CASE WHEN hits.window = excluded.window THEN hits.count + 1 ELSE 1 END,"
                " window = excluded.window, expires_at = excluded.expires_at RETURNING count",
                (self.namespace, key, window, (window + 1) * window_seconds),
            ).fetchone()
            return int(row[0]) <= limit

        return await self._run(op)

    async def add_feedback(self, feedback: Feedback) -> None:
        data = feedback_to_json(feedback)

        def op(db: sqlite3.Connection) -> None:
            with _write(db):
                db.execute("INSERT INTO feedback (ns, data) VALUES (?, ?)", (self.namespace, data))
                db.execute(
                    "DELETE FROM feedback WHERE ns = ? AND id < (SELECT id FROM feedback"
                    " WHERE ns = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (self.namespace, self.namespace, self._feedback_cap - 1),
                )

        await self._run(op)

    async def recent_feedback(self, limit: int = 1000) -> list[Feedback]:
        def op(db: sqlite3.Connection) -> list[str]:
            rows = db.execute(
                "SELECT data FROM feedback WHERE ns = ? ORDER BY id DESC LIMIT ?",
                (self.namespace, max(min(limit, self._feedback_cap), 0)),
            ).fetchall()
            return [row[0] for row in rows]

        records = (feedback_from_json(raw) for raw in await self._run(op))
        return [r for r in records if r is not None]

    async def count(self, key: str, name: str, ttl_seconds: int) -> int:
        """One statement per counter; every counter of `key` shares its expiry (as a Redis
        hash does), so the others are refreshed in the same transaction."""

        def op(db: sqlite3.Connection) -> int:
            now = self._clock()
            ns, expires = self.namespace, now + ttl_seconds
            with _write(db):
                db.execute(
                    "DELETE FROM counts WHERE ns = ? AND key = ? AND expires_at <= ?",
                    (ns, key, now),
                )
                row = db.execute(
                    "INSERT INTO counts (ns, key, name, count, expires_at) VALUES (?, ?, ?, 1, ?)"
                    " ON CONFLICT (ns, key, name) DO UPDATE SET count = counts.count + 1,"
                    " expires_at = excluded.expires_at RETURNING count",
                    (ns, key, name, expires),
                ).fetchone()
                db.execute(
                    "UPDATE counts SET expires_at = ? WHERE ns = ? AND key = ?", (expires, ns, key)
                )
            return int(row[0])

        return await self._run(op)

    async def counts(self, keys: Sequence[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}

        def op(db: sqlite3.Connection) -> dict[str, int]:
            marks = ", ".join("?" for _ in wanted)
            rows = db.execute(
                f"SELECT name, SUM(count) FROM counts WHERE ns = ? AND key IN ({marks})"
                " AND expires_at > ? GROUP BY name",
                (self.namespace, *wanted, self._clock()),
            ).fetchall()
            return {str(name): int(total) for name, total in rows}

        return await self._run(op)

    async def forget(self, thread: str) -> bool:
        def op(db: sqlite3.Connection) -> bool:
            ns = self.namespace
            with _write(db):
                had = db.execute(
                    "SELECT 1 FROM threads WHERE ns = ? AND thread = ? AND expires_at > ?",
                    (ns, thread, self._clock()),
                ).fetchone()
                db.execute("DELETE FROM turns WHERE ns = ? AND thread = ?", (ns, thread))
                db.execute("DELETE FROM threads WHERE ns = ? AND thread = ?", (ns, thread))
            return had is not None

        return await self._run(op)

    async def ping(self) -> bool:
        return await self._run(lambda db: db.execute("SELECT 1").fetchone() == (1,))

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(executor, self._disconnect)
        finally:
            await asyncio.to_thread(executor.shutdown, True)

    async def _run(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """Run `op` on the store's worker thread; any SQLite or file error becomes StoreError."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-store")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._call, op)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"sqlite store at {self.path} failed: {exc}") from exc

    def _call(self, op: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            self._conn = self._connect()
        return op(self._conn)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            self._prepare(db)
        except BaseException:
            db.close()
            raise
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Switch to WAL and create the schema. Processes opening a new file at the same moment
        can get "database is locked" here without the busy handler waiting (the journal-mode
        switch takes an exclusive lock), so this step retries until the store's timeout."""
        deadline = time.monotonic() + self._timeout
        pause = 0.005
        while True:
            try:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                with _write(db):
                    if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                        for statement in _SCHEMA.split(";"):
                            if statement.strip():
                                db.execute(statement)
                        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)  # on the store's worker thread, never the event loop
                pause = min(pause * 2, 0.1)

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _drop_if_expired(self, db: sqlite3.Connection, thread: str, now: float) -> None:
        expired = db.execute(
            "SELECT 1 FROM threads WHERE ns = ? AND thread = ? AND expires_at <= ?",
            (self.namespace, thread, now),
        ).fetchone()
        if expired:
            db.execute("DELETE FROM turns WHERE ns = ? AND thread = ?", (self.namespace, thread))

    def _maybe_purge(self, db: sqlite3.Connection, now: float) -> None:
        """Expired rows are already invisible; deleting them now and then keeps the file small."""
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_EVERY_SECONDS
        with _write(db):
            db.execute(
                "DELETE FROM turns WHERE (ns, thread) IN"
                " (SELECT ns, thread FROM threads WHERE expires_at <= ?)",
                (now,),
            )
            for table in ("threads", "seen", "hits", "counts", "locks"):
                db.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,))


@contextmanager
def _write(db: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the file's write lock up front (BEGIN IMMEDIATE), so two
    processes never both read and then collide on the upgrade to a write."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
