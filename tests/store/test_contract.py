"""The `Store` contract, run against MemoryStore, SqliteStore and RedisStore alike."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.store.base import Feedback
from bot.core.types import Fact, Turn
from tests.store.conftest import Harness


def user(text: str, **kw: object) -> Turn:
    return Turn(role="user", text=text, user="U1", at=1_700_000_000.5, **kw)  # type: ignore[arg-type]


async def test_turns_round_trip_oldest_first_and_threads_are_isolated(harness: Harness) -> None:
    store = harness.make()
    a1, a2 = (
        user("first — ünïcode ✓", number=7),
        Turn(role="bot", text="rag", verdict="rag", citation_ids=("c1", "c2"), at=1.25),
    )
    b1 = user("other thread")

    assert await store.append_turns("slack:T1:C1:1.0", [a1, a2]) == 2
    assert await store.append_turns("slack:T1:C1:2.0", [b1]) == 1

    assert await store.load_turns("slack:T1:C1:1.0") == [a1, a2]
    assert await store.load_turns("slack:T1:C1:2.0") == [b1]
    assert await store.load_turns("never-seen") == []


async def test_append_keeps_the_first_and_the_newest_max_turns(harness: Harness) -> None:
    """The first turn is the project description every follow-up is read against: with
    MAX_TURNS counting bot turns too, it was evicted after MAX_TURNS / 2 follow-ups."""
    store = harness.make(max_turns=3)
    counts = [await store.append_turns("t", [user(str(i))]) for i in range(5)]
    assert counts == [1, 2, 3, 3, 3]
    assert [t.text for t in await store.load_turns("t")] == ["0", "3", "4"]

    assert await store.append_turns("t", [user(str(i)) for i in range(5, 10)]) == 3
    assert [t.text for t in await store.load_turns("t")] == ["0", "8", "9"]
    assert await store.append_turns("t", []) == 3
    assert await store.append_turns("u", [user(str(i)) for i in range(10)]) == 3
    assert [t.text for t in await store.load_turns("u")] == ["0", "8", "9"]


async def test_ttl_is_set_and_refreshed_by_every_append(harness: Harness) -> None:
    store = harness.make(ttl_seconds=100)
    await store.append_turns("t", [user("one")])
    await store.append_turns("other", [user("x")])

    await harness.advance(90)
    assert len(await store.load_turns("t")) == 1
    await store.append_turns("t", [user("two")])  # refreshes to a full 100 s

    await harness.advance(90)  # 180 s after the first turn, 90 after the last
    assert [t.text for t in await store.load_turns("t")] == ["one", "two"]
    assert await store.load_turns("other") == []  # never refreshed: gone

    await harness.advance(11)
    assert await store.load_turns("t") == []
    assert await store.append_turns("t", [user("fresh")]) == 1  # starts a new history
    assert [t.text for t in await store.load_turns("t")] == ["fresh"]


async def test_forget_deletes_one_thread(harness: Harness) -> None:
    store = harness.make()
    await store.append_turns("t1", [user("a")])
    await store.append_turns("t2", [user("b")])

    assert await store.forget("t1") is True
    assert await store.forget("t1") is False
    assert await store.forget("unknown") is False
    assert await store.load_turns("t1") == []
    assert [t.text for t in await store.load_turns("t2")] == ["b"]


async def test_first_time_dedupes_within_its_ttl(harness: Harness) -> None:
    store = harness.make()
    assert await store.first_time("slack:event:Ev1", 60) is True
    assert await store.first_time("slack:event:Ev1", 60) is False
    assert await store.first_time("slack:event:Ev2", 60) is True

    await harness.advance(59)
    assert await store.first_time("slack:event:Ev1", 60) is False
    await harness.advance(2)
    assert await store.first_time("slack:event:Ev1", 60) is True
    assert await store.first_time("slack:event:Ev1", 60) is False


async def test_allow_limits_hits_per_window(harness: Harness) -> None:
    store = harness.make()
    await harness.advance(-(harness.clock.now % 60))  # start at a window boundary
    assert [await store.allow("user:U1", 3, 60) for _ in range(5)] == [True] * 3 + [False] * 2
    assert await store.allow("user:U2", 3, 60) is True

    await harness.advance(60)
    assert await store.allow("user:U1", 3, 60) is True
    assert all([await store.allow("user:U3", 0, 60) for _ in range(5)])  # 0 = no limit


async def test_feedback_is_capped_and_newest_first(harness: Harness) -> None:
    store = harness.make(feedback_cap=5)
    sent = [
        Feedback(
            rating="up" if i % 2 else "down",
            verdict="rag",
            thread=f"t{i}",
            comment=f"c{i}",
            user="U1",
            platform="slack",
            at=1000.0 + i,
        )
        for i in range(8)
    ]
    for fb in sent:
        await store.add_feedback(fb)

    assert await store.recent_feedback() == sent[::-1][:5]
    assert await store.recent_feedback(limit=2) == [sent[7], sent[6]]


async def test_thread_lock_serialises_concurrent_turns_in_arrival_order(harness: Harness) -> None:
    store = harness.make()
    seen: list[int] = []

    async def turn(i: int) -> None:
        async with store.thread_lock("busy"):
            history = await store.load_turns("busy")
            seen.append(len(history))
            await asyncio.sleep(0)  # give every other task the chance to barge in
            await store.append_turns("busy", [user(f"m{i}")])

    await asyncio.gather(*(turn(i) for i in range(20)))

    assert seen == list(range(20))  # each turn saw all the earlier ones: none lost
    assert [t.text for t in await store.load_turns("busy")] == [f"m{i}" for i in range(20)]


async def test_thread_lock_is_per_thread_and_released_on_error(harness: Harness) -> None:
    store = harness.make()
    with pytest.raises(RuntimeError):
        async with store.thread_lock("t1"):
            raise RuntimeError("the turn failed")

    async with store.thread_lock("t1"), store.thread_lock("t2"):
        await store.append_turns("t1", [user("still usable")])
    assert len(await store.load_turns("t1")) == 1


async def test_ping_answers(harness: Harness) -> None:
    assert await harness.make().ping() is True


async def test_cancelled_holders_and_waiters_leave_the_thread_free(harness: Harness) -> None:
    store = harness.make()
    holding, release = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with store.thread_lock("t"):
            holding.set()
            await release.wait()

    async def waiter() -> None:
        async with store.thread_lock("t"):
            pytest.fail("entered while the holder held the thread")

    first = asyncio.create_task(holder())
    await holding.wait()
    second = asyncio.create_task(waiter())
    await asyncio.sleep(0)  # the waiter is now queued or polling
    for task in (second, first):
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    async with asyncio.timeout(1):  # a leaked lock would hold the thread for a whole lease
        async with store.thread_lock("t"):
            await store.append_turns("t", [user("free again")])


@pytest.mark.parametrize("harness", ["sqlite", "redis"], indirect=True)
async def test_two_instances_on_one_backend_serialise_one_thread(harness: Harness) -> None:
    """Two processes (two connection pools, two SQLite connections) share one thread safely."""
    stores = [harness.make(), harness.make()]
    seen: list[int] = []

    async def turn(i: int) -> None:
        store = stores[i % 2]
        async with store.thread_lock("shared"):
            seen.append(len(await store.load_turns("shared")))
            await asyncio.sleep(0)
            await store.append_turns("shared", [user(f"{i % 2}:{i}")])

    await asyncio.gather(*(turn(i) for i in range(20)))

    texts = [t.text for t in await stores[0].load_turns("shared")]
    assert sorted(seen) == list(range(20))  # mutual exclusion: no two turns saw the same history
    assert len(texts) == 20
    for instance in ("0", "1"):  # each instance keeps its own arrival order
        mine = [int(t.split(":")[1]) for t in texts if t.startswith(instance + ":")]
        assert mine == sorted(mine)


async def test_facts_and_corrections_round_trip_and_are_forgotten(harness: Harness) -> None:
    """A thread's facts (issue 16) are stored with its turns: same TTL, same `forget`."""
    store = harness.make()
    given = (Fact("changing", "no", 2), Fact("format", "yes", 2))
    await store.append_turns(
        "t",
        [
            user("project"),
            Turn(role="user", text="corrected", number=2, kind="correction", facts=given),
            Turn(role="bot", text="answer", verdict="both", facts=given),
        ],
    )
    correction, answer = (await store.load_turns("t"))[1:]
    assert correction.kind == "correction" and correction.facts == given
    assert answer.facts == given and answer.kind == "message"
    assert await store.forget("t") is True
    assert await store.load_turns("t") == []


async def test_counters_add_up_by_name_across_keys_and_expire(harness: Harness) -> None:
    store = harness.make()
    other = store if harness.kind == "memory" else harness.make()  # a second process
    assert [await store.count("stats:T1:day1", "verdict:rag", 100) for _ in range(2)] == [1, 2]
    assert await other.count("stats:T1:day1", "verdict:rag", 100) == 3
    assert await store.count("stats:T1:day1", "rating:up", 100) == 1
    assert await store.count("stats:T1:day2", "verdict:rag", 50) == 1
    assert await store.count("stats:T2:day1", "verdict:both", 100) == 1

    assert await other.counts(["stats:T1:day1", "stats:T1:day2", "stats:T1:never"]) == {
        "verdict:rag": 4,
        "rating:up": 1,
    }
    assert await store.counts(["stats:T1:day1", "stats:T1:day1"]) == {
        "verdict:rag": 3,
        "rating:up": 1,
    }
    assert await store.counts([]) == {}

    await harness.advance(60)  # day2's counter ran out; day1's did not
    assert await store.counts(["stats:T1:day1", "stats:T1:day2"]) == {
        "verdict:rag": 3,
        "rating:up": 1,
    }
    await harness.advance(50)
    assert await store.counts(["stats:T1:day1"]) == {}
    assert await store.count("stats:T1:day1", "verdict:rag", 100) == 1  # starts again


async def test_a_count_refreshes_the_expiry_of_every_counter_of_its_key(harness: Harness) -> None:
    store = harness.make()
    await store.count("k", "a", 100)
    await harness.advance(90)
    await store.count("k", "b", 100)
    await harness.advance(90)
    assert await store.counts(["k"]) == {"a": 1, "b": 1}
