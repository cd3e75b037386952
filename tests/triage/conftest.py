"""Fixtures for the offline triage engine: one engine per session, and the scenario files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.triage import OfflineEngine

HERE = Path(__file__).parent
SCENARIO_FILES = (
    "dev_scenarios.yaml",
    "dev_scenarios_2.yaml",
    "dev_scenarios_3.yaml",
    "dev_scenarios_4.yaml",
)


def load_scenarios() -> list[dict[str, Any]]:
    """Every development scenario, from both files (ids are unique across them)."""
    cases: list[dict[str, Any]] = []
    for name in SCENARIO_FILES:
        cases += yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return cases


@pytest.fixture(scope="session")
def engine(knowledge: KnowledgeBase, index: LexicalIndex, phrases_path: Path) -> OfflineEngine:
    return OfflineEngine(knowledge, index, phrases_path)
