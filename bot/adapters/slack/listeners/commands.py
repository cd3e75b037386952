"""`/rag-or-ft TEXT`: acknowledged at once; the answer is a new channel message whose thread
holds the follow-ups. A placeholder is posted first (its ts names the thread) and the answer
replaces it. `/rag-or-ft` alone or `help` is answered in the ack itself (ephemeral usage)."""

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
from bot.adapters.slack.keys import PLATFORM, clean_text, thread_key
from bot.adapters.slack.listeners.common import Send, apologise, field
from bot.core.conversation import Said, is_help
from bot.core.service import RateLimited

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
COMMAND = "/rag-or-ft"


def register(app: AsyncApp, runtime: Runtime, api: SlackApi) -> None:
    async def on_command(ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext) -> None:
        text = clean_text(field(command.get("text")), None)
        if not text or is_help(text):
            await ack(text=messages.USAGE, response_type="ephemeral")
            return
        await ack()
        team = context.team_id or field(command.get("team_id"))
        channel, user = field(command.get("channel_id")), field(command.get("user_id"))
        response_url = field(command.get("response_url"))
        work = answer(runtime, api, team, channel, Asked(user, text), response_url)
        runtime.spawn(work, name="slack-command")

    app.command(COMMAND)(on_command)


async def answer(
    runtime: Runtime, api: SlackApi, team: str, channel: str, asked: Asked, response_url: str
) -> None:
    core = runtime.conversations

    async def respond(text: str) -> None:
        await api.respond(response_url, text)

    apology: Send = respond
    try:
        try:
            ts = await api.post(channel, working_message(asked))
        except SlackApiError as exc:
            if error_code(exc) not in NOT_A_MEMBER_ERRORS:
                raise
            log.info("slash command in a channel without the bot", extra={"error": error_code(exc)})
            await respond(messages.NOT_IN_CHANNEL)
            return

        async def replace(text: str) -> None:
            page = SlackMessage(text=text, blocks=asked_blocks(asked) + context(escape(text)))
            try:
                await api.post_pages(channel, [page], replace_ts=ts)
            except Exception:
                await respond(text)

        apology = replace
        said = Said(PLATFORM, thread_key(team, channel, ts), asked.user, asked.text)
        outcome = await core.answer(said)
        if isinstance(outcome, RateLimited):
            await api.delete(channel, ts)
            await respond(outcome.text)
            return
        await api.post_pages(channel, answer_messages(outcome, asked=asked), replace_ts=ts)
    except Exception:
        await apologise(core, log, "command", apology, channel=channel)
