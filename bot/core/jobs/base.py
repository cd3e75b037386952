"""A job, its claim by a worker, and the queue protocol both stores implement.

A `Job` carries everything a worker on any replica needs to answer: who said what in which
thread, and where the answer goes (`reply`: a Slack channel and thread, a slash command's
channel and response_url, a Teams conversation reference). It is JSON on the wire.

`marks` are the job's progress notes, written before the job is acknowledged: `placeholder`
(the slash command's working message, which a retry updates instead of posting again) and
`posted` (the answer's message ts / activity id: a reclaimed job with it is only acknowledged).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Protocol

PLACEHOLDER = "placeholder"
POSTED = "posted"


@dataclass(frozen=True, slots=True)
class Job:
    platform: str
    kind: str
    """What the platform handler does with it: `message` (Slack event, Teams activity),
    `command` (Slack's slash command) or `correction` (a submitted "correct my reading" form)."""
    thread: str | None
    user: str
    text: str
    reply: dict[str, Any] = field(default_factory=dict)
    accepted_at: float = field(default_factory=time.time)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    deliveries: tuple[str, ...] = ()
    """The message's de-duplication keys, claimed for this job as it is queued: a platform's
    retry is not queued at all (`JobQueue.enqueue`)."""
    data: dict[str, Any] = field(default_factory=dict)
    """What a kind needs beyond `text`: a correction's chosen and shown states."""

    @property
    def route(self) -> str:
        return f"{self.platform}:{self.kind}"

    def to_json(self) -> str:
        """Without an empty `data`: a job of a kind that has none stays readable by a replica
        of a version before `data` (one that cannot read a job drops it)."""
        fields_ = asdict(self)
        if not fields_["data"]:
            del fields_["data"]
        return json.dumps(fields_, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Job:
        """A job as written by any replica: a field a newer version added is left out (not a
        reason to drop the job), a field it lacks takes its default."""
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("a job is a JSON object")
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["deliveries"] = tuple(data.get("deliveries") or ())
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Claim:
    """A job held by this worker until its lease runs out (renewed while it is answered)."""

    job: Job
    token: str
    """The queue's own id of the entry (a stream id, a row id)."""
    attempts: int
    """Deliveries so far, this one included: above 1, a worker took it before and did not
    acknowledge it (it died, or the job failed)."""
    deduped: bool = False
    """Its delivery keys were claimed for it as it was queued (no need to check again)."""


@dataclass
class Progress:
    """What a handler knows and records about the job it answers."""

    claim: Claim
    marks: dict[str, str]
    excuse: str | None = None
    """Set when the job must not be answered: the text to post instead (too old, or given up
    after too many attempts)."""
    _queue: JobQueue | None = None

    acked: bool = False

    async def mark(self, name: str, value: str) -> None:
        """Record progress durably (before the next platform call that depends on it). Marking
        the answer `POSTED` acknowledges the job at once: the same guarantee as recording it
        and acknowledging later, for one round trip instead of two."""
        self.marks[name] = value
        if self._queue is None:
            return
        if name == POSTED:
            if not self.acked:
                self.acked = True
                await self._queue.ack(self.claim)
            return
        await self._queue.mark(self.claim.job.id, name, value)


class JobQueue(Protocol):
    kind: str

    async def enqueue(
        self, job: Job, *, take: bool, dedup_ttl_seconds: int
    ) -> tuple[bool, Claim | None]:
        """Add `job` unless one of its delivery keys belongs to another job (a platform's retry:
        then `(False, None)` and nothing is written), claiming those keys for it in the same
        step; with `take`, also claim the oldest ready job for this consumer (usually `job`
        itself) and return it — all in one round trip."""
        ...

    async def claim(self, count: int) -> list[Claim]:
        """Up to `count` jobs: first those whose lease ran out (reclaimed), then new ones."""
        ...

    async def renew(self, claim: Claim) -> bool:
        """Extend the lease of a job still being answered; False if this consumer no longer
        holds it (its lease ran out and another replica took the job over)."""
        ...

    async def ack(self, claim: Claim) -> None:
        """Done: the job leaves the queue."""
        ...

    async def dead_letter(self, claim: Claim, reason: str) -> None:
        """Give up: the job moves to the dead-letter list and leaves the queue."""
        ...

    async def first_delivery(self, keys: tuple[str, ...], job_id: str, ttl_seconds: int) -> bool:
        """True unless one of `keys` was first claimed by another job within `ttl_seconds`:
        the same job taken again (its worker died) is still the first delivery."""
        ...

    async def marks(self, job_id: str) -> dict[str, str]: ...

    async def mark(self, job_id: str, name: str, value: str) -> None: ...

    async def stats(self) -> tuple[int, float]:
        """(jobs waiting or in progress, age in seconds of the oldest; 0 when empty)."""
        ...

    async def close(self) -> None: ...
