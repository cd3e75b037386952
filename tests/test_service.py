"""TriageService: whole-thread answers, turn counting, ordering, rate limit, oversized text."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.core.service import RateLimited, TriageService
from bot.core.store.memory_store import MemoryStore
from bot.core.types import Answer, Fact, Incoming, ReadingItem, Reason, Span, Verdict
from bot.messages import CORE_TEXTS


class RecordingEngine:
    """Answers `rag` and remembers exactly what the service passed in."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        self.calls.append(list(messages))
        await asyncio.sleep(0)  # yield, so concurrent turns really interleave
        return Answer(
            verdict=Verdict.RAG, confidence=0.8, summary=f"seen {len(messages)}",
            reasons=[], citations=[],
        )  # fmt: skip


def incoming(text: str, thread: str | None = "slack:T1:C1:1.0", user: str = "U1") -> Incoming:
    return Incoming(thread, user, text, platform="slack")


async def test_each_turn_sees_the_whole_thread() -> None:
    engine = RecordingEngine()
    service = TriageService(engine, MemoryStore(), texts=CORE_TEXTS)
    first = await service.handle(incoming("docs change weekly"))
    second = await service.handle(incoming("and we need our JSON format"))
    assert isinstance(first, Answer) and isinstance(second, Answer)
    assert (first.turn, second.turn) == (1, 2)
    assert second.thread == "slack:T1:C1:1.0"
    assert engine.calls == [
        ["docs change weekly"],
        ["docs change weekly", "and we need our JSON format"],
    ]


async def test_threads_are_isolated_and_unthreaded_messages_stand_alone() -> None:
    engine = RecordingEngine()
    service = TriageService(engine, MemoryStore(), texts=CORE_TEXTS)
    await service.handle(incoming("a", thread="t1"))
    other = await service.handle(incoming("b", thread="t2"))
    alone = await service.handle(incoming("c", thread=None))
    assert isinstance(other, Answer) and isinstance(alone, Answer)
    assert (other.turn, alone.turn, alone.thread) == (1, 1, None)
    assert engine.calls[-2:] == [["b"], ["c"]]


async def test_concurrent_follow_ups_are_answered_in_order_and_none_lost() -> None:
    engine = RecordingEngine()
    store = MemoryStore()
    service = TriageService(engine, store, texts=CORE_TEXTS, rate_limit_per_minute=0)
    results = await asyncio.gather(*(service.handle(incoming(f"m{i}")) for i in range(20)))
    turns = sorted(r.turn for r in results if isinstance(r, Answer))
    assert turns == list(range(1, 21))
    stored = [t.text for t in await store.load_turns("slack:T1:C1:1.0") if t.role == "user"]
    assert sorted(stored) == sorted(f"m{i}" for i in range(20))
    assert [len(call) for call in engine.calls] == list(range(1, 21))


async def test_turn_number_survives_the_cap() -> None:
    service = TriageService(
        RecordingEngine(), MemoryStore(max_turns=4), texts=CORE_TEXTS, rate_limit_per_minute=0
    )
    last = None
    for i in range(6):
        last = await service.handle(incoming(f"m{i}"))
    assert isinstance(last, Answer) and last.turn == 6


async def test_rate_limit_is_per_user_and_polite() -> None:
    service = TriageService(
        RecordingEngine(), MemoryStore(), texts=CORE_TEXTS, rate_limit_per_minute=2
    )
    outcomes = [await service.handle(incoming("x", user="U1")) for _ in range(3)]
    assert isinstance(outcomes[2], RateLimited)
    assert "wait" in outcomes[2].text and outcomes[2].retry_after == 60
    assert isinstance(await service.handle(incoming("x", user="U2")), Answer)


async def test_oversized_message_is_read_in_part_with_a_notice() -> None:
    engine = RecordingEngine()
    service = TriageService(engine, MemoryStore(), texts=CORE_TEXTS, max_message_chars=100)
    answer = await service.handle(incoming("w" * 5000))
    assert isinstance(answer, Answer)
    assert len(engine.calls[0][-1]) == 100
    assert answer.notice is not None and "5,000" in answer.notice and "100" in answer.notice


class EvidenceEngine:
    """Cites the first and the newest message it was given, by their position (1..n)."""

    name = "fake"

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        spans = [Span(turn=1, text=messages[0]), Span(turn=len(messages), text=messages[-1])]
        return Answer(
            verdict=Verdict.RAG, confidence=0.8, summary="s",
            reasons=[Reason(text="r", citations=[], evidence=spans)], citations=[],
            reading=[ReadingItem(dimension="changing", side="knowledge", state="yes",
                                 evidence=spans[:1])],
        )  # fmt: skip


async def test_evidence_names_thread_turns_once_old_turns_are_capped() -> None:
    service = TriageService(EvidenceEngine(), MemoryStore(max_turns=4), texts=CORE_TEXTS)
    for n in range(1, 5):
        await service.handle(incoming(f"message {n}"))
    answer = await service.handle(incoming("message 5"))
    assert isinstance(answer, Answer) and answer.turn == 5
    spans = answer.reasons[0].evidence
    # the store kept the first and the newest user turns; the engine saw three messages as 1..3
    first_seen = int(spans[0].text.split()[-1])
    assert [s.turn for s in spans] == [first_seen, 5]
    assert answer.reading[0].evidence[0].turn == first_seen


async def test_the_project_description_outlives_the_turn_cap() -> None:
    """MAX_TURNS counts bot turns too: the first message used to go after MAX_TURNS / 2."""
    engine = RecordingEngine()
    service = TriageService(engine, MemoryStore(max_turns=4), texts=CORE_TEXTS)
    for text in ["the project", "one", "two", "three", "four"]:
        answer = await service.handle(incoming(text))
    assert isinstance(answer, Answer) and answer.turn == 5
    assert engine.calls[-1] == ["the project", "three", "four"]
