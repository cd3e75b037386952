"""The checks applied to the model's output before anything reaches a user."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.llm.schema import TriageOutput, clean_prose
from tests.llm.answers import structured


def test_prose_keeps_its_meaning_but_loses_quotes_links_mentions_and_passage_refs() -> None:
    text = clean_prose(
        "Docs change weekly (P1, P3), p95 must stay under 200 ms [P2]; as one guide puts it, "
        '"retrieval beats training for facts" — see https://example.com <!here> @channel',
        300,
    )
    assert text == (
        "Docs change weekly, p95 must stay under 200 ms; as one guide puts it, "
        "retrieval beats training for facts — see [link removed] channel"
    )


def test_short_quoted_terms_stay_quoted() -> None:
    assert clean_prose('Use a "golden" set.', 100) == 'Use a "golden" set.'


@pytest.mark.parametrize(
    "forged",
    [
        "Use RAG [1][2] [9].",
        "Use RAG [^1] [c2] [1-3] [1, 2] [source 4] 【3†source】 ¹.",
        "Use RAG.\n-- Fine-tuning guide, 2024",
        "Use RAG. — Retrieval-Augmented Generation vs Fine-Tuning",
        "Use RAG.\n*Sources*\n[1] knowledge/rag.md\n[2] knowledge/ft.md",
        "Use RAG. **References:** the RAG guide",
        "Use RAG.\n### Further reading\n- the RAG guide",
    ],
)
def test_model_written_markers_and_source_lines_are_removed(forged: str) -> None:
    assert clean_prose(forged, 300) == "Use RAG."


@pytest.mark.parametrize(
    "prose",
    [
        "Use RAG because it's the team's choice; users' data stays put.",
        "We need (1) fresh data and (2) citations — and p95 < 200 ms.",
        "Sources of truth change weekly, so answers must cite sources.",
        "Version 2 [beta] of the API, a 2-3 day job; -5% cost.",
        "Two reasons:\n- data changes\n- answers need citations",
    ],
)
def test_ordinary_prose_is_not_mistaken_for_markers_quotes_or_source_lines(prose: str) -> None:
    assert clean_prose(prose, 300) == " ".join(prose.split())


def test_long_prose_is_cut_at_a_word_boundary() -> None:
    text = clean_prose("alpha beta " * 50, 40)
    assert len(text) <= 40 and text.endswith("…") and "  " not in text


def test_passage_ids_are_read_leniently() -> None:
    out = TriageOutput.model_validate(
        structured(reasons=[{"text": "x", "passage_ids": "[p1], P2; P2 some-doc#03"}])
    )
    assert out.reasons[0].passage_ids == ["P1", "P2", "some-doc#03"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [(-0.3, 0.0), (1.7, 1.0), (float("nan"), 0.5), ("0.65", 0.65)],
)
def test_confidence_is_clamped(given: object, expected: float) -> None:
    assert TriageOutput.model_validate(structured(confidence=given)).confidence == expected


@pytest.mark.parametrize("verdict", ["maybe", "", 3, None])
def test_an_unknown_verdict_is_rejected(verdict: object) -> None:
    with pytest.raises(ValidationError):
        TriageOutput.model_validate(structured(verdict=verdict))
