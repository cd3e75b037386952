"""The conversation core both adapters call: what happens when a person says something or rates
an answer, whatever platform they are on.

An adapter parses its payload into a `Said` (or a `Rating`), calls the core and renders the small
outcome it gets back; it never touches the store or the engine itself.

    hear(said)    is the thread ours? a new delivery? help or empty? → Ignored | Help | Accepted
    answer(said)  rate limit, thread lock, engine, store (`TriageService`) → Answer | RateLimited
    rate(rating)  one vote per person per answer, the rated verdict, the feedback log
    correct(c)    a person corrected the reading (a form): once per submission, their changes
                  become facts of the thread and it is answered again → Ignored | Answer | …
                  (queued like a message: `Correction.job` / `Correction.of_job`)
    week(scope)   a community's last seven days: answers by verdict, 👍/👎 (`bot.core.stats`)
    note(scope, what) / noted(scope)   remember a fact about a community for a while (what a
                  platform refused it), shared by every replica; `note` is True only the first time

`hear` is cheap (a store round trip or two) and may run before the platform is acknowledged;
`answer` is the slow half an adapter runs in the background. Help words, the apology text and its
reference id live here once (`is_help`, `Conversations.apology`, `bot.errors.new_ref`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast, get_args

from bot.core import stats
from bot.core.jobs.base import Job
from bot.core.service import Observer as ServiceObserver
from bot.core.service import Outcome, TriageService
from bot.core.store.base import Feedback, Store
from bot.core.texts import Texts
from bot.core.triage.dimensions import BY_NAME
from bot.core.types import Answer, Incoming, State
from bot.errors import StoreError, new_ref

log = logging.getLogger(__name__)

CORRECTION = "correction"
"""The job kind of a submitted correction form."""
HELP_WORDS = frozenset({"help", "/help", "usage", "-h", "--help", "?"})
"""Slack's and Teams' words for "how do I use this?" (the union of what each adapter took)."""
MAX_COMMENT_CHARS = 2000


def is_help(text: str) -> bool:
    """`help` (and a few obvious spellings) asks for usage; any other text is a project."""
    return text.strip().lower().rstrip(".!") in HELP_WORDS


@dataclass(frozen=True, slots=True)
class Said:
    """A person's message, as the adapter read it (mentions removed, entities decoded)."""

    platform: str
    thread: str | None
    user: str
    text: str
    deliveries: tuple[str, ...] = ()
    """De-duplication keys of this delivery: it is answered only if every one is new."""
    addressed: bool = True
    """False for a message that did not address the bot (a thread reply without a mention): it
    is answered only if the thread is one the bot has answered."""
    kind: str = "message"
    scope: str | None = None
    """The community it belongs to (a Slack workspace: `slack:T…`), whose statistics count its
    answer; None counts nothing."""

    @property
    def incoming(self) -> Incoming:
        return Incoming(self.thread, self.user, self.text.strip(), self.platform)


@dataclass(frozen=True, slots=True)
class Ignored:
    why: Literal["not ours", "duplicate"]


@dataclass(frozen=True, slots=True)
class Help:
    """Show usage; `empty`: the message had no words at all."""

    empty: bool


@dataclass(frozen=True, slots=True)
class Accepted:
    """Answer it (`Conversations.answer`)."""


Heard = Ignored | Help | Accepted


@dataclass(frozen=True, slots=True)
class Rating:
    """A person rated (and perhaps commented on) an answer."""

    platform: str
    thread: str | None
    user: str
    rating: Literal["up", "down"]
    verdict: str | None = None
    """The rated verdict if the platform says; else the thread's latest stands in."""
    comment: str = ""
    once: str | None = None
    """A key naming this person's vote on this answer: repeated clicks count once."""
    scope: str | None = None
    """As `Said.scope`: whose statistics count the vote."""


@dataclass(frozen=True, slots=True)
class Correction:
    """A person submitted the "correct my reading" form of a thread's answer."""

    platform: str
    thread: str
    user: str
    chosen: Mapping[str, State]
    """Per dimension on the form, what the person chose (yes, no, or unknown: not said)."""
    shown: Mapping[str, State]
    """What the form showed before: only a dimension whose choice differs becomes a fact."""
    once: str | None = None
    """A key naming this submission: a platform's retry of it is answered once."""
    scope: str | None = None
    """As `Said.scope`: whose statistics count the new answer."""

    @property
    def changes(self) -> dict[str, State]:
        return {
            d: s
            for d, s in self.chosen.items()
            if d in BY_NAME and self.shown.get(d, "unknown") != s
        }

    def job(self, reply: dict[str, Any]) -> Job:
        """The correction as a job answered on any replica (`reply`: where its answer goes).
        The submission's `once` key becomes the job's delivery key, so a platform's retry is
        dropped by the queue (or, answered in-process, by the store), as a message's is."""
        data = {"chosen": dict(self.chosen), "shown": dict(self.shown), "scope": self.scope}
        deliveries = (self.once,) if self.once else ()
        return Job(
            self.platform,
            CORRECTION,
            self.thread,
            self.user,
            "",
            reply,
            data=data,
            deliveries=deliveries,
        )

    @classmethod
    def of_job(cls, job: Job) -> Correction:
        """The correction a job carries, without its `once` key: the job was de-duplicated as
        it was taken. ValueError if the job is not a correction."""
        if job.kind != CORRECTION or not job.thread:
            raise ValueError("not a correction job")
        scope = job.data.get("scope")
        return cls(
            job.platform,
            job.thread,
            job.user,
            _states(job.data.get("chosen")),
            _states(job.data.get("shown")),
            scope=scope if isinstance(scope, str) else None,
        )


def _states(raw: object) -> dict[str, State]:
    if not isinstance(raw, dict):
        raise ValueError("a correction's states are an object")
    allowed = get_args(State)
    return {str(d): cast(State, s) for d, s in raw.items() if s in allowed}


class Observer(ServiceObserver, Protocol):
    def duplicate(self, platform: str, what: str) -> None: ...

    def rated(self, platform: str, rating: str, verdict: str, thread: str | None) -> None: ...


class Conversations:
    def __init__(
        self,
        service: TriageService,
        store: Store,
        *,
        texts: Texts,
        observer: Observer,
        dedup_ttl_seconds: int = 86_400,
        vote_ttl_seconds: int = 1_209_600,
    ) -> None:
        self.service = service
        self.store = store
        self.texts = texts
        self.observer = observer
        self.dedup_ttl_seconds = dedup_ttl_seconds
        self.vote_ttl_seconds = vote_ttl_seconds

    async def first_delivery(self, platform: str, keys: tuple[str, ...], what: str) -> bool:
        """True unless one of `keys` was seen before (a retry, or the same message twice)."""
        for key in keys:
            if not await self.store.first_time(key, self.dedup_ttl_seconds):
                self.observer.duplicate(platform, what)
                return False
        return True

    async def hear(self, said: Said, *, dedup: bool = True) -> Heard:
        """`dedup=False`: the caller queues an accepted message and the queue de-duplicates it
        (see `bot.core.jobs.workers`); help is answered at once, so it is de-duplicated here."""
        if not said.addressed and (
            said.thread is None or not await self.store.load_turns(said.thread)
        ):
            return Ignored("not ours")
        text = said.text.strip()
        help_wanted = not text or is_help(text)
        if (dedup or help_wanted) and not await self.first_delivery(
            said.platform, said.deliveries, said.kind
        ):
            return Ignored("duplicate")
        if help_wanted:
            return Help(empty=not text)
        return Accepted()

    async def answer(self, said: Said) -> Outcome:
        return await self._counted(said.scope, await self.service.handle(said.incoming))

    async def correct(self, correction: Correction) -> Ignored | Outcome:
        """Answer the thread again with the person's changes as facts; `Ignored("duplicate")`
        for a submission already taken (by this replica or another)."""
        keys = (correction.once,) if correction.once else ()
        if not await self.first_delivery(correction.platform, keys, "correction"):
            return Ignored("duplicate")
        outcome = await self.service.correct(
            correction.thread, correction.user, correction.platform, correction.changes
        )
        return await self._counted(correction.scope, outcome)

    async def rate(self, rating: Rating) -> bool:
        """Store the rating; False if this person's vote on this answer was already counted."""
        if rating.once and not await self.store.first_time(rating.once, self.vote_ttl_seconds):
            return False
        verdict = rating.verdict
        if verdict is None:
            turns = await self.store.load_turns(rating.thread) if rating.thread else []
            said = [t.verdict for t in turns if t.role == "bot"]
            verdict = (said[-1] if said else None) or "unknown"
        await self.store.add_feedback(
            Feedback(
                rating=rating.rating,
                verdict=verdict,
                thread=rating.thread,
                comment=rating.comment[:MAX_COMMENT_CHARS],
                user=rating.user,
                platform=rating.platform,
            )
        )
        self.observer.rated(rating.platform, rating.rating, verdict, rating.thread)
        await self._tally(rating.scope, stats.RATING + rating.rating)
        return True

    async def week(self, scope: str) -> stats.Week:
        """What `scope` asked and rated in the last seven days (the store's counters)."""
        return stats.Week.from_counts(await self.store.counts(stats.week_keys(scope)))

    async def note(self, scope: str, what: str, ttl_seconds: int) -> bool:
        """Remember `what` about `scope` for `ttl_seconds`; True if no replica had noted it."""
        return await self.store.count(stats.notes_key(scope), what, ttl_seconds) == 1

    async def noted(self, scope: str) -> frozenset[str]:
        return frozenset(await self.store.counts([stats.notes_key(scope)]))

    async def _counted(self, scope: str | None, outcome: Outcome) -> Outcome:
        """`outcome`, with its verdict counted in `scope`'s statistics if it is an answer."""
        if isinstance(outcome, Answer):
            await self._tally(scope, stats.VERDICT + outcome.verdict.value)
        return outcome

    async def _tally(self, scope: str | None, name: str) -> None:
        """Statistics never cost an answer: a store that fails here is only logged."""
        if scope is None:
            return
        try:
            await self.store.count(stats.day_key(scope, time.time()), name, stats.KEEP_SECONDS)
        except StoreError as exc:
            log.warning("statistics not counted", extra={"error": str(exc)})

    def apology(
        self,
        log: logging.Logger,
        message: str,
        *args: object,
        error: BaseException | None = None,
        **extra: object,
    ) -> str:
        """Log `error` (default: the exception being handled) with its traceback under a fresh
        reference id; return the words that tell the person the same id, never the error's text."""
        ref = new_ref()
        exc_info = (type(error), error, error.__traceback__) if error is not None else True
        log.error(message, *args, exc_info=exc_info, extra={"ref": ref, **extra})
        return self.texts.apology.format(ref=ref)
