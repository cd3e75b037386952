"""The work queue in the embedded SQLite file: a jobs table with a lease column.

Processes of one machine share the file (`STATE_PATH`), so a job accepted by one `serve` is
answered by whichever takes it first, and one accepted by a process that died is taken again by
any process — the same one restarted included — once its lease ran out. A claim is one
`BEGIN IMMEDIATE` transaction (select the oldest ready rows, push their lease, count the
attempt), so two processes never take the same job while its lease holds.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from bot.core.jobs.base import Claim, Job
from bot.core.jobs.redis_queue import consumer_name
from bot.core.store.base import KEY_PREFIX
from bot.errors import StoreError

T = TypeVar("T")
PURGE_EVERY_SECONDS = 300.0

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, ns TEXT NOT NULL,"
    " data TEXT NOT NULL, accepted_at REAL NOT NULL, lease_until REAL NOT NULL DEFAULT 0,"
    " owner TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (ns, lease_until, id)",
    "CREATE TABLE IF NOT EXISTS job_marks (ns TEXT NOT NULL, job TEXT NOT NULL,"
    " name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, job, name))",
    "CREATE TABLE IF NOT EXISTS job_deliveries (ns TEXT NOT NULL, key TEXT NOT NULL,"
    " job TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (ns, key))",
    "CREATE TABLE IF NOT EXISTS dead_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " ns TEXT NOT NULL, data TEXT NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL,"
    " at REAL NOT NULL)",
)


class SqliteJobQueue:
    kind = "sqlite"

    def __init__(
        self,
        path: Path,
        *,
        namespace: str = KEY_PREFIX,
        lease_seconds: float,
        timeout_seconds: float = 5.0,
        consumer: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.namespace = namespace
        self.consumer = consumer or consumer_name()
        self._lease = lease_seconds
        self._timeout = timeout_seconds
        self._clock = clock
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._next_purge = 0.0

    async def enqueue(
        self, job: Job, *, take: bool, dedup_ttl_seconds: int
    ) -> tuple[bool, Claim | None]:
        def op(db: sqlite3.Connection) -> tuple[bool, Claim | None]:
            if not self._first_delivery(db, job.deliveries, job.id, dedup_ttl_seconds):
                return False, None
            db.execute(
                "INSERT INTO jobs (ns, data, accepted_at) VALUES (?, ?, ?)",
                (self.namespace, job.to_json(), job.accepted_at),
            )
            claims = self._take(db, 1) if take else []
            claim = claims[0] if claims else None
            if claim is not None and claim.job.id == job.id:
                claim = replace(claim, deduped=True)
            return True, claim

        return await self._run(op)

    async def claim(self, count: int) -> list[Claim]:
        return await self._run(lambda db: self._take(db, count))

    def _take(self, db: sqlite3.Connection, count: int) -> list[Claim]:
        now = self._clock()
        rows = db.execute(
            "SELECT id, data, attempts FROM jobs WHERE ns = ? AND lease_until <= ?"
            " ORDER BY id LIMIT ?",
            (self.namespace, now, count),
        ).fetchall()
        claims: list[Claim] = []
        for row_id, data, attempts in rows:
            db.execute(
                "UPDATE jobs SET lease_until = ?, owner = ?, attempts = ? WHERE id = ?",
                (now + self._lease, self.consumer, attempts + 1, row_id),
            )
            try:
                claims.append(Claim(Job.from_json(data), str(row_id), attempts + 1))
            except (ValueError, TypeError):
                db.execute("DELETE FROM jobs WHERE id = ?", (row_id,))
        return claims

    async def renew(self, claim: Claim) -> bool:
        def op(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "UPDATE jobs SET lease_until = ? WHERE id = ? AND owner = ?",
                (self._clock() + self._lease, int(claim.token), self.consumer),
            )
            return cursor.rowcount > 0

        return await self._run(op)

    async def ack(self, claim: Claim) -> None:
        def op(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM jobs WHERE id = ?", (int(claim.token),))
            db.execute(
                "DELETE FROM job_marks WHERE ns = ? AND job = ?", (self.namespace, claim.job.id)
            )

        await self._run(op)

    async def dead_letter(self, claim: Claim, reason: str) -> None:
        def op(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO dead_jobs (ns, data, reason, attempts, at) VALUES (?, ?, ?, ?, ?)",
                (self.namespace, claim.job.to_json(), reason, claim.attempts, self._clock()),
            )
            db.execute("DELETE FROM jobs WHERE id = ?", (int(claim.token),))
            db.execute(
                "DELETE FROM job_marks WHERE ns = ? AND job = ?", (self.namespace, claim.job.id)
            )

        await self._run(op)

    async def first_delivery(self, keys: tuple[str, ...], job_id: str, ttl_seconds: int) -> bool:
        return await self._run(lambda db: self._first_delivery(db, keys, job_id, ttl_seconds))

    def _first_delivery(
        self, db: sqlite3.Connection, keys: tuple[str, ...], job_id: str, ttl_seconds: int
    ) -> bool:
        now, fresh = self._clock(), True
        if keys and now >= self._next_purge:
            self._next_purge = now + PURGE_EVERY_SECONDS
            db.execute("DELETE FROM job_deliveries WHERE expires_at <= ?", (now,))
        for key in keys:
            row = db.execute(
                "SELECT job FROM job_deliveries WHERE ns = ? AND key = ? AND expires_at > ?",
                (self.namespace, key, now),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT OR REPLACE INTO job_deliveries (ns, key, job, expires_at)"
                    " VALUES (?, ?, ?, ?)",
                    (self.namespace, key, job_id, now + ttl_seconds),
                )
            elif row[0] != job_id:
                fresh = False
        return fresh

    async def marks(self, job_id: str) -> dict[str, str]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT name, value FROM job_marks WHERE ns = ? AND job = ?",
                (self.namespace, job_id),
            ).fetchall()
        )
        return {name: value for name, value in rows}

    async def mark(self, job_id: str, name: str, value: str) -> None:
        await self._run(
            lambda db: db.execute(
                "INSERT INTO job_marks (ns, job, name, value) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (ns, job, name) DO UPDATE SET value = excluded.value",
                (self.namespace, job_id, name, value),
            )
        )

    async def stats(self) -> tuple[int, float]:
        depth, oldest = await self._run(
            lambda db: db.execute(
                "SELECT COUNT(*), MIN(accepted_at) FROM jobs WHERE ns = ?", (self.namespace,)
            ).fetchone()
        )
        return int(depth), max(0.0, self._clock() - oldest) if oldest is not None else 0.0

    async def dead_letters(self) -> list[dict[str, str]]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT data, reason, attempts FROM dead_jobs WHERE ns = ? ORDER BY id",
                (self.namespace,),
            ).fetchall()
        )
        return [{"job": d, "reason": r, "attempts": str(n)} for d, r, n in rows]

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(executor, self._disconnect)
            executor.shutdown(wait=False)

    async def _run(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """`op` in one IMMEDIATE transaction on the queue's worker thread."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-jobs")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._transaction, op)
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite jobs at {self.path} failed: {exc}") from exc

    def _transaction(self, op: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            self._conn = self._connect()
        db = self._conn
        db.execute("BEGIN IMMEDIATE")
        try:
            result = op(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return result

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        db.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                db.execute("PRAGMA journal_mode = WAL")
                for statement in _SCHEMA:
                    db.execute(statement)
                return db
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    db.close()
                    raise
                time.sleep(0.01)  # on the queue's worker thread, never the event loop

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
