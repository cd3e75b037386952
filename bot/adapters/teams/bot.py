"""The Teams bot: converts activities to the core's `Said` and `Rating`, outcomes to activities.

A message is queued as a job before it is acknowledged, and answered by whichever replica takes
the job (`continue_conversation` with the conversation reference the job carries): Teams gives
a bot about 15 seconds to answer the HTTP request and retries or reports an error after that,
while an LLM turn may take up to `LLM_TIMEOUT_SECONDS`.
Each delivery is checked against the shared store first, so a retried or duplicated activity is
answered once. While the engine works, the user sees progress (`progress`): informative
updates of a Teams stream in a personal chat, typing indicators in a group chat, nothing in a
channel's reply chain.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from botbuilder.core import ActivityHandler, BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationReference,
    InvokeResponse,
)
from msrest.exceptions import ClientRequestError

from bot import messages
from bot.adapters.retry import retrying
from bot.adapters.teams import cards, keys, progress, replies
from bot.core.conversation import CORRECTION, Correction, Help, Ignored, Rating, Said
from bot.core.jobs import Job, Progress
from bot.core.jobs.base import POSTED
from bot.core.service import Outcome, RateLimited
from bot.errors import new_ref
from bot.observability import thread_hash

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 3
MAX_RETRY_AFTER_SECONDS = 10.0
RETRIED_STATUSES = frozenset({429, 502, 503, 504})  # throttled, or surely not delivered
FEEDBACK_ACTION = "message/submitAction"
ROUTE = f"{keys.PLATFORM}:message"
CORRECTION_ROUTE = f"{keys.PLATFORM}:{CORRECTION}"
_DEDUPED = frozenset({ActivityTypes.invoke, ActivityTypes.conversation_update})
_AT_TAG = re.compile(r"</?at>", re.IGNORECASE)

SendHook = Callable[[TurnContext, list[Activity], Callable[[], Awaitable[Any]]], Awaitable[Any]]


class TriageBot(ActivityHandler):  # type: ignore[misc]  # botbuilder ships no type hints
    def __init__(self, runtime: Runtime, *, app_id: str) -> None:
        super().__init__()
        self._runtime = runtime
        self._core = runtime.conversations
        self._app_id = app_id
        self.adapter: BotAdapter | None = None
        """The adapter replies go through; set when the application starts."""
        runtime.jobs.handle(ROUTE, self._answer_job)
        runtime.jobs.handle(CORRECTION_ROUTE, self._answer_correction)

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Invokes and conversation updates are de-duplicated here; a message by the core."""
        activity: Activity = turn_context.activity
        if activity.type in _DEDUPED and activity.id:
            delivery = (keys.dedup_key(activity),)
            if not await self._core.first_delivery(keys.PLATFORM, delivery, str(activity.type)):
                if activity.type == ActivityTypes.invoke:
                    await _answer_invoke(turn_context, HTTPStatus.OK)
                return
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity: Activity = turn_context.activity
        if cards.card_kind(activity.value) is not None:
            await self._on_card(turn_context)
            return
        said = Said(
            keys.PLATFORM,
            keys.thread_key(activity),
            keys.user_id(activity),
            incoming_text(activity),
            deliveries=(keys.dedup_key(activity),) if activity.id else (),
        )
        heard = await self._core.hear(said, dedup=False)  # the job's worker de-duplicates
        if isinstance(heard, Ignored):
            return
        if isinstance(heard, Help):
            usage = messages.TEAMS_EMPTY_MESSAGE if heard.empty else messages.TEAMS_USAGE
            await turn_context.send_activity(replies.text_reply(usage))
            return
        reference = TurnContext.get_conversation_reference(activity)
        reply = {"reference": reference.serialize()}
        job = Job(keys.PLATFORM, "message", said.thread, said.user, said.text, reply)
        await self._runtime.jobs.submit(replace(job, deliveries=said.deliveries))

    async def _answer_job(self, job: Job, progress: Progress) -> None:
        """Answer a queued message in its conversation (reply chain), once."""
        said = Said(keys.PLATFORM, job.thread, job.user, job.text)
        await self._answer_queued(job, progress, lambda: self._core.answer(said))

    async def _answer_correction(self, job: Job, progress: Progress) -> None:
        """Answer a queued correction in its conversation, once."""
        await self._answer_queued(job, progress, lambda: self._core.correct(Correction.of_job(job)))

    async def _answer_queued(
        self,
        job: Job,
        progress: Progress,
        answer: Callable[[], Awaitable[Outcome | Ignored]],
    ) -> None:
        """Post `answer()` (or the job's excuse) in the job's conversation: a job whose answer
        was posted by a worker that died before acknowledging it is only acknowledged."""
        if POSTED in progress.marks:
            return
        if self.adapter is None:
            raise RuntimeError("the Teams adapter has not started")
        reference = ConversationReference().deserialize(job.reply["reference"])
        excuse = progress.excuse

        async def work() -> Outcome | Ignored | str:
            return excuse if excuse is not None else await answer()

        posted = await self._answer_later(self.adapter, reference, job.thread, work)
        await progress.mark(POSTED, posted or "-")

    async def _on_card(self, turn_context: TurnContext) -> None:
        """A click on *Correct my reading* gets the form; the form's submission is a correction,
        queued like a message before the activity is acknowledged (de-duplicated on its
        activity id) and answered by whichever replica takes the job."""
        activity: Activity = turn_context.activity
        value: dict[str, Any] = activity.value
        thread = keys.thread_key(activity)
        try:
            code = cards.opened_code(value)
        except ValueError:
            log.info("a card submission without a reading ignored")
            return
        if cards.card_kind(value) == cards.OPEN:
            delivery = (keys.dedup_key(activity),) if activity.id else ()
            if await self._core.first_delivery(keys.PLATFORM, delivery, "correct"):
                form = Activity(
                    type=ActivityTypes.message, attachments=[cards.correction_card(code)]
                )
                await turn_context.send_activity(form)
            return
        shown, chosen = cards.submitted(value)
        correction = Correction(
            keys.PLATFORM,
            thread,
            keys.user_id(activity),
            chosen,
            shown,
            once=keys.dedup_key(activity) if activity.id else None,
        )
        reference = TurnContext.get_conversation_reference(activity)
        await self._runtime.jobs.submit(correction.job({"reference": reference.serialize()}))

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_added or []):
            await turn_context.send_activity(replies.text_reply(messages.TEAMS_WELCOME))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """Feedback is the one invoke this bot implements. Every other name is refused here:
        botbuilder's own dispatch answers 501, or 500 for a malformed `adaptiveCard/action`
        (it puts an exception object in the response body)."""
        if turn_context.activity.name == FEEDBACK_ACTION:
            rating = feedback_rating(turn_context.activity)
            if rating is None:
                log.info("feedback invoke without a reaction ignored")
            else:
                await self._core.rate(rating)
            return InvokeResponse(status=HTTPStatus.OK)
        return InvokeResponse(status=HTTPStatus.NOT_IMPLEMENTED)

    async def _answer_later(
        self,
        adapter: BotAdapter,
        reference: ConversationReference,
        thread: str | None,
        work: Callable[[], Awaitable[Outcome | Ignored | str]],
    ) -> str | None:
        """Runs after the HTTP request was acknowledged; never raises (it is a background task).
        Returns the id of the reply sent, if any."""
        sent: list[str] = []

        async def reply(context: TurnContext) -> None:
            context.on_send_activities(_reply_to(reference.activity_id))
            activity = await self._reply_for(context, thread, work, reference)
            if activity is None:
                return
            response = await _deliver(context, activity)
            sent.append(str(getattr(response, "id", None) or "sent"))

        try:
            await adapter.continue_conversation(reference, reply, self._app_id)
        except Exception:
            log.exception(
                "teams reply could not be delivered",
                extra={"ref": new_ref(), "thread_hash": thread_hash(thread)},
            )
        return sent[0] if sent else None

    async def _reply_for(
        self,
        context: TurnContext,
        thread: str | None,
        work: Callable[[], Awaitable[Outcome | Ignored | str]],
        reference: ConversationReference,
    ) -> Activity | None:
        """The answer, the rate-limit notice, or an apology whose reference is in the log — as
        the final message of the stream a personal chat's progress opened; None when the core
        ignored it (a correction submitted twice)."""
        activity: Activity
        async with progress.waiting(context, reference) as waiting:
            try:
                outcome = await work()
            except Exception:
                outcome = self._core.apology(
                    log, "teams answer failed", thread_hash=thread_hash(thread)
                )
        if isinstance(outcome, Ignored):
            return None
        if isinstance(outcome, str):
            activity = replies.text_reply(outcome)
        elif isinstance(outcome, RateLimited):
            activity = replies.text_reply(outcome.text)
        else:
            activity = replies.answer_reply(outcome, mention_hint=_needs_mention(reference))
        return await waiting.finish(activity)


def feedback_rating(activity: Activity) -> Rating | None:
    """The like/dislike (and comment) of a `message/submitAction` invoke, or None if it has none.
    The invoke names the rated message only by id, so the core uses the thread's latest verdict."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("actionValue")
    action = action if isinstance(action, dict) else {}
    reaction = action.get("reaction")
    if value.get("actionName") != "feedback" or reaction not in ("like", "dislike"):
        return None
    return Rating(
        keys.PLATFORM,
        keys.thread_key(activity),
        keys.user_id(activity),
        "up" if reaction == "like" else "down",
        comment=_feedback_text(action.get("feedback")),
    )


def incoming_text(activity: Activity) -> str:
    """The message text with the bot's own mention removed and other mentions kept as names.

    Like `TurnContext.remove_recipient_mention`, but literal: botbuilder's version uses the
    display name as a regular expression, which breaks on names such as "Triage (beta)"."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient is not None else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned")
        if (entity.type or "").lower() != "mention" or not isinstance(mentioned, dict):
            continue
        if bot_id and mentioned.get("id") == bot_id:
            text = text.replace(props.get("text") or f"<at>{mentioned.get('name', '')}</at>", " ")
    text = _AT_TAG.sub("", text)
    return " ".join(html.unescape(text).split())


def _feedback_text(raw: object) -> str:
    """Teams sends `{"feedbackText": "…"}` as a JSON string; a plain string is kept as given."""
    parsed: object = raw
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return raw.strip()
    text = parsed.get("feedbackText") if isinstance(parsed, dict) else None
    return text.strip() if isinstance(text, str) else ""


async def _deliver(context: TurnContext, activity: Activity) -> Any:
    """Send the reply, retried while throttled; a stream's final message the connector refuses
    (the stream ended or is not allowed) goes again as an ordinary message, logged once."""

    async def send(reply: Activity) -> Any:
        return await retrying(
            lambda: context.send_activity(reply),
            _retry_delay,
            attempts=SEND_ATTEMPTS,
            what="teams reply",
        )

    try:
        return await send(activity)
    except Exception as exc:
        if not (replies.is_streamed(activity) and progress.stream_refused(exc)):
            raise
        log.info(
            "teams stream refused at its final message; sent as a plain message",
            extra={"status": progress.http_status(exc)},
        )
        return await send(replies.without_stream(activity))


def _needs_mention(reference: ConversationReference) -> bool:
    conversation = reference.conversation
    kind = getattr(conversation, "conversation_type", None) if conversation else None
    return kind in ("channel", "groupChat")


def _reply_to(activity_id: str | None) -> SendHook:
    """A continuation turn's own activity is synthetic; replies must name the user's message so
    Teams posts them in its reply chain (`…/activities/{replyToId}`)."""

    async def hook(
        context: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[Any]]
    ) -> Any:
        for activity in activities:
            activity.reply_to_id = activity_id
        return await send()

    return hook


def _retry_delay(exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before retrying, or None when a retry cannot help."""
    response: Any = getattr(exc, "response", None)
    status = progress.http_status(exc)
    if status is None:  # no HTTP answer at all (connection refused, reset, DNS)
        return float(2 ** (attempt - 1)) if isinstance(exc, OSError | ClientRequestError) else None
    if status not in RETRIED_STATUSES:
        return None
    try:
        wait = float(response.headers.get("Retry-After", ""))
    except (TypeError, ValueError):
        wait = float(2 ** (attempt - 1))
    return min(max(wait, 0.0), MAX_RETRY_AFTER_SECONDS)


async def _answer_invoke(context: TurnContext, status: HTTPStatus) -> None:
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status))
    )
