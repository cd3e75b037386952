"""Conversation state: Redis when `REDIS_URL` is set, otherwise an embedded SQLite file."""

from bot.core.store.base import KEY_PREFIX, Feedback, Store

__all__ = ["KEY_PREFIX", "Feedback", "Store"]
