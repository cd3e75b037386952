"""*Correct my reading*: the button opens the form, the form's submission is a new turn.

The click is acked and `views.open` is called at once with the click's `trigger_id` (Slack
honours it for 3 seconds; the reading to pre-set travels in the button, so no store is asked
first). The submission is acked with an empty 200 — which closes the modal — and the core takes
it once per view id (a retry, on this replica or another, is dropped there): the changes become
facts of the thread and the new answer is posted in the thread the button was under.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.blocks import answer_messages
from bot.adapters.slack.correction import (
    CORRECT_ACTION,
    CORRECT_VIEW,
    correction_view,
    parse_correct_value,
    submitted,
)
from bot.adapters.slack.keys import PLATFORM, correction_key, scope, thread_place, thread_team
from bot.adapters.slack.listeners.common import apologise, field
from bot.core.conversation import Correction, Ignored
from bot.core.service import RateLimited

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: AsyncApp, runtime: Runtime, api: SlackApi) -> None:
    async def on_click(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        work = open_form(
            runtime,
            api,
            field(action.get("value")),
            trigger_id=field(body.get("trigger_id")),
            response_url=field(body.get("response_url")),
        )
        runtime.spawn(work, name="slack-correct-open")

    async def on_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        user = field((body.get("user") or {}).get("id"))
        runtime.spawn(answer_again(runtime, api, view, user), name="slack-correction")

    app.action(CORRECT_ACTION)(on_click)
    app.view(CORRECT_VIEW)(on_submit)


async def open_form(
    runtime: Runtime, api: SlackApi, value: str, *, trigger_id: str, response_url: str
) -> None:
    async def respond(text: str) -> None:
        await api.respond(response_url, text)

    try:
        thread, code = parse_correct_value(value)
        await api.open_view(trigger_id, correction_view(thread, code))
    except Exception:
        await apologise(runtime.conversations, log, "correction form", respond, channel="")


async def answer_again(runtime: Runtime, api: SlackApi, view: dict[str, Any], user: str) -> None:
    core = runtime.conversations
    try:
        thread, shown, chosen = submitted(view)
        place = thread_place(thread)
        if place is None:
            raise ValueError("not a Slack thread")
    except ValueError:
        core.apology(log, "slack correction not understood")
        return
    channel, root = place

    async def post(text: str) -> None:
        await api.post_text(channel, text, thread_ts=root)

    try:
        view_id = field(view.get("id"))
        once = correction_key(view_id) if view_id else None
        team = thread_team(thread)
        correction = Correction(
            PLATFORM, thread, user, chosen, shown, once=once, scope=scope(team) if team else None
        )
        outcome = await core.correct(correction)
        if isinstance(outcome, Ignored):
            return
        if isinstance(outcome, RateLimited):
            await api.ephemeral(channel, user, outcome.text, thread_ts=root)
            return
        await api.post_pages(channel, answer_messages(outcome), thread_ts=root)
    except Exception:
        await apologise(core, log, "correction", post, channel=channel)
