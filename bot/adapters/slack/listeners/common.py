"""What the listener modules share: reading a payload field, saying sorry, and answering a
queued job in its thread once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.adapters.slack.answered import marker, posted_before
from bot.adapters.slack.api import Metadata, SlackApi
from bot.core.conversation import Conversations
from bot.core.jobs import Job, Progress
from bot.core.jobs.base import POSTED

if TYPE_CHECKING:
    from bot.runtime import Runtime

Send = Callable[[str], Awaitable[None]]


def field(value: object) -> str:
    """A string field as sent, or "" when Slack's payload has anything else there."""
    return value if isinstance(value, str) else ""


async def apologise(
    core: Conversations, log: logging.Logger, what: str, send: Send, *, channel: str
) -> None:
    """The core's apology (traceback logged under a reference id), sent by `send` if it can."""
    text = core.apology(log, "slack %s failed", what, channel=channel)
    try:
        await send(text)
    except Exception:
        log.warning("could not deliver the apology", exc_info=True)


async def answer_once(
    runtime: Runtime,
    api: SlackApi,
    job: Job,
    progress: Progress,
    *,
    log: logging.Logger,
    what: str,
    channel: str,
    thread_ts: str,
    oldest: str,
    answer: Callable[[Metadata], Awaitable[None]],
    settled: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Answer a queued job in its thread, once. A job whose answer is posted (marked, or found
    in the thread by its metadata after a worker died: `answered.posted_before`) is only
    acknowledged; a job with an excuse (it failed too often) posts that; otherwise `answer(tag)`
    posts the answer with the job's metadata `tag` and marks it posted. `settled` runs when the
    job ends without `answer`. A failure before anything was posted is the core's apology,
    posted once."""
    if POSTED in progress.marks:
        return
    tag = marker(job)

    async def post(text: str) -> None:
        await api.post_text(channel, text, thread_ts=thread_ts, metadata=tag)

    try:
        if await posted_before(
            runtime, api, job, progress, channel=channel, thread_ts=thread_ts, oldest=oldest
        ):
            pass
        elif progress.excuse is not None:
            ts = await api.post_text(channel, progress.excuse, thread_ts=thread_ts, metadata=tag)
            await progress.mark(POSTED, ts)
        else:
            await answer(tag)
            return
        if settled is not None:
            await settled()
    except Exception:
        if POSTED not in progress.marks:
            await apologise(runtime.conversations, log, what, post, channel=channel)
            await progress.mark(POSTED, "apology")
