"""The word model: a model over the words of the labelled cases, fitted deterministically, whose
out-of-fold probabilities never come from a model that saw the case's batch."""

from __future__ import annotations

import numpy as np

from bot.core.triage.wordmodel import VERDICTS, WordModel, fold, log_odds, out_of_fold
from bot.core.types import Verdict

DOCS = [
    "answers must cite the policy pages, which change every week",
    "staff ask about the policy handbook and the answers must link the page",
    "our product docs change weekly and every answer must cite them",
]
TONE = [
    "the replies never sound like our agents and ignore the house style",
    "drafts ramble and miss the house style our editors use",
    "summaries ignore the house template and sound like a brochure",
]


def _fitted() -> WordModel:
    return WordModel.fit(DOCS + TONE, [Verdict.RAG] * 3 + [Verdict.FINE_TUNING] * 3)


def test_fitting_is_deterministic_and_learns_which_words_go_with_which_verdict() -> None:
    first, second = _fitted(), _fitted()
    assert np.array_equal(first.weights, second.weights)
    p = first.probabilities(["the answers must cite the docs", "it ignores our house style"])
    assert p.shape == (2, len(VERDICTS))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert VERDICTS[int(p[0].argmax())] is Verdict.RAG
    assert VERDICTS[int(p[1].argmax())] is Verdict.FINE_TUNING


def test_words_seen_in_one_case_only_are_not_features() -> None:
    word_model = _fitted()
    assert "house style" in word_model.vocabulary and "cite" in word_model.vocabulary
    assert "brochure" not in word_model.vocabulary  # in one case only
    # A text of unknown words gets the bias alone: the verdicts' base rates, not a guess.
    unknown = word_model.probabilities(["zebra quantum"])[0]
    base = np.exp(word_model.bias) / np.exp(word_model.bias).sum()
    assert np.allclose(unknown, base)


def test_explain_names_the_words_of_the_text_that_leaned_most() -> None:
    word_model = _fitted()
    named = word_model.explain("it ignores our house style", Verdict.FINE_TUNING, Verdict.RAG)
    assert named and all(n.startswith('"') for n in named)
    assert any('"house style"' in n or '"house"' in n for n in named)
    assert all(n.split('"')[1] in "it ignores our house style" for n in named)
    assert word_model.explain("it ignores our house style", Verdict.RAG, Verdict.RAG) == []


def test_out_of_fold_probabilities_come_from_a_model_that_never_saw_the_batch() -> None:
    # Two batches in different folds, each all one verdict, in words of their own: a model
    # that never saw a batch cannot know its words, so it leans to the other batch's verdict.
    a, b = "alpha", next(p for p in ("beta", "gamma", "delta", "omega") if fold(p) != fold("alpha"))
    texts = ["cite the docs weekly"] * 3 + ["house style replies"] * 3
    verdicts = [Verdict.RAG] * 3 + [Verdict.FINE_TUNING] * 3
    ids = [f"{a}-{i}" for i in range(3)] + [f"{b}-{i}" for i in range(3)]
    assert len({fold(i) for i in ids[:3]}) == 1, "a batch falls in one fold"
    held = out_of_fold(texts, verdicts, ids)
    assert all(VERDICTS[int(row.argmax())] is Verdict.FINE_TUNING for row in held[:3])
    assert all(VERDICTS[int(row.argmax())] is Verdict.RAG for row in held[3:])
    seen = WordModel.fit(texts, verdicts).probabilities(texts[:1])[0]
    assert VERDICTS[int(seen.argmax())] is Verdict.RAG


def test_one_batch_alone_gets_even_odds_and_log_odds_are_floored() -> None:
    held = out_of_fold(DOCS, [Verdict.RAG] * 3, ["solo-1", "solo-2", "solo-3"])
    assert np.allclose(held, 1 / len(VERDICTS))
    assert np.isfinite(log_odds(np.array([0.0, 1.0]))).all()
