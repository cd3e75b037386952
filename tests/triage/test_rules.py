"""Every lexicon rule and computed detector, run on its own example sentences.

The examples live in rules/<dimension>.yaml, one mapping per rule id (sqlfluff's rule fixture
style): `hit` sentences must produce a mention from that rule (optionally with a given
polarity: `{text: ..., polarity: -1}`), `miss` sentences are near misses that must not. A
sentence is read the way the engine reads a message: normalised, split into clauses, and each
clause run through `signals.detect`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.triage import lexicon
from bot.core.triage.signals import Mention, detect
from bot.core.triage.text import clauses, normalize

RULES_DIR = Path(__file__).parent / "rules"
ID_FORMAT = re.compile(r"^[a-z_]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_EXAMPLES = 2


def _load() -> dict[str, dict[str, Any]]:
    """rule id -> its fixture mapping, from every rules/*.yaml (each file one dimension)."""
    fixtures: dict[str, dict[str, Any]] = {}
    for path in sorted(RULES_DIR.glob("*.yaml")):
        for rule_id, cases in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            assert rule_id not in fixtures, f"{rule_id} has fixtures in two files"
            fixtures[rule_id] = {**cases, "_file": path.stem}
    return fixtures


FIXTURES = _load()
CATALOGUE = {info.id: info for info in lexicon.catalogue()}


def _examples(kind: str) -> list[Any]:
    params = []
    for rule_id, cases in FIXTURES.items():
        for example in cases.get(kind) or []:
            text = example["text"] if isinstance(example, dict) else example
            polarity = example.get("polarity") if isinstance(example, dict) else None
            params.append(pytest.param(rule_id, text, polarity, id=f"{rule_id} {kind}: {text}"))
    return params


def _mentions(sentence: str) -> list[Mention]:
    return [m for clause in clauses(normalize(sentence)) for m in detect(clause)]


def _shown(mentions: list[Mention]) -> str:
    return ", ".join(f"{m.rule}({m.polarity:+d}) on {m.clause.text!r}" for m in mentions)


@pytest.mark.parametrize(("rule_id", "text", "polarity"), _examples("hit"))
def test_hit(rule_id: str, text: str, polarity: int | None) -> None:
    mentions = _mentions(text)
    from_rule = [m for m in mentions if m.rule == rule_id]
    assert from_rule, f"{rule_id} did not fire on {text!r}; got: {_shown(mentions) or 'nothing'}"
    if polarity is not None:
        assert any(m.polarity == polarity for m in from_rule), (
            f"{rule_id} fired on {text!r} but not with polarity {polarity:+d}: {_shown(from_rule)}"
        )
    for m in from_rule:
        start, end = m.span
        assert 0 <= start < end <= len(m.clause.text), f"{rule_id}: bad span {m.span}"


@pytest.mark.parametrize(("rule_id", "text", "polarity"), _examples("miss"))
def test_miss(rule_id: str, text: str, polarity: int | None) -> None:
    from_rule = [m for m in _mentions(text) if m.rule == rule_id]
    assert not from_rule, f"{rule_id} fired on the near miss {text!r}: {_shown(from_rule)}"


def test_ids_are_unique_and_well_formed() -> None:
    ids = [info.id for info in lexicon.catalogue()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for info in lexicon.catalogue():
        assert ID_FORMAT.match(info.id), f"{info.id} is not <dimension>.<kebab-slug>"
        assert info.id.startswith(info.dimension + "."), f"{info.id} vs {info.dimension}"


def test_rules_are_in_the_catalogue() -> None:
    assert {r.id for r in lexicon.rules()} <= set(CATALOGUE)


@pytest.mark.parametrize("rule_id", sorted(CATALOGUE))
def test_every_rule_has_fixtures(rule_id: str) -> None:
    cases = FIXTURES.get(rule_id)
    assert cases is not None, f"{rule_id} has no fixtures in {RULES_DIR.name}/"
    assert len(cases.get("hit") or []) >= MIN_EXAMPLES, f"{rule_id}: fewer than 2 hits"
    assert len(cases.get("miss") or []) >= MIN_EXAMPLES, f"{rule_id}: fewer than 2 misses"


def test_every_fixture_names_a_known_rule() -> None:
    unknown = sorted(set(FIXTURES) - set(CATALOGUE))
    assert not unknown, f"fixtures for unknown rules: {unknown}"
    for rule_id, cases in FIXTURES.items():
        assert cases["_file"] == CATALOGUE[rule_id].dimension, (
            f"{rule_id} belongs in {CATALOGUE[rule_id].dimension}.yaml, not {cases['_file']}.yaml"
        )
        assert set(cases) <= {"hit", "miss", "_file"}, f"{rule_id}: unknown keys {set(cases)}"


@pytest.mark.parametrize("rule_id", sorted(CATALOGUE))
def test_description_is_one_line(rule_id: str) -> None:
    description = CATALOGUE[rule_id].description
    assert description.strip(), f"{rule_id} has no description"
    assert "\n" not in description, f"{rule_id}: description is more than one line"
