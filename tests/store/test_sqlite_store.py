"""What only the embedded store has: a file several processes share, leases as rows, purging."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.core.store.common import LockTimeoutError
from bot.core.store.sqlite_store import SqliteStore
from bot.core.types import Turn
from bot.errors import StoreError
from bot.settings import PROJECT_ROOT
from tests.store.conftest import Harness

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.core.store.sqlite_store import SqliteStore
    from bot.core.types import Turn

    async def main(path: str, namespace: str, name: str) -> None:
        store = SqliteStore(Path(path), namespace=namespace)
        try:
            async with store.thread_lock("shared"):
                before = len(await store.load_turns("shared"))
                await store.append_turns("shared", [Turn(role="user", text=name)])
                print(before)
        finally:
            await store.close()

    asyncio.run(main(*sys.argv[1:]))
    """
)


def make(h: Harness, **options: object) -> SqliteStore:
    store = h.make(**options)
    assert isinstance(store, SqliteStore)
    return store


@pytest.mark.slow
def test_two_processes_append_to_one_thread(tmp_path: Path, namespace: str) -> None:
    path = tmp_path / "nested" / "dir" / "state.db"  # created by whichever child is first
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), namespace, name],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err

    async def read() -> list[str]:
        store = SqliteStore(path, namespace=namespace)
        try:
            return [t.text for t in await store.load_turns("shared")]
        finally:
            await store.close()

    assert sorted(asyncio.run(read())) == ["first", "second"]
    assert sorted(int(out) for out, _ in outputs) == [0, 1]  # one saw the other's turn


async def test_file_is_created_in_wal_mode(sqlite_harness: Harness) -> None:
    store = make(sqlite_harness)
    assert await store.ping() is True
    assert store.path.exists()
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_lease_of_a_crashed_holder_expires(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    store = make(h, lock_wait_seconds=0.05)
    await store.ping()
    with sqlite3.connect(store.path) as db:
        db.execute(
            "INSERT INTO locks (ns, thread, owner, expires_at) VALUES (?, 't', 'dead', ?)",
            (h.namespace, h.clock.now + 15),
        )

    with pytest.raises(LockTimeoutError):
        async with store.thread_lock("t"):
            pytest.fail("entered a lock someone else holds")

    await h.advance(15)
    async with store.thread_lock("t"):
        pass
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM locks").fetchone() == (0,)


async def test_a_lease_whose_release_failed_does_not_hold_the_thread(
    sqlite_harness: Harness,
) -> None:
    """A full disk (here: another connection holding the write lock) makes the release fail;
    the next turn in this process used to wait out the whole lease (12.9 s in the field)."""
    store = make(sqlite_harness, timeout_seconds=0.2, lock_wait_seconds=0.5)
    await store.ping()
    blocker = sqlite3.connect(store.path, isolation_level=None)
    try:
        with pytest.raises(StoreError):
            async with store.thread_lock("t"):
                blocker.execute("BEGIN IMMEDIATE")
        blocker.execute("ROLLBACK")
        with sqlite3.connect(store.path) as db:  # the row is still there, within its lease
            assert db.execute("SELECT COUNT(*) FROM locks").fetchone() == (1,)
        async with store.thread_lock("t"):  # taken over at once: no LockTimeoutError
            pass
        with sqlite3.connect(store.path) as db:
            assert db.execute("SELECT COUNT(*) FROM locks").fetchone() == (0,)
    finally:
        blocker.close()


async def test_namespaces_share_a_file_without_seeing_each_other(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    mine = make(h)
    theirs = SqliteStore(mine.path, namespace="someone-else", clock=h.clock)
    h.stores.append(theirs)
    await mine.append_turns("t", [Turn(role="user", text="mine")])
    assert await theirs.load_turns("t") == []
    assert await theirs.first_time("k", 60) is True
    assert await mine.first_time("k", 60) is True


async def test_expired_rows_are_purged(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    store = make(h, ttl_seconds=60)
    await store.append_turns("old", [Turn(role="user", text="x")])
    await store.first_time("k", 60)
    await h.advance(400)  # past the TTL and the purge interval
    await store.append_turns("new", [Turn(role="user", text="y")])
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT thread FROM turns").fetchall() == [("new",)]
        assert db.execute("SELECT COUNT(*) FROM seen").fetchone() == (0,)


async def test_unusable_path_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    store = SqliteStore(blocker / "state.db")
    try:
        with pytest.raises(StoreError):
            await store.ping()
    finally:
        await store.close()
