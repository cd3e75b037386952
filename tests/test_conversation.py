"""The conversation core both adapters call: which messages are heard, de-duplication, help,
ratings and the apology — over the in-memory store, with the observer recording what it is told."""

from __future__ import annotations

import logging

import pytest

from bot.core.conversation import (
    Accepted,
    Conversations,
    Help,
    Ignored,
    Rating,
    Said,
    is_help,
)
from bot.core.service import TriageService
from bot.core.store.memory_store import MemoryStore
from bot.core.types import Answer, Incoming
from bot.messages import CORE_TEXTS
from tests.test_service import RecordingEngine

THREAD = "slack:T1:C1:1.0"


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def answered(self, incoming: Incoming, answer: Answer, seconds: float) -> None:
        self.events.append(("answered", incoming.platform))

    def rate_limited(self, incoming: Incoming) -> None:
        self.events.append(("rate_limited", incoming.platform))

    def duplicate(self, platform: str, what: str) -> None:
        self.events.append(("duplicate", platform, what))

    def rated(self, platform: str, rating: str, verdict: str, thread: str | None) -> None:
        self.events.append(("rated", platform, rating, verdict))


def core() -> tuple[Conversations, MemoryStore, Recorder]:
    store, observer = MemoryStore(), Recorder()
    service = TriageService(RecordingEngine(), store, texts=CORE_TEXTS, observer=observer)
    return Conversations(service, store, texts=CORE_TEXTS, observer=observer), store, observer


def said(text: str, *keys: str, addressed: bool = True) -> Said:
    return Said("slack", THREAD, "U1", text, deliveries=keys, addressed=addressed)


def test_help_words_are_one_set_for_both_platforms() -> None:
    assert all(is_help(w) for w in [" Help ", "help!", "/help", "usage.", "?", "-h", "--help"])
    assert not is_help("help me build a bot") and not is_help("")


async def test_a_delivery_is_heard_once_and_counted_as_a_duplicate_after() -> None:
    conversations, _, observer = core()
    assert isinstance(await conversations.hear(said("a bot", "ev1", "msg1")), Accepted)
    assert await conversations.hear(said("a bot", "ev2", "msg1")) == Ignored("duplicate")
    assert observer.events == [("duplicate", "slack", "message")]


async def test_an_unaddressed_message_is_heard_only_in_a_thread_the_bot_answered() -> None:
    conversations, _, _ = core()
    assert await conversations.hear(said("more", addressed=False)) == Ignored("not ours")
    await conversations.answer(said("a support bot over our wiki"))
    assert isinstance(await conversations.hear(said("more", addressed=False)), Accepted)


async def test_help_and_empty_are_told_apart_and_not_answered() -> None:
    conversations, _, observer = core()
    assert await conversations.hear(said("help")) == Help(empty=False)
    assert await conversations.hear(said("   ")) == Help(empty=True)
    assert observer.events == []


async def test_a_rating_counts_once_and_defaults_to_the_threads_latest_verdict() -> None:
    conversations, store, observer = core()
    await conversations.answer(said("a support bot over our wiki"))
    vote = Rating("teams", THREAD, "U1", "down", comment="x" * 5000, once="vote:1")
    assert await conversations.rate(vote) is True
    assert await conversations.rate(vote) is False
    [stored] = await store.recent_feedback()
    assert (stored.verdict, stored.rating, len(stored.comment)) == ("rag", "down", 2000)
    assert observer.events[-1] == ("rated", "teams", "down", "rag")


def test_the_apology_names_the_reference_it_logged(caplog: pytest.LogCaptureFixture) -> None:
    conversations, _, _ = core()
    try:
        raise RuntimeError("secret detail")
    except RuntimeError:
        text = conversations.apology(logging.getLogger("tests.core"), "it failed", channel="C1")
    [record] = caplog.records
    assert text == CORE_TEXTS.apology.format(ref=record.__dict__["ref"])
    assert "secret detail" not in text and record.exc_info is not None


async def test_a_scopes_week_counts_its_answers_by_verdict_and_each_vote_once() -> None:
    conversations, _, _ = core()
    mine, theirs = "slack:T1", "slack:T2"
    for text in ("one", "two"):
        await conversations.answer(Said("slack", THREAD, "U1", text, scope=mine))
    await conversations.answer(Said("slack", "slack:T2:C1:1.0", "U1", "x", scope=theirs))
    await conversations.answer(Said("cli", None, "U1", "not counted"))
    vote = Rating("slack", THREAD, "U2", "up", "rag", once="vote-1", scope=mine)
    assert await conversations.rate(vote) and not await conversations.rate(vote)
    await conversations.rate(Rating("slack", THREAD, "U3", "down", "rag", scope=mine))

    week = await conversations.week(mine)
    assert week.verdicts == {"rag": 2} and week.answers == 2  # RecordingEngine says rag
    assert (week.up, week.down) == (1, 1)
    assert (await conversations.week(theirs)).answers == 1
    assert (await conversations.week("slack:T9")).answers == 0


async def test_a_note_is_new_once_and_then_remembered() -> None:
    conversations, _, _ = core()
    assert await conversations.noted("slack:T1") == frozenset()
    assert await conversations.note("slack:T1", "refused:status", 60) is True
    assert await conversations.note("slack:T1", "refused:status", 60) is False
    assert await conversations.noted("slack:T1") == {"refused:status"}
    assert await conversations.noted("slack:T2") == frozenset()
