"""*Correct my reading*: the button opens the form, the form's submission is a new turn.

The click is acked and `views.open` is called at once with the click's `trigger_id` (Slack
honours it for 3 seconds; the reading to pre-set travels in the button, so no store is asked
first). The submission is queued as a job before it is acked with an empty 200 (which closes
the modal; Slack never sends an acked submission again), de-duplicated on its view id, and
answered by whichever replica takes the job (`answer_job`): the changes become facts of the
thread and the new answer is posted in the thread the button was under — once, even if the
replica answering it dies, before or just after posting (`bot.adapters.slack.answered`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.adapters.slack.answered import since
from bot.adapters.slack.api import Metadata, SlackApi
from bot.adapters.slack.blocks import answer_messages
from bot.adapters.slack.correction import (
    CORRECT_ACTION,
    CORRECT_VIEW,
    correction_view,
    parse_correct_value,
    submitted,
)
from bot.adapters.slack.keys import PLATFORM, correction_key, scope, thread_place, thread_team
from bot.adapters.slack.listeners.common import answer_once, apologise, field
from bot.core.conversation import CORRECTION, Correction, Ignored
from bot.core.jobs import Job, Progress
from bot.core.jobs.base import POSTED
from bot.core.service import RateLimited

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
ROUTE = f"{PLATFORM}:{CORRECTION}"


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
        user = field((body.get("user") or {}).get("id"))
        await accept(runtime, view, user)
        await ack()

    async def on_job(job: Job, progress: Progress) -> None:
        await answer_job(runtime, api, job, progress)

    app.action(CORRECT_ACTION)(on_click)
    app.view(CORRECT_VIEW)(on_submit)
    runtime.jobs.handle(ROUTE, on_job)


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


async def accept(runtime: Runtime, view: dict[str, Any], user: str) -> None:
    """Before Slack is acknowledged: queue the correction (in this process only if the queue's
    store is down). Never raises: the modal closes either way, and an apology needs a thread."""
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
    view_id = field(view.get("id"))
    team = thread_team(thread)
    correction = Correction(
        PLATFORM,
        thread,
        user,
        chosen,
        shown,
        once=correction_key(view_id) if view_id else None,
        scope=scope(team) if team else None,
    )
    try:
        await runtime.jobs.submit(correction.job({"channel": channel, "root": root}))
    except Exception:
        core.apology(log, "slack correction not queued", channel=channel)


async def answer_job(runtime: Runtime, api: SlackApi, job: Job, progress: Progress) -> None:
    """Answer a queued correction in its thread, once (`answer_once`)."""
    channel, root = str(job.reply["channel"]), str(job.reply["root"])

    async def answer(tag: Metadata) -> None:
        outcome = await runtime.conversations.correct(Correction.of_job(job))  # de-duplicated
        if isinstance(outcome, Ignored):
            await progress.mark(POSTED, "duplicate")
            return
        if isinstance(outcome, RateLimited):
            await api.ephemeral(channel, job.user, outcome.text, thread_ts=root)
            await progress.mark(POSTED, "ephemeral")
            return
        ts = await api.post_pages(channel, answer_messages(outcome), thread_ts=root, metadata=tag)
        await progress.mark(POSTED, ts)

    await answer_once(
        runtime,
        api,
        job,
        progress,
        log=log,
        what="correction",
        channel=channel,
        thread_ts=root,
        oldest=since(job),
        answer=answer,
    )
