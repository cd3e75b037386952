"""What happens after Slack was acknowledged: asking the conversation core, answering.

Listeners (`listeners.py`) only parse a payload into one of the small types below and hand it
here through `runtime.spawn`, so Slack gets its ack at once and shutdown can drain the work.
Each entry point catches everything: the user sees the fixed apology with a reference id, the
log gets the traceback with the same `ref`, and no exception text ever reaches Slack.

Which messages are answered:
- an @mention, in the thread of the mention (its `thread_ts`, or its own `ts` if top-level);
- a reply in a thread the bot has answered (the core knows the thread), without a mention;
- a DM. A top-level DM starts a conversation answered in its own thread, exactly like a
  mention, so two projects described in one DM are never mixed into one verdict; replies in
  that thread are its follow-ups.
Everything else in a channel is ignored without touching the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
    parse_feedback_value,
    working_message,
)
from bot.adapters.slack.keys import clean_text, event_key, feedback_key, message_key, thread_key
from bot.core.conversation import Help, Ignored, Rating, Said
from bot.core.service import RateLimited

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
PLATFORM = "slack"
WORKING_REACTION = "eyes"
Send = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class MessageEvent:
    """An `app_mention` or `message` event from a person, already filtered by the listener."""

    kind: Literal["app_mention", "message"]
    team: str
    channel: str
    channel_type: str
    user: str
    text: str
    ts: str
    thread_ts: str | None
    event_id: str
    bot_user_id: str | None

    @property
    def root(self) -> str:
        return self.thread_ts or self.ts

    def said(self) -> Said:
        """Retries share an event id; app_mention + message share channel and ts."""
        deliveries = (event_key(self.event_id),) if self.event_id else ()
        return Said(
            PLATFORM,
            thread_key(self.team, self.channel, self.root),
            self.user,
            clean_text(self.text, self.bot_user_id),
            deliveries=(*deliveries, message_key(self.channel, self.ts)),
            addressed=self.kind == "app_mention" or self.channel_type == "im",
            kind=self.kind,
        )


@dataclass(frozen=True, slots=True)
class SlashCommand:
    team: str
    channel: str
    user: str
    text: str
    response_url: str


@dataclass(frozen=True, slots=True)
class FeedbackClick:
    rating: Literal["up", "down"]
    value: str
    user: str
    message_ts: str
    response_url: str


class SlackFlows:
    def __init__(self, runtime: Runtime, api: SlackApi) -> None:
        self.runtime = runtime
        self.core = runtime.conversations
        self.api = api

    # Events ------------------------------------------------------------------------------------
    async def message(self, event: MessageEvent) -> None:
        said = event.said()
        if not said.addressed and event.thread_ts in (None, event.ts):
            return  # a top-level channel message; a mention in it arrives as app_mention
        try:
            heard = await self.core.hear(said)
        except Exception:
            log.exception("slack message triage failed", extra={"channel": event.channel})
            return
        if isinstance(heard, Ignored):
            return
        try:
            if isinstance(heard, Help):
                usage = messages.EMPTY_MESSAGE if heard.empty else messages.USAGE
                await self.api.post_text(event.channel, usage, thread_ts=event.root)
            else:
                await self._answer(event, said)
        except Exception:
            await self._apologise("message", self._poster(event), channel=event.channel)

    def _poster(self, event: MessageEvent) -> Send:
        async def post(text: str) -> None:
            await self.api.post_text(event.channel, text, thread_ts=event.root)

        return post

    async def _answer(self, event: MessageEvent, said: Said) -> None:
        await self.api.react(event.channel, event.ts, WORKING_REACTION)
        cancelled = False
        try:
            outcome = await self.core.answer(said)
            if isinstance(outcome, RateLimited):
                await self._tell(event, outcome.text)
            else:
                pages = answer_messages(outcome)
                await self.api.post_pages(event.channel, pages, thread_ts=event.root)
        except asyncio.CancelledError:
            cancelled = True  # shutdown cut the answer off: no more Web API calls
            raise
        finally:
            if not cancelled:
                await self.api.react(event.channel, event.ts, WORKING_REACTION, add=False)

    async def _tell(self, event: MessageEvent, text: str) -> None:
        """Only the author needs to read it; if Slack won't show an ephemeral, post it."""
        try:
            await self.api.ephemeral(event.channel, event.user, text, thread_ts=event.root)
        except SlackApiError:
            await self.api.post_text(event.channel, text, thread_ts=event.root)

    # Slash command -----------------------------------------------------------------------------
    async def command(self, command: SlashCommand) -> None:
        """Post a placeholder (its ts names the thread), triage, replace it with the answer."""

        async def respond(text: str) -> None:
            await self.api.respond(command.response_url, text)

        apologise: Send = respond
        try:
            text = clean_text(command.text, None)
            asked = Asked(command.user, text)
            try:
                ts = await self.api.post(command.channel, working_message(asked))
            except SlackApiError as exc:
                if error_code(exc) not in NOT_A_MEMBER_ERRORS:
                    raise
                log.info(
                    "slash command in a channel without the bot", extra={"error": error_code(exc)}
                )
                await respond(messages.NOT_IN_CHANNEL)
                return

            async def replace(text: str) -> None:
                page = SlackMessage(text=text, blocks=asked_blocks(asked) + context(escape(text)))
                try:
                    await self.api.post_pages(command.channel, [page], replace_ts=ts)
                except Exception:
                    await respond(text)

            apologise = replace
            key = thread_key(command.team, command.channel, ts)
            outcome = await self.core.answer(Said(PLATFORM, key, command.user, text))
            if isinstance(outcome, RateLimited):
                await self.api.delete(command.channel, ts)
                await respond(outcome.text)
                return
            pages = answer_messages(outcome, asked=asked)
            await self.api.post_pages(command.channel, pages, replace_ts=ts)
        except Exception:
            await self._apologise("command", apologise, channel=command.channel)

    # Feedback buttons --------------------------------------------------------------------------
    async def feedback(self, click: FeedbackClick) -> None:
        async def respond(text: str) -> None:
            await self.api.respond(click.response_url, text)

        try:
            thread, verdict = parse_feedback_value(click.value)
            once = feedback_key(thread or "-", click.user, click.message_ts)
            await self.core.rate(
                Rating(PLATFORM, thread, click.user, click.rating, verdict, once=once)
            )
            await respond(messages.FEEDBACK_THANKS)
        except Exception:
            await self._apologise("feedback", respond, channel="")

    async def _apologise(self, what: str, send: Send, *, channel: str) -> None:
        text = self.core.apology(log, "slack %s failed", what, channel=channel)
        try:
            await send(text)
        except Exception:
            log.warning("could not deliver the apology", exc_info=True)
