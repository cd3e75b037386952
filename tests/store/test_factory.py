"""The store the settings ask for (`bot.runtime.open_configured_store` over `open_store`): picked
as configured, named in one log line, never leaking a password, always a ResilientStore."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bot.core.store.factory import redacted_url
from bot.runtime import open_configured_store as open_store
from bot.settings import Settings
from tests.support.net import free_port


async def test_without_redis_url_the_embedded_sqlite_file_is_used(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core.store")
    settings = make_settings()
    store = await open_store(settings)
    try:
        assert store.kind == "sqlite" and store.healthy
        assert settings.state_file.exists()
    finally:
        await store.close()
    assert f"state store: embedded sqlite at {settings.state_file}" in caplog.text
    assert "set REDIS_URL to share state" in caplog.text


async def test_with_redis_url_redis_is_used(
    make_settings: Callable[..., Settings], redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core.store")
    store = await open_store(make_settings(redis_url=redis_url))
    try:
        assert store.kind == "redis"
        if not store.healthy:
            pytest.skip(f"no Redis at {redis_url}")
    finally:
        await store.close()
    assert f"state store: redis at {redacted_url(redis_url)}" in caplog.text


async def test_a_store_that_is_down_at_start_up_is_reported_once_and_counted(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[None] = []
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/3"
    settings = make_settings(redis_url=url, redis_timeout_seconds=0.5)
    store = await open_store(settings, on_error=lambda: errors.append(None))
    try:
        assert store.healthy is False and errors == [None]
    finally:
        await store.close()
    assert "hunter2" not in caplog.text
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:s3cret@cache.internal:6380/2", "redis://cache.internal:6380/2"),
        ("rediss://default:s3cret@cache.example.com", "rediss://cache.example.com:6379/0"),
        ("unix://:s3cret@/run/redis.sock?db=1", "unix:///run/redis.sock"),
    ],
)
def test_redacted_url_drops_credentials(url: str, shown: str) -> None:
    assert redacted_url(url) == shown
