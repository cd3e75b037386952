"""Clause splitting and negation scope: what a "not" reaches, and what it doesn't."""

from __future__ import annotations

import pytest

from bot.core.triage.text import clauses, negated, normalize


def _negated(text: str, target: str) -> bool:
    """Whether `target` is negated in the clause of `text` that contains it."""
    for clause in clauses(normalize(text)):
        at = clause.text.find(target)
        if at >= 0:
            return negated(clause.text, at, at + len(target))
    raise AssertionError(f"{target!r} not found in {text!r}")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("the data never changes", "changes"),
        ("we don't need citations", "citations"),
        ("no need for a special tone", "tone"),
        ("it's not about format", "format"),
        ("We don't really have any labelled data", "labelled"),
        ("citations are not needed", "citations"),
        ("tone doesn't matter", "tone"),
        ("format is irrelevant for us", "format"),
        ("the handbook changes rarely", "changes"),
        ("actually, forget citations", "citations"),
        ("we want short answers instead of a long report format", "format"),
        ("Tone: neutral", "tone"),
        ("Non-goals: custom writing style", "style"),
        ("we don't need it to sound like our brand", "sound like our brand"),
        ("the letter template requirement has been dropped", "template"),
    ],
)
def test_negation_reaches_the_need(text: str, target: str) -> None:
    assert _negated(text, target)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("we don't want to retrain every time prices change", "change"),
        ("the data doesn't change and we need citations", "citations"),
        ("the data never changes, but answers must cite the source", "cite"),
        ("it doesn't follow our template", "template"),
        ("the base model doesn't understand our abbreviations", "abbreviations"),
        ("prompting didn't get the voice right", "voice"),
        ("not only citations but also tone", "citations"),
        ("no matter what, answers must include citations", "citations"),
        ("we need citations", "citations"),
        # a failure verb right after the negation is a complaint: the need is there, unmet
        ("the replies don't sound like our agents", "sound like our agents"),
        ("it doesn't really follow our template", "follow our template"),
        ("the prompt doesn't transfer to the small model", "small model"),
        # what makes the output worthless is a need
        ("a letter that doesn't cite the exact current clause is basically useless", "cite"),
        ("an answer without a source is worthless to our auditors", "source"),
    ],
)
def test_negation_stops_at_its_scope(text: str, target: str) -> None:
    assert not _negated(text, target)


def test_clauses_split_on_punctuation_and_contrast_but_keep_numbers() -> None:
    text = normalize("40,000 SKUs; prices change monthly, but tone matters")
    parts = [c.text for c in clauses(text)]
    assert parts == ["40000 skus", "prices change monthly", "tone matters"]


def test_normalize_strips_slack_markup() -> None:
    text = normalize("<@U123> *Bold* see <https://x.example/a|our wiki> — thanks")
    assert "u123" not in text and "our wiki" in text and "*" not in text
