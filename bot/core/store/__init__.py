"""Conversation state: Redis when `REDIS_URL` is set, otherwise an embedded SQLite file."""

from bot.core.store.base import KEY_PREFIX, Feedback, Store
from bot.core.store.common import LockTimeoutError
from bot.core.store.factory import open_store
from bot.core.store.memory_store import MemoryStore
from bot.core.store.redis_store import RedisStore
from bot.core.store.resilient import ResilientStore
from bot.core.store.sqlite_store import SqliteStore

__all__ = [
    "KEY_PREFIX",
    "Feedback",
    "LockTimeoutError",
    "MemoryStore",
    "RedisStore",
    "ResilientStore",
    "SqliteStore",
    "Store",
    "open_store",
]
