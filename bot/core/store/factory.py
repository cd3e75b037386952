"""Open the state store its caller asks for, wrapped so an outage never silences the bot."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from bot.core.store.base import Store
from bot.core.store.common import DEFAULT_LOCK_LEASE_SECONDS
from bot.core.store.redis_store import RedisStore
from bot.core.store.resilient import ResilientStore
from bot.core.store.sqlite_store import SqliteStore

log = logging.getLogger("bot.core.store")


async def open_store(
    *,
    redis_url: str | None,
    state_file: Path,
    ttl_seconds: int,
    max_turns: int,
    redis_timeout_seconds: float = 0.5,
    lock_lease_seconds: float = DEFAULT_LOCK_LEASE_SECONDS,
    on_error: Callable[[], None] | None = None,
) -> ResilientStore:
    """Redis when `redis_url` is set (`REDIS_URL`), else the embedded SQLite file at
    `state_file`; pings once, so a store that is down at start-up is reported (one warning)
    before the first message rather than during it. The bot starts either way.
    `lock_lease_seconds`: how long a thread stays locked by a process that died holding it."""
    inner: Store
    if redis_url:
        inner = RedisStore(
            redis_url,
            ttl_seconds=ttl_seconds,
            max_turns=max_turns,
            timeout_seconds=redis_timeout_seconds,
            lock_lease_seconds=lock_lease_seconds,
        )
        log.info("state store: redis at %s", redacted_url(redis_url))
    else:
        inner = SqliteStore(
            state_file,
            ttl_seconds=ttl_seconds,
            max_turns=max_turns,
            lock_lease_seconds=lock_lease_seconds,
        )
        log.info(
            "state store: embedded sqlite at %s"
            " (single machine only; set REDIS_URL to share state)",
            state_file,
        )
    store = ResilientStore(inner, log, on_error=on_error)
    await store.ping()
    return store


def redacted_url(url: str) -> str:
    """`redis://host:port/db` with user name, password and query dropped (safe to log)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    db = parts.path.strip("/") or "0"
    return f"{parts.scheme}://{parts.hostname or 'localhost'}:{parts.port or 6379}/{db}"
