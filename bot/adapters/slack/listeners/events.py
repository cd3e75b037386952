"""`app_mention` and `message` events: answered in the thread they belong to.

Which messages are answered:
- an @mention, in the thread of the mention (its `thread_ts`, or its own `ts` if top-level);
- a reply in a thread the bot has answered (the core knows the thread), without a mention;
- a DM. A top-level DM starts a conversation answered in its own thread, exactly like a
  mention, so two projects described in one DM are never mixed into one verdict; replies in
  that thread are its follow-ups.
Everything else in a channel is ignored without touching the store. A retry shares its event
id, and one message arriving as both `app_mention` and `message` shares channel and ts: both
are delivery keys, so the core answers it once.

The message is queued before Slack gets its 200 (`accept`): from then on the answer is a job in
the work queue, de-duplicated and answered by whichever replica takes it (`answer_job`), even if
the one that took the event dies — and not posted twice if it died just after posting
(`bot.adapters.slack.answered`).

A threaded DM is a turn of an assistant thread (Slack's split view; bolt's own test,
`is_user_message_event_in_assistant_thread`): answered like any DM thread, and its first answer
gives the thread its title (the project, shortened). While any message is answered, its thread
shows Slack's loading status, or 👀 where the workspace does not allow that (`surfaces`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.adapters.slack.api import Metadata, SlackApi
from bot.adapters.slack.blocks import answer_messages
from bot.adapters.slack.keys import (
    PLATFORM,
    clean_text,
    event_key,
    message_key,
    scope,
    thread_key,
    thread_team,
)
from bot.adapters.slack.listeners.common import answer_once, field
from bot.adapters.slack.surfaces import WORKING_REACTION, Surfaces
from bot.core.conversation import Help, Ignored, Said
from bot.core.jobs import Job, Progress
from bot.core.jobs.base import POSTED
from bot.core.service import RateLimited
from bot.core.shorten import shorten

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
EVENTS = ("app_mention", "message")
ANSWERED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
"""Message subtypes a person writes; edits, deletions, joins and bot posts are not questions."""
ROUTE = f"{PLATFORM}:message"


@dataclass(frozen=True, slots=True)
class Place:
    """Where the message was written (`ts`) and where its answer goes (`root`'s thread)."""

    channel: str
    ts: str
    root: str
    team: str = ""
    assistant: bool = False
    """A turn of an assistant thread (a threaded DM)."""


def register(app: AsyncApp, runtime: Runtime, api: SlackApi, surfaces: Surfaces) -> None:
    async def on_event(body: dict[str, Any], context: AsyncBoltContext) -> None:
        parsed = parse(body, context)
        if parsed is not None:
            await accept(runtime, api, *parsed)

    async def on_job(job: Job, progress: Progress) -> None:
        await answer_job(runtime, api, surfaces, job, progress)

    for kind in EVENTS:
        app.event(kind)(on_event)
    runtime.jobs.handle(ROUTE, on_job)


def parse(body: dict[str, Any], context: AsyncBoltContext) -> tuple[Said, Place] | None:
    """The event as the core's `Said`, or None if no person wrote it (bots, edits, deletions)
    or it is a top-level channel message without a mention (that arrives as `app_mention`)."""
    event = body.get("event")
    if not isinstance(event, dict):
        return None
    user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
    subtype = event.get("subtype")
    if (
        not (subtype is None or isinstance(subtype, str))  # a list is unhashable: check first
        or subtype not in ANSWERED_SUBTYPES
        or event.get("bot_id")
        or not isinstance(user, str)
        or user == context.bot_user_id
        or not isinstance(channel, str)
        or not isinstance(ts, str)
    ):
        return None
    thread_ts = event.get("thread_ts") if isinstance(event.get("thread_ts"), str) else None
    kind = field(event.get("type"))
    addressed = kind == "app_mention" or event.get("channel_type") == "im"
    if not addressed and thread_ts in (None, ts):
        return None
    root = thread_ts or ts
    event_id = field(body.get("event_id"))
    team = context.team_id or field(body.get("team_id"))
    said = Said(
        PLATFORM,
        thread_key(team, channel, root),
        user,
        clean_text(field(event.get("text")), context.bot_user_id),
        deliveries=(*((event_key(event_id),) if event_id else ()), message_key(channel, ts)),
        addressed=addressed,
        kind=kind,
    )
    assistant = event.get("channel_type") == "im" and root != ts
    return said, Place(channel, ts, root, team, assistant)


async def accept(runtime: Runtime, api: SlackApi, said: Said, place: Place) -> None:
    """Before Slack is acknowledged: queue the answer (or show usage). The job's worker drops
    a retry, or the same message delivered as both `app_mention` and `message`."""
    try:
        heard = await runtime.conversations.hear(said, dedup=False)
    except Exception:
        log.exception("slack message triage failed", extra={"channel": place.channel})
        return
    if isinstance(heard, Ignored):
        return
    if isinstance(heard, Help):
        text = messages.EMPTY_MESSAGE if heard.empty else messages.USAGE
        runtime.spawn(_usage(runtime, api, place, text), name="slack-usage")
        return
    reply = {
        "channel": place.channel,
        "ts": place.ts,
        "root": place.root,
        "team": place.team,
        "assistant": place.assistant,
    }
    job = Job(PLATFORM, "message", said.thread, said.user, said.text, reply)
    await runtime.jobs.submit(replace(job, deliveries=said.deliveries))


async def _usage(runtime: Runtime, api: SlackApi, place: Place, text: str) -> None:
    try:
        await api.post_text(place.channel, text, thread_ts=place.root)
    except Exception:
        log.warning("slack usage reply not delivered", exc_info=True)


async def answer_job(
    runtime: Runtime, api: SlackApi, surfaces: Surfaces, job: Job, progress: Progress
) -> None:
    """Answer a queued message in its thread, once (`answer_once`); the working reaction comes
    off however the job ends."""
    reply = job.reply
    team = str(reply.get("team") or thread_team(job.thread or ""))
    place = Place(
        str(reply["channel"]),
        str(reply["ts"]),
        str(reply["root"]),
        team,
        reply.get("assistant") is True,
    )
    said = Said(PLATFORM, job.thread, job.user, job.text, scope=scope(team) if team else None)

    async def answer(tag: Metadata) -> None:
        await _answer(runtime, api, surfaces, said, place, progress, tag)

    async def settled() -> None:
        await api.react(place.channel, place.ts, WORKING_REACTION, add=False)

    await answer_once(
        runtime,
        api,
        job,
        progress,
        log=log,
        what="message",
        channel=place.channel,
        thread_ts=place.root,
        oldest=place.ts,
        answer=answer,
        settled=settled,
    )


async def _answer(
    runtime: Runtime,
    api: SlackApi,
    surfaces: Surfaces,
    said: Said,
    place: Place,
    progress: Progress,
    tag: Metadata,
) -> None:
    """Posted is recorded as soon as Slack has the answer (the ts; `ephemeral` for a rate-limit
    notice only its author sees), before anything else: a worker that dies in between has
    posted an answer another worker finds by its metadata `tag` (`answered`)."""
    working = await surfaces.start_working(
        place.team, place.channel, place.ts, place.root, assistant=place.assistant
    )
    cancelled = replied = False
    try:
        outcome = await runtime.conversations.answer(said)
        if isinstance(outcome, RateLimited):
            replied = await _tell(api, said.user, place, outcome.text)
            await progress.mark(POSTED, "ephemeral")
            return
        pages = answer_messages(outcome)
        ts = await api.post_pages(place.channel, pages, thread_ts=place.root, metadata=tag)
        replied = True
        await progress.mark(POSTED, ts)
        if place.assistant and outcome.turn == 1:
            title = shorten(said.text, messages.SLACK_TITLE_LIMIT)
            await surfaces.attempt(
                place.team, "title", lambda: api.set_title(place.channel, place.root, title)
            )
    except asyncio.CancelledError:
        cancelled = True  # shutdown cut the answer off: no more Web API calls
        raise
    finally:
        if not cancelled:
            await surfaces.stop_working(working, replied=replied)


async def _tell(api: SlackApi, user: str, place: Place, text: str) -> bool:
    """Only the author needs to read it; if Slack won't show an ephemeral, post it (True: it went
    into the thread)."""
    try:
        await api.ephemeral(place.channel, user, text, thread_ts=place.root)
    except SlackApiError:
        await api.post_text(place.channel, text, thread_ts=place.root)
        return True
    return False
