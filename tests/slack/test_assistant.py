"""Slack's assistant container over real HTTP: greeting and suggested prompts, turns of an
assistant thread with a loading status and a title, and workspaces that refuse the surface."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot import messages
from bot.adapters.slack.keys import thread_key
from bot.core.shorten import shorten
from bot.core.store.memory_store import MemoryStore
from bot.core.store.resilient import ResilientStore
from tests.slack.conftest import PROJECT, Slack, blocks_text
from tests.support import slack_payloads as p
from tests.support.slack_api import TEAM_ID

STATUS = "assistant.threads.setStatus"
PROMPTS = "assistant.threads.setSuggestedPrompts"
TITLE = "assistant.threads.setTitle"
FOLLOW_UP = "Also, every answer must use our support team's tone and a fixed JSON format."


def methods(slack: Slack) -> list[str]:
    return [c.method for c in slack.api.calls]


async def started_thread(slack: Slack) -> str:
    event = p.assistant_thread_started()
    assert await slack.event(event) == 200
    await slack.api.wait_for(PROMPTS)
    await slack.drain()
    return str(event["assistant_thread"]["thread_ts"])


async def test_a_new_assistant_thread_gets_a_greeting_and_three_suggested_prompts(
    slack: Slack,
) -> None:
    event = p.assistant_thread_started()
    assert await slack.event(event, event_id="Ev0ASSIST01") == 200
    assert await slack.event(event, event_id="Ev0ASSIST01", retry_num=1) == 200  # Slack's retry
    [prompts] = await slack.api.wait_for(PROMPTS)
    await slack.drain()
    thread_ts = event["assistant_thread"]["thread_ts"]

    [greeting] = slack.api.of("chat.postMessage")
    assert greeting["channel"] == p.DM_CHANNEL and greeting["thread_ts"] == thread_ts
    assert greeting["text"] == messages.SLACK_ASSISTANT_GREETING
    assert prompts["channel_id"] == p.DM_CHANNEL and prompts["thread_ts"] == thread_ts
    assert prompts["title"] == messages.SLACK_PROMPTS_TITLE
    assert len(prompts["prompts"]) == 3
    assert [(x["title"], x["message"]) for x in prompts["prompts"]] == list(
        messages.EXAMPLE_PROMPTS
    )
    assert methods(slack) == ["auth.test", "chat.postMessage", PROMPTS]


async def test_a_message_in_an_assistant_thread_is_a_turn_with_status_and_title(
    slack: Slack,
) -> None:
    thread_ts = await started_thread(slack)
    before = len(slack.api.calls)
    message = p.assistant_message(PROJECT, thread_ts=thread_ts)
    assert await slack.event(message) == 200
    await slack.api.wait_for(TITLE)
    await slack.drain()

    calls = slack.api.calls[before:]
    assert [c.method for c in calls] == [STATUS, "chat.postMessage", TITLE]
    status, answer, title = calls
    assert status["channel_id"] == p.DM_CHANNEL and status["thread_ts"] == thread_ts
    assert status["status"] == messages.SLACK_STATUS
    assert status["loading_messages"] == list(messages.PROGRESS_STEPS)
    assert status.at <= answer.at
    assert answer["channel"] == p.DM_CHANNEL and answer["thread_ts"] == thread_ts
    assert "RAG" in blocks_text(answer)
    assert title["thread_ts"] == thread_ts
    assert title["title"] == shorten(PROJECT, messages.SLACK_TITLE_LIMIT)
    assert not slack.api.of("reactions.add")  # the status says it; no 👀 needed

    # a follow-up (no mention, as in any DM thread): turn 2, status again, no second title
    await slack.event(p.assistant_message(FOLLOW_UP, thread_ts=thread_ts))
    posts = await slack.api.wait_for("chat.postMessage", count=3)
    await slack.drain()
    assert posts[2]["thread_ts"] == thread_ts and "turn 2" in blocks_text(posts[2])
    assert len(slack.api.of(STATUS)) == 2 and len(slack.api.of(TITLE)) == 1
    turns = await slack.runtime.store.load_turns(thread_key(TEAM_ID, p.DM_CHANNEL, thread_ts))
    assert [t.role for t in turns] == ["user", "bot", "user", "bot"]


async def test_an_assistant_thread_message_delivered_twice_is_answered_once(slack: Slack) -> None:
    thread_ts = await started_thread(slack)
    message = p.assistant_message(PROJECT, thread_ts=thread_ts)
    assert await slack.event(message, event_id="Ev0IMTWICE1") == 200
    assert await slack.event(message, event_id="Ev0IMTWICE1", retry_num=1) == 200
    assert await slack.event(message) == 200  # same message, another event id
    await slack.drain()
    assert len(slack.api.of("chat.postMessage")) == 2  # the greeting and one answer
    assert len(slack.api.of(STATUS)) == 1


async def test_a_workspace_without_the_surface_still_gets_answers_with_one_log_line(
    serve: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Slack refuses the status (`not_allowed_token_type`): 👀 instead, asked once, logged once
    — and a second replica sharing the store does not ask at all."""
    store = ResilientStore(MemoryStore(), logging.getLogger("tests.store"))
    one: Slack = await serve(store=store)
    two: Slack = await serve(store=store)
    api = one.api
    api.refuse(STATUS, "not_allowed_token_type")
    caplog.set_level(logging.DEBUG, logger="bot")

    first, second = p.app_mention(PROJECT), p.app_mention(PROJECT)
    assert await one.event(first) == 200
    await api.wait_for("reactions.remove")
    await one.drain()
    assert await one.event(second) == 200
    await api.wait_for("reactions.remove", count=2)
    await one.drain()
    third = p.dm(PROJECT)
    assert await two.event(third) == 200
    await api.wait_for("reactions.remove", count=3)
    await two.drain()

    posts = api.of("chat.postMessage")
    assert [c["thread_ts"] for c in posts] == [first["ts"], second["ts"], third["ts"]]
    assert all("RAG" in blocks_text(c) for c in posts)
    assert [c["timestamp"] for c in api.of("reactions.add")] == [
        first["ts"],
        second["ts"],
        third["ts"],
    ]
    assert len(api.of(STATUS)) == 1  # not asked again in this workspace, on either replica
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert [r.levelno for r in refused if r.levelno >= logging.INFO] == [logging.INFO]
    assert refused[0].__dict__["error"] == "not_allowed_token_type"
    assert refused[0].__dict__["team"] == TEAM_ID
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_refused_prompts_and_titles_leave_the_conversation_working(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    for method in (PROMPTS, TITLE, STATUS):
        slack.api.refuse(method, "missing_scope")
    caplog.set_level(logging.INFO, logger="bot")
    for round_ in (1, 2):
        event = p.assistant_thread_started()
        await slack.event(event)
        await slack.api.wait_for("chat.postMessage", count=2 * round_ - 1)  # the greeting
        await slack.drain()
        thread_ts = event["assistant_thread"]["thread_ts"]
        await slack.event(p.assistant_message(PROJECT, thread_ts=thread_ts))
        [*_, answer] = await slack.api.wait_for("chat.postMessage", count=2 * round_)
        await slack.drain()
        assert answer["thread_ts"] == thread_ts and "RAG" in blocks_text(answer)
    posted = [c["text"] for c in slack.api.of("chat.postMessage")]
    assert posted.count(messages.SLACK_ASSISTANT_GREETING) == 2
    assert [len(slack.api.of(m)) for m in (PROMPTS, TITLE, STATUS)] == [1, 1, 1]
    assert len(slack.api.of("reactions.add")) == 2
    refused = sorted(
        str(r.args[0])
        for r in caplog.records
        if isinstance(r.args, tuple) and "refused" in r.getMessage() and r.levelno >= logging.INFO
    )
    assert refused == ["prompts", "status:assistant", "title"]


async def test_the_status_is_cleared_when_the_answer_is_only_a_private_notice(
    serve: Callable[..., Any],
) -> None:
    slack: Slack = await serve(rate_limit_per_minute=1)
    thread_ts = await started_thread(slack)
    for text in (PROJECT, FOLLOW_UP):
        await slack.event(p.assistant_message(text, thread_ts=thread_ts))
        await slack.drain()
    await slack.api.wait_for("chat.postEphemeral")
    assert [c["status"] for c in slack.api.of(STATUS)] == [
        messages.SLACK_STATUS,
        messages.SLACK_STATUS,
        "",  # the rate-limit notice is ephemeral: Slack would not clear the status for it
    ]


async def test_each_example_prompt_gets_the_verdict_it_stands_for(slack: Slack) -> None:
    """The suggested prompts are real cases: one RAG, one fine-tuning, one prompting first."""
    verdicts = []
    for number, (_, text) in enumerate(messages.EXAMPLE_PROMPTS, start=1):
        thread_ts = p.new_ts()
        await slack.event(p.assistant_message(text, thread_ts=thread_ts))
        await slack.api.wait_for("chat.postMessage", count=number)
        await slack.drain()
        turns = await slack.runtime.store.load_turns(thread_key(TEAM_ID, p.DM_CHANNEL, thread_ts))
        verdicts.append(turns[-1].verdict)
    assert verdicts == ["rag", "fine_tuning", "prompt_engineering"]


async def test_context_changes_are_answered_200_without_bolt(slack: Slack) -> None:
    event = {
        "type": "assistant_thread_context_changed",
        "assistant_thread": {
            "user_id": p.USER,
            "context": {"channel_id": p.PRIVATE_CHANNEL, "team_id": TEAM_ID},
            "channel_id": p.DM_CHANNEL,
            "thread_ts": p.new_ts(),
        },
        "event_ts": p.new_ts(),
    }
    assert await slack.event(event) == 200
    await slack.drain()
    assert slack.api.calls == []  # not even auth.test


async def test_a_malformed_thread_start_is_a_200_and_nothing_else(slack: Slack) -> None:
    for thread in ({"channel_id": p.DM_CHANNEL}, {"thread_ts": p.new_ts()}, None):
        event: dict[str, Any] = {"type": "assistant_thread_started", "channel": p.DM_CHANNEL}
        if thread is not None:
            event["assistant_thread"] = thread
        assert await slack.event(event) == 200
    await slack.drain()
    assert [c.method for c in slack.api.calls] == ["auth.test"]
