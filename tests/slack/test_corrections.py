"""*Correct my reading* over real HTTP: the answer shows what was understood and the button; a
click opens the modal pre-set from the reading (views.open with the click's trigger_id); the
submission is acked empty and answered once, in the thread, with the user's facts — also when
the click and the submission reach different replicas sharing one Redis."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.adapters.slack.correction import CORRECT_ACTION, correction_view, parse_correct_value
from bot.adapters.slack.keys import thread_key
from bot.core.reading_code import parse_code
from bot.core.triage.dimensions import DIMENSIONS
from bot.core.types import Verdict
from tests.slack.conftest import PROJECT, Slack, blocks_text, decoded_blocks
from tests.support import slack_payloads as p
from tests.support.net import free_port
from tests.support.slack_api import TEAM_ID, ApiCall
from tests.support.toolbox import counter, redis_store


async def answered(slack: Slack) -> tuple[str, ApiCall]:
    event = p.app_mention(PROJECT)
    await slack.event(event)
    [post] = await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    return event["ts"], post


def correct_button(post: ApiCall) -> dict[str, Any]:
    [actions] = [b for b in decoded_blocks(post) if b["type"] == "actions"]
    [button] = [e for e in actions["elements"] if e["action_id"] == CORRECT_ACTION]
    assert isinstance(button, dict)
    return button


async def click(slack: Slack, post: ApiCall, trigger_id: str) -> int:
    body = p.block_actions(
        CORRECT_ACTION,
        correct_button(post)["value"],
        response_url=slack.api.response_url("correct"),
        message_ts=post.response["ts"],
        trigger_id=trigger_id,
    )
    status, _, _ = await slack.post(body, p.signed_headers(body, content_type=FORM))
    return status


async def submit(slack: Slack, view: dict[str, Any], values: dict[str, str]) -> tuple[int, str]:
    body = p.view_submission(view, values)
    status, text, _ = await slack.post(body, p.signed_headers(body, content_type=FORM))
    return status, text


FORM = "application/x-www-form-urlencoded"
FLIP = {"format": "yes", "style": "yes"}


def initial(view: dict[str, Any]) -> dict[str, str]:
    return {
        b["block_id"]: b["element"]["initial_option"]["value"]
        for b in view["blocks"]
        if b["type"] == "input"
    }


async def test_the_answer_shows_what_was_understood_and_a_correct_button(slack: Slack) -> None:
    root, post = await answered(slack)
    [line] = [
        b for b in decoded_blocks(post) if "What I understood" in json.dumps(b, ensure_ascii=False)
    ]
    assert line["type"] == "context" and len(line["elements"][0]["text"]) <= 2000
    text = line["elements"][0]["text"]
    assert "knowledge changes often ✔" in text and "fixed output format ?" in text
    thread, code = parse_correct_value(correct_button(post)["value"])
    assert thread == thread_key(TEAM_ID, p.CHANNEL, root)
    states, given = parse_code(code)
    assert states["changing"] == "yes" and states["format"] == "unknown" and not given


async def test_click_opens_the_form_and_a_submission_answers_once_in_the_thread(
    slack: Slack,
) -> None:
    root, post = await answered(slack)
    trigger = p.new_trigger_id()
    assert await click(slack, post, trigger) == 200
    [opened] = await slack.api.wait_for("views.open")
    assert opened["trigger_id"] == trigger
    view = opened.response["view"]
    assert len(view["blocks"]) <= 100
    assert initial(view)["changing"] == "yes" and initial(view)["citations"] == "yes"
    assert initial(view)["format"] == "unknown"
    for block in view["blocks"]:
        for option in block.get("element", {}).get("options", []):
            assert len(option["text"]["text"]) <= 75

    status, text = await submit(slack, view, {**initial(view), **FLIP})
    assert (status, text) == (200, "")
    again = await submit(slack, view, {**initial(view), **FLIP})  # Slack retries
    assert again == (200, "")
    await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    posts = slack.api.of("chat.postMessage")
    assert len(posts) == 2
    answer = posts[1]
    assert answer["thread_ts"] == root
    shown = blocks_text(answer)
    assert "Both" in shown and "turn 2" in shown and "fixed output format ✔ (you set)" in shown
    _, code = parse_correct_value(correct_button(answer)["value"])
    states, given = parse_code(code)
    assert given == {"format", "style"} and states["format"] == "yes"

    turns = await slack.runtime.store.load_turns(thread_key(TEAM_ID, p.CHANNEL, root))
    assert [t.kind for t in turns if t.role == "user"] == ["message", "correction"]
    assert turns[-1].verdict == Verdict.BOTH.value


async def test_click_on_one_replica_and_submission_on_another(
    serve: Callable[..., Any], redis_url: str, namespace: str
) -> None:
    one: Slack = await serve(store=redis_store(redis_url, namespace))
    two: Slack = await serve(store=redis_store(redis_url, namespace))
    root, post = await answered(one)
    assert await click(one, post, p.new_trigger_id()) == 200
    [opened] = await one.api.wait_for("views.open")
    view = opened.response["view"]
    assert await submit(two, view, {**initial(view), **FLIP}) == (200, "")
    assert await submit(one, view, {**initial(view), **FLIP}) == (200, "")  # a retry, elsewhere
    await one.api.wait_for("chat.postMessage", count=2)
    await one.drain()
    await two.drain()
    posts = one.api.of("chat.postMessage")
    assert len(posts) == 2 and posts[1]["thread_ts"] == root
    assert "Both" in blocks_text(posts[1]) and "turn 2" in blocks_text(posts[1])


async def test_a_form_that_is_not_ours_gets_an_apology(slack: Slack) -> None:
    body = p.block_actions(
        CORRECT_ACTION, "garbage", response_url=slack.api.response_url("bad"), message_ts="1.2"
    )
    status, _, _ = await slack.post(body, p.signed_headers(body, content_type=FORM))
    assert status == 200
    [reply] = await slack.api.wait_for("response_url")
    await slack.drain()
    assert "reference" in reply["text"] and slack.api.of("views.open") == []


async def test_a_submission_is_queued_before_it_is_acknowledged(slack: Slack) -> None:
    root, post = await answered(slack)
    thread, code = parse_correct_value(correct_button(post)["value"])
    view = {**correction_view(thread, code), "id": "V0QUEUED01"}
    assert await submit(slack, view, {**initial(view), **FLIP}) == (200, "")
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="accepted") == 2
    [_, again] = await slack.api.wait_for("chat.postMessage", count=2)
    await slack.drain()
    assert again["thread_ts"] == root and "turn 2" in blocks_text(again)


async def test_while_the_queue_is_down_a_submission_is_answered_in_process_once(
    serve: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    slack: Slack = await serve(
        redis_url=f"redis://127.0.0.1:{free_port()}/0", redis_timeout_seconds=0.2
    )
    root = p.new_ts()
    thread = thread_key(TEAM_ID, p.CHANNEL, root)
    view = {**correction_view(thread, "u" * len(DIMENSIONS)), "id": "V0QUEUEDWN"}
    assert await submit(slack, view, {**initial(view), **FLIP}) == (200, "")
    assert await submit(slack, view, {**initial(view), **FLIP}) == (200, "")  # Slack retries
    [post] = await slack.api.wait_for("chat.postMessage")
    await slack.drain()
    assert len(slack.api.of("chat.postMessage")) == 1 and post["thread_ts"] == root
    assert counter(slack.runtime.metrics, "ragorft_jobs_total", event="inline") == 2
    assert "work queue unavailable" in caplog.text
