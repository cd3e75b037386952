"""Shared fixtures: a clean environment for every test, the real knowledge base, the real Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.core.retrieval import LexicalIndex
from bot.core.triage.engine import PHRASES_FILE
from bot.settings import PROJECT_ROOT, Settings, load_settings
from tests.support.fake_openai import FakeOpenAI

# Captured before the autouse fixture clears the environment: `make test` exports it.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
_SETTINGS_VARS = {name.upper() for name in Settings.model_fields}


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test depends on the developer's shell: every variable the bot reads is removed."""
    for name in list(os.environ):
        if name in _SETTINGS_VARS or name.startswith(
            ("OPENAI_", "AZURE_OPENAI_", "SLACK_", "MICROSOFT_")
        ):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge(PROJECT_ROOT / "knowledge")


@pytest.fixture(scope="session")
def index(knowledge: KnowledgeBase) -> LexicalIndex:
    return LexicalIndex(knowledge)


@pytest.fixture(scope="session")
def phrases_path() -> Path:
    """The phrase file the offline engine reads (`PROMPTS_DIR/offline_phrases.yaml`)."""
    return PROJECT_ROOT / "prompts" / PHRASES_FILE


@pytest.fixture
def redis_url() -> str:
    return REDIS_TEST_URL


@pytest.fixture
def namespace() -> str:
    """A key namespace of its own for each test, so tests never see each other's keys."""
    return f"rag-or-ft-test:{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_settings(tmp_path: Path) -> Iterator[object]:
    def _make(**overrides: object) -> Settings:
        overrides.setdefault("state_path", tmp_path / "state.db")
        return load_settings(env_file=None, **overrides)

    yield _make


@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    """The OpenAI-compatible stand-in (tests/support/fake_openai.py), failing unless scripted."""
    server = FakeOpenAI()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
