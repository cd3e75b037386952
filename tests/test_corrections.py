"""A person corrects the reading (issue 16): their facts win over the readers, are thread state,
count as a turn, and a later message in words still wins over an older fact.

The real offline engine over the in-memory store, through the conversation core both adapters
call; the Slack and Teams round trips over HTTP are in tests/slack and tests/teams."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.conversation import Conversations, Correction, Ignored, Said
from bot.core.jobs import Job
from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import LexicalIndex
from bot.core.service import TriageService
from bot.core.store.memory_store import MemoryStore
from bot.core.triage import OfflineEngine
from bot.core.types import Answer, Verdict
from bot.messages import CORE_TEXTS
from tests.test_conversation import Recorder

THREAD = "slack:T1:C1:1.0"
PROJECT = "Support bot over 3,000 help articles that change weekly; answers must cite the source."


@pytest.fixture
def core(knowledge: KnowledgeBase, index: LexicalIndex, phrases_path: Path) -> Conversations:
    store, observer = MemoryStore(), Recorder()
    engine = OfflineEngine(knowledge, index, phrases_path)
    service = TriageService(engine, store, texts=CORE_TEXTS, observer=observer)
    return Conversations(service, store, texts=CORE_TEXTS, observer=observer)


def states(answer: Answer) -> dict[str, tuple[str, str]]:
    return {r.dimension: (r.state, r.source) for r in answer.reading}


def correction(
    chosen: dict[str, str], shown: dict[str, str], once: str | None = "v1"
) -> Correction:
    return Correction("slack", THREAD, "U1", chosen, shown, once=once)  # type: ignore[arg-type]


async def first(core: Conversations) -> Answer:
    answer = await core.answer(Said("slack", THREAD, "U1", PROJECT))
    assert isinstance(answer, Answer) and answer.verdict is Verdict.RAG
    return answer


async def test_a_correction_is_a_turn_whose_facts_flip_the_verdict(core: Conversations) -> None:
    before = await first(core)
    shown = {d: s for d, (s, _) in states(before).items()}
    answer = await core.correct(correction({**shown, "format": "yes", "style": "yes"}, shown))
    assert isinstance(answer, Answer)
    assert answer.verdict is Verdict.BOTH and answer.turn == 2 and answer.thread == THREAD
    read = states(answer)
    assert read["format"] == ("yes", "user") and read["style"] == ("yes", "user")
    assert read["changing"] == ("yes", "reader")  # unchanged on the form: still the reader's
    # Every reason rests on the user: their words, or what they set (never borrowed words).
    assert all(r.evidence or r.set_by_user for r in answer.reasons)
    by_form = [r for r in answer.reasons if r.set_by_user]
    assert by_form and all(not r.evidence for r in by_form)
    assert {d for r in by_form for d in r.set_by_user} <= {"format", "style"}
    turns = await core.store.load_turns(THREAD)
    assert [(t.role, t.kind) for t in turns][-2:] == [("user", "correction"), ("bot", "message")]
    assert {f.dimension for f in turns[-1].facts} == {"format", "style"}


async def test_a_retried_submission_is_answered_once(core: Conversations) -> None:
    before = await first(core)
    shown = {d: s for d, (s, _) in states(before).items()}
    chosen = {**shown, "changing": "no"}
    assert isinstance(await core.correct(correction(chosen, shown)), Answer)
    assert await core.correct(correction(chosen, shown)) == Ignored("duplicate")
    assert len(await core.store.load_turns(THREAD)) == 4


async def test_facts_hold_over_follow_ups_until_words_restate_them(core: Conversations) -> None:
    before = await first(core)
    shown = {d: s for d, (s, _) in states(before).items()}
    await core.correct(correction({**shown, "changing": "no", "format": "yes"}, shown))

    later = await core.answer(Said("slack", THREAD, "U1", "Answers go to customers by email."))
    assert isinstance(later, Answer) and later.turn == 3
    assert states(later)["changing"] == ("no", "user")  # a message about something else

    words = await core.answer(Said("slack", THREAD, "U1", "actually the articles change daily"))
    assert isinstance(words, Answer) and words.turn == 4
    read = states(words)
    assert read["changing"] == ("yes", "reader")  # the newest statement wins, in words
    assert read["format"] == ("yes", "user")  # the other fact stands
    turns = await core.store.load_turns(THREAD)
    assert {f.dimension for f in turns[-1].facts} == {"format"}


async def test_not_said_on_the_form_unsets_what_a_reader_read(core: Conversations) -> None:
    before = await first(core)
    shown = {d: s for d, (s, _) in states(before).items()}
    answer = await core.correct(correction({**shown, "citations": "unknown"}, shown))
    assert isinstance(answer, Answer)
    assert states(answer)["citations"] == ("unknown", "user")
    assert "cite" not in " ".join(r.text for r in answer.reasons).lower()


async def test_forget_drops_the_facts_with_the_thread(core: Conversations) -> None:
    before = await first(core)
    shown = {d: s for d, (s, _) in states(before).items()}
    await core.correct(correction({**shown, "format": "yes"}, shown))
    assert await core.store.forget(THREAD)
    again = await core.answer(Said("slack", THREAD, "U1", PROJECT))
    assert isinstance(again, Answer) and again.turn == 1
    assert states(again)["format"] == ("unknown", "reader")


async def test_a_correction_travels_as_a_job_and_is_answered_from_it(core: Conversations) -> None:
    await first(core)
    submitted = Correction(
        "slack", THREAD, "U1", {"format": "yes"}, {"format": "unknown"}, once="v9", scope="slack:T1"
    )
    job = Job.from_json(submitted.job({"channel": "C1", "root": "1.0"}).to_json())
    assert job.kind == "correction" and job.deliveries == ("v9",)
    assert job.reply == {"channel": "C1", "root": "1.0"}
    taken = Correction.of_job(job)
    assert taken.changes == {"format": "yes"} and taken.scope == "slack:T1"
    assert taken.once is None  # the queue de-duplicated it by the job's delivery key
    answer = await core.correct(taken)
    assert isinstance(answer, Answer) and states(answer)["format"] == ("yes", "user")


def test_a_job_that_is_not_a_correction_is_refused() -> None:
    with pytest.raises(ValueError):
        Correction.of_job(Job("slack", "message", THREAD, "U1", "text"))
    broken = Job("slack", "correction", THREAD, "U1", "", data={"chosen": "yes"})
    with pytest.raises(ValueError):
        Correction.of_job(broken)
