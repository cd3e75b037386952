"""What happens after Slack was acknowledged: deciding, triaging, answering.

Listeners (`listeners.py`) only parse a payload into one of the small types below and hand it
here through `runtime.spawn`, so Slack gets its ack at once and shutdown can drain the work.
Each entry point catches everything: the user sees the fixed apology with a reference id, the
log gets the traceback with the same `ref`, and no exception text ever reaches Slack.

Which messages are answered:
- an @mention, in the thread of the mention (its `thread_ts`, or its own `ts` if top-level);
- a reply in a thread the bot has answered (the store knows the thread), without a mention;
- a DM. A top-level DM starts a conversation answered in its own thread, exactly like a
  mention, so two projects described in one DM are never mixed into one verdict; replies in
  that thread are its follow-ups.
Everything else in a channel is ignored without touching the store.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
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
from bot.adapters.slack.keys import (
    clean_text,
    event_key,
    feedback_key,
    is_help,
    message_key,
    thread_key,
)
from bot.core.service import RateLimited
from bot.core.store.base import Feedback
from bot.core.types import Incoming
from bot.server.metrics import thread_hash

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
PLATFORM = "slack"
WORKING_REACTION = "eyes"


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
    retry_num: int = 0

    @property
    def root(self) -> str:
        return self.thread_ts or self.ts


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
        self.api = api

    # Events ------------------------------------------------------------------------------------
    async def message(self, event: MessageEvent) -> None:
        async def apologise(text: str) -> None:
            await self.api.post_text(event.channel, text, thread_ts=event.root)

        answering = False
        try:
            key = await self._conversation(event)
            if key is None or not await self._first_delivery(event):
                return
            answering = True
            await self._answer(event, key)
        except Exception:
            if answering:
                await self._apologise("message", apologise, channel=event.channel)
            else:
                log.exception("slack message triage failed", extra={"channel": event.channel})

    async def _conversation(self, event: MessageEvent) -> str | None:
        """The thread key to answer under, or None if this message is not for the bot."""
        key = thread_key(event.team, event.channel, event.root)
        if event.kind == "app_mention" or event.channel_type == "im":
            return key
        if event.thread_ts is None or event.thread_ts == event.ts:
            return None  # a top-level channel message; a mention in it arrives as app_mention
        return key if await self.runtime.store.load_turns(key) else None

    async def _first_delivery(self, event: MessageEvent) -> bool:
        """Retries share an event id; app_mention + message share channel and ts."""
        store = self.runtime.store
        ttl = self.runtime.settings.dedup_ttl_seconds
        fresh = not event.event_id or await store.first_time(event_key(event.event_id), ttl)
        fresh = fresh and await store.first_time(message_key(event.channel, event.ts), ttl)
        if not fresh:
            self.runtime.metrics.dedup_hits.labels(PLATFORM).inc()
            log.info(
                "duplicate slack delivery dropped",
                extra={"kind": event.kind, "retry_num": event.retry_num},
            )
        return fresh

    async def _answer(self, event: MessageEvent, key: str) -> None:
        text = clean_text(event.text, event.bot_user_id)
        if not text or is_help(text):
            usage = messages.USAGE if text else messages.EMPTY_MESSAGE
            await self.api.post_text(event.channel, usage, thread_ts=event.root)
            return
        await self.api.react(event.channel, event.ts, WORKING_REACTION)
        cancelled = False
        try:
            outcome = await self.runtime.service.handle(Incoming(key, event.user, text, PLATFORM))
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

        apologise: Callable[[str], Awaitable[None]] = respond
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
            outcome = await self.runtime.service.handle(Incoming(key, command.user, text, PLATFORM))
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
            store = self.runtime.store
            once = feedback_key(thread or "-", click.user, click.message_ts)
            if await store.first_time(once, self.runtime.settings.conversation_ttl_seconds):
                await store.add_feedback(
                    Feedback(
                        rating=click.rating,
                        verdict=verdict,
                        thread=thread,
                        user=click.user,
                        platform=PLATFORM,
                    )
                )
                log.info(
                    "feedback",
                    extra={
                        "rating": click.rating,
                        "verdict": verdict,
                        "thread_hash": thread_hash(thread),  # "thread" is a LogRecord field
                    },
                )
            await respond(messages.FEEDBACK_THANKS)
        except Exception:
            await self._apologise("feedback", respond, channel="")

    # Errors ------------------------------------------------------------------------------------
    async def _apologise(
        self, what: str, send: Callable[[str], Awaitable[None]], *, channel: str
    ) -> None:
        """Log the traceback under a fresh reference id and show the user the same id."""
        ref = uuid.uuid4().hex[:8]
        log.exception("slack %s failed", what, extra={"ref": ref, "channel": channel})
        try:
            await send(messages.ERROR_APOLOGY.format(ref=ref))
        except Exception:
            log.warning("could not deliver the apology", exc_info=True, extra={"ref": ref})
