"""What a workspace refused is remembered per workspace and feature, for a day, then retried;
a failure that is not a refusal costs only that one call."""

from __future__ import annotations

import logging

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.surfaces import REMEMBER_SECONDS, Surfaces
from bot.core.conversation import Conversations
from bot.core.service import TriageService
from bot.core.store.memory_store import MemoryStore
from bot.messages import CORE_TEXTS
from tests.store.conftest import FakeClock
from tests.support.slack_api import BOT_TOKEN, SlackApiStandIn
from tests.test_conversation import Recorder
from tests.test_service import RecordingEngine

STATUS = "assistant.threads.setStatus"


def surfaces_over(api: SlackApiStandIn, clock: FakeClock) -> tuple[Surfaces, SlackApi]:
    store, observer = MemoryStore(clock=clock), Recorder()
    service = TriageService(RecordingEngine(), store, texts=CORE_TEXTS, observer=observer)
    core = Conversations(service, store, texts=CORE_TEXTS, observer=observer)
    slack_api = SlackApi(AsyncWebClient(token=BOT_TOKEN, base_url=api.base_url))
    return Surfaces(slack_api, core, clock=clock), slack_api


async def test_a_refusal_is_remembered_per_workspace_and_feature_then_retried(
    api: SlackApiStandIn,
) -> None:
    clock = FakeClock()
    surfaces, _ = surfaces_over(api, clock)
    api.fail(STATUS, "not_allowed_token_type")
    first = await surfaces.start_working("T1", "C1", "1.1", "1.0", assistant=False)
    assert first.status is False and len(api.of("reactions.add")) == 1
    again = await surfaces.start_working("T1", "C1", "1.2", "1.0", assistant=False)
    assert again.status is False and len(api.of(STATUS)) == 1  # not asked again
    # another feature (the split view's status) and another workspace are asked
    assert (await surfaces.start_working("T1", "D1", "2.1", "2.0", assistant=True)).status
    assert (await surfaces.start_working("T2", "C1", "3.1", "3.0", assistant=False)).status
    assert len(api.of(STATUS)) == 3

    clock.advance(REMEMBER_SECONDS + 1)  # a day later: the workspace may have added the scope
    assert (await surfaces.start_working("T1", "C1", "4.1", "4.0", assistant=False)).status
    assert len(api.of(STATUS)) == 4


async def test_other_failures_cost_one_call_and_a_warning(
    api: SlackApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    surfaces, _ = surfaces_over(api, FakeClock())
    api.fail(STATUS, "internal_error")
    with caplog.at_level(logging.INFO, logger="bot.adapters.slack"):
        assert not (await surfaces.start_working("T1", "C1", "1.1", "1.0", assistant=False)).status
        assert (await surfaces.start_working("T1", "C1", "1.2", "1.0", assistant=False)).status
    assert [(r.levelname, r.__dict__["error"]) for r in caplog.records] == [
        ("WARNING", "internal_error")
    ]


async def test_stopping_clears_only_a_status_nothing_cleared_yet(api: SlackApiStandIn) -> None:
    surfaces, _ = surfaces_over(api, FakeClock())
    shown = await surfaces.start_working("T1", "C1", "1.1", "1.0", assistant=False)
    await surfaces.stop_working(shown, replied=True)  # the reply cleared it
    assert [c["status"] for c in api.of(STATUS)] == [messages.SLACK_STATUS]
    await surfaces.stop_working(shown, replied=False)
    assert [c["status"] for c in api.of(STATUS)] == [messages.SLACK_STATUS, ""]
    assert api.of(STATUS)[-1]["thread_ts"] == "1.0" and not api.of("reactions.remove")
