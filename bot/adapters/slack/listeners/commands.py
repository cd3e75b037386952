"""`/rag-or-ft TEXT`: acknowledged at once; the answer is a new channel message whose thread
holds the follow-ups. A placeholder is posted first (its ts names the thread) and the answer
replaces it. `/rag-or-ft` alone or `help` is answered in the ack itself (ephemeral usage).

The command is queued as a job before it is acknowledged; whichever replica takes the job posts
the placeholder and the answer (`answer_job`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.adapters.slack.api import NOT_A_MEMBER_ERRORS, SlackApi, error_code
from bot.adapters.slack.blocks import (
    Asked,
    SlackMessage,
    answer_messages,
    asked_blocks,
    context,
    escape,
    working_message,
)
from bot.adapters.slack.keys import PLATFORM, clean_text, scope, thread_key
from bot.adapters.slack.listeners.common import Send, apologise, field
from bot.core.conversation import Said, is_help
from bot.core.jobs import Job, Progress
from bot.core.jobs.base import PLACEHOLDER, POSTED
from bot.core.service import RateLimited

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
COMMAND = "/rag-or-ft"
ROUTE = f"{PLATFORM}:command"


def register(app: AsyncApp, runtime: Runtime, api: SlackApi) -> None:
    async def on_command(ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext) -> None:
        text = clean_text(field(command.get("text")), None)
        if not text or is_help(text):
            await ack(text=messages.USAGE, response_type="ephemeral")
            return
        reply = {
            "team": context.team_id or field(command.get("team_id")),
            "channel": field(command.get("channel_id")),
            "response_url": field(command.get("response_url")),
        }
        user = field(command.get("user_id"))
        await runtime.jobs.submit(Job(PLATFORM, "command", None, user, text, reply))
        await ack()

    async def on_job(job: Job, progress: Progress) -> None:
        await answer_job(runtime, api, job, progress)

    app.command(COMMAND)(on_command)
    runtime.jobs.handle(ROUTE, on_job)


async def answer_job(runtime: Runtime, api: SlackApi, job: Job, progress: Progress) -> None:
    """Post the placeholder (once: its ts is recorded before anything else) and replace it with
    the answer. A job taken over after the placeholder was posted updates that placeholder; one
    whose answer was posted is only acknowledged."""
    if POSTED in progress.marks:
        return
    core = runtime.conversations
    team, channel = str(job.reply["team"]), str(job.reply["channel"])
    response_url = str(job.reply["response_url"])
    asked = Asked(job.user, job.text)

    async def respond(text: str) -> None:
        await api.respond(response_url, text)

    apology: Send = respond
    try:
        ts = progress.marks.get(PLACEHOLDER)
        if ts is None:
            try:
                ts = await api.post(channel, working_message(asked))
            except SlackApiError as exc:
                if error_code(exc) not in NOT_A_MEMBER_ERRORS:
                    raise
                log.info(
                    "slash command in a channel without the bot", extra={"error": error_code(exc)}
                )
                await respond(messages.NOT_IN_CHANNEL)
                await progress.mark(POSTED, "not in channel")
                return
            await progress.mark(PLACEHOLDER, ts)
        placeholder = ts

        async def replace(text: str) -> None:
            page = SlackMessage(text=text, blocks=asked_blocks(asked) + context(escape(text)))
            try:
                await api.post_pages(channel, [page], replace_ts=placeholder)
            except Exception:
                await respond(text)

        apology = replace
        if progress.excuse is not None:
            await replace(progress.excuse)
        else:
            await _answer(runtime, api, team, channel, asked, placeholder, respond)
    except Exception:
        await apologise(core, log, "command", apology, channel=channel)
    await progress.mark(POSTED, progress.marks.get(PLACEHOLDER, "-"))


async def _answer(
    runtime: Runtime,
    api: SlackApi,
    team: str,
    channel: str,
    asked: Asked,
    ts: str,
    respond: Send,
) -> None:
    said = Said(PLATFORM, thread_key(team, channel, ts), asked.user, asked.text, scope=scope(team))
    outcome = await runtime.conversations.answer(said)
    if isinstance(outcome, RateLimited):
        await api.delete(channel, ts)
        await respond(outcome.text)
        return
    await api.post_pages(channel, answer_messages(outcome, asked=asked), replace_ts=ts)
