"""Closing the double-post window of a queued Slack answer.

A worker acknowledges its job (the `posted` mark) right after Slack returns the answer's ts. A
worker that dies between the two leaves a job that a second worker takes over and would answer
again: a second answer in the thread. So every answer a job posts in a thread carries Slack
message metadata naming the job (`marker`), and a job taken over (attempts > 1) without the
`posted` mark first looks once in its thread (`conversations.replies` with
`include_all_metadata`, from `oldest` on) for a message with that marker: if it is there, the
job is recorded as posted and acknowledged instead of answered again.

Only taken-over jobs read the thread: `conversations.replies` is rate-limited hard (one call a
minute for commercially distributed apps outside the Marketplace), and a healthy replica never
needs it. If the lookup fails (rate-limited past its retries, a scope Slack refuses), the job
is answered again — at least once, as before this check.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.adapters.slack.api import Metadata, SlackApi
from bot.core.jobs import Job, Progress
from bot.core.jobs.base import POSTED

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
EVENT_TYPE = "rag_or_ft_answer"
CLOCK_MARGIN_SECONDS = 60.0
"""How far before a job's acceptance (this host's clock) its answer is looked for when no Slack
timestamp bounds it (a correction): room for a host clock ahead of Slack's."""


def marker(job: Job) -> Metadata:
    """The metadata every answer of `job` is posted with."""
    return {"event_type": EVENT_TYPE, "event_payload": {"job": job.id}}


def since(job: Job) -> str:
    """A Slack `oldest` bound for a job with no Slack timestamp of its own."""
    return f"{max(0.0, job.accepted_at - CLOCK_MARGIN_SECONDS):.6f}"


async def posted_before(
    runtime: Runtime,
    api: SlackApi,
    job: Job,
    progress: Progress,
    *,
    channel: str,
    thread_ts: str,
    oldest: str,
) -> bool:
    """True (and the job marked posted, so acknowledged) if a worker that died had posted this
    job's answer in the thread already; False to answer it. Asks Slack only for a job taken
    over without the `posted` mark."""
    if progress.claim.attempts <= 1 or POSTED in progress.marks:
        return False
    try:
        ts = await api.find_marked(channel, thread_ts, marker(job), oldest=oldest)
    except Exception as exc:
        log.warning(
            "could not look for an answer already posted: answering again",
            extra={"route": job.route, "error": repr(exc)},
        )
        return False
    if ts is None:
        log.info(
            "no answer of a taken-over job in its thread: answering it",
            extra={"route": job.route, "attempts": progress.claim.attempts},
        )
        return False
    log.info(
        "answer already posted by a worker that died: acknowledged, not posted again",
        extra={"route": job.route, "attempts": progress.claim.attempts},
    )
    runtime.metrics.job("found_posted")
    await progress.mark(POSTED, ts)
    return True
