"""Slack's AI surfaces — the loading status, thread titles, suggested prompts — where a
workspace allows them, and quietly nothing where it does not.

Whether `assistant.threads.*` works depends on the workspace and the install: the app's
scopes (`assistant:write`, or `chat:write` for the status in channels), the assistant view
being on, the workspace's plan or an admin's policy. Slack says no with an error such as
`not_allowed_token_type` or `missing_scope`, and will say it again on every call. So the first
refusal of a feature in a workspace is remembered for `REMEMBER_SECONDS` — in this process, and
as a note in the store (`Conversations.note`) for the other replicas — and logged once (INFO, by
whichever replica noted it first); until then the feature is not asked for there again and the
caller falls back (the 👀 reaction instead of the status). Any other failure (a network error,
`ratelimited`) is a WARNING for that one call, never an error: an answer goes out regardless.

While an answer is worked on (`start_working` … `stop_working`, in the job handler, so on
whichever replica answers): the status with its rotating loading messages where allowed, else 👀
on the message. Slack clears the status itself when the app replies in the thread; without a
reply (a rate-limit notice only its author sees, a failure) it is cleared with an empty status.

Features are named per surface: `status:assistant` (the split view) and `status:thread` (a
channel or DM thread) are refused separately, since a workspace may allow one and not the other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.adapters.slack.api import SlackApi, error_code
from bot.adapters.slack.keys import scope
from bot.core.conversation import Conversations

log = logging.getLogger(__name__)

REFUSALS = frozenset(
    {
        "not_allowed_token_type",
        "not_allowed",
        "missing_scope",
        "no_permission",
        "access_denied",
        "feature_not_enabled",
        "team_access_not_granted",
        "method_not_supported_for_channel_type",
        "not_allowed_for_channel_type",
        "unknown_method",
    }
)
"""Slack's answers meaning "not here, not for this app" (the method exists; this workspace or
token may not use it), as opposed to a failure of one call."""
REMEMBER_SECONDS = 86_400
"""A refusal is believed for a day: a workspace that adds the scope or turns the assistant view
on (and reinstalls) gets the feature back within a day, without a restart."""
RECHECK_SECONDS = 300.0
"""How long a replica trusts what it last read of a workspace's notes in the store."""
WORKING_REACTION = "eyes"


@dataclass(frozen=True, slots=True)
class Working:
    """What shows that a message is being answered: the thread's status, or 👀 on `ts`."""

    channel: str
    ts: str
    root: str
    status: bool


def refused_note(feature: str) -> str:
    return f"slack-refused:{feature}"


class Surfaces:
    def __init__(
        self, api: SlackApi, core: Conversations, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._api = api
        self._core = core
        self._clock = clock
        self._refused: dict[tuple[str, str], float] = {}  # (team, feature) → believed until
        self._notes: dict[str, tuple[frozenset[str], float]] = {}  # team → (notes, read at)

    async def attempt(self, team: str, feature: str, call: Callable[[], Awaitable[object]]) -> bool:
        """Make `call` unless `team` refused `feature`; True if Slack accepted it."""
        if await self.refused(team, feature):
            return False
        try:
            await call()
        except SlackApiError as exc:
            code = error_code(exc)
            if code in REFUSALS:
                await self._refuse(team, feature, code)
            else:
                log.warning("slack %s failed", feature, extra={"team": team, "error": code})
            return False
        except Exception as exc:
            log.warning("slack %s failed", feature, extra={"team": team, "error": repr(exc)})
            return False
        return True

    async def start_working(
        self, team: str, channel: str, ts: str, root: str, *, assistant: bool
    ) -> Working:
        feature = "status:assistant" if assistant else "status:thread"
        shown = await self.attempt(
            team,
            feature,
            lambda: self._api.set_status(
                channel, root, messages.SLACK_STATUS, messages.PROGRESS_STEPS
            ),
        )
        if not shown:
            await self._api.react(channel, ts, WORKING_REACTION)
        return Working(channel, ts, root, shown)

    async def stop_working(self, working: Working, *, replied: bool) -> None:
        """`replied`: the answer went into the thread, which cleared the status already."""
        if not working.status:
            await self._api.react(working.channel, working.ts, WORKING_REACTION, add=False)
        elif not replied:
            try:
                await self._api.set_status(working.channel, working.root, "")
            except Exception as exc:  # it times out by itself after two minutes
                log.debug("slack status not cleared", extra={"error": repr(exc)})

    async def refused(self, team: str, feature: str) -> bool:
        now = self._clock()
        until = self._refused.get((team, feature))
        if until is not None:
            if until > now:
                return True
            del self._refused[(team, feature)]
        notes, read_at = self._notes.get(team, (frozenset(), float("-inf")))
        if now - read_at >= RECHECK_SECONDS:
            notes = await self._core.noted(scope(team))
            self._notes[team] = (notes, now)
        return refused_note(feature) in notes

    async def _refuse(self, team: str, feature: str, error: str) -> None:
        self._refused[(team, feature)] = self._clock() + REMEMBER_SECONDS
        first = await self._core.note(scope(team), refused_note(feature), REMEMBER_SECONDS)
        if first:
            log.info(
                "slack refused %s in this workspace: not asking again for a day",
                feature,
                extra={"team": team, "error": error},
            )
        else:
            log.debug("slack refused %s again", feature, extra={"team": team, "error": error})
