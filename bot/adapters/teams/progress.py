"""What a Teams user sees while the bot works on an answer, by kind of conversation.

- **Personal chat**: a Teams stream. An informative update (`messages.PROGRESS_STEPS`, the next
  one every few seconds) shows what the bot is doing, and the answer becomes the stream's final
  message (`Waiting.finish`). If the client or the service refuses the stream — any 4xx to the
  first update; Teams answers 403 when streaming is not allowed — typing indicators stand in,
  and that is logged once for the answer; the answer itself is then an ordinary message.
- **Group chat**: typing indicators, refreshed until the answer is sent.
- **Channel reply chain** (`…;messageid=…`): nothing. Teams shows no typing indicator in a reply
  chain, and one sent there breaks the Agents Playground's page (`setBotTypingStatus` throws
  `Invalid conversation id` and the answer after it never appears to the person).

Teams accepts about one streaming activity a second, so the final message keeps that distance
from the update before it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot import messages
from bot.adapters.teams import replies

log = logging.getLogger(__name__)

TYPING_EVERY_SECONDS = 3.0  # Teams shows "typing…" for a few seconds per indicator
STEP_EVERY_SECONDS = 3.0
STREAM_GAP_SECONDS = 1.0
"""The least time between two activities of one stream (Teams throttles faster ones)."""

Place = Literal["personal", "chat", "reply_chain"]


def place(reference: ConversationReference) -> Place:
    """Where the answer goes: a personal chat, a reply chain of a channel, or any other chat
    (a group chat; an emulator that names no conversation type)."""
    conversation = reference.conversation
    kind = getattr(conversation, "conversation_type", None)
    conversation_id = str(getattr(conversation, "id", None) or "")
    if kind == "channel" or ";messageid=" in conversation_id:
        return "reply_chain"
    return "personal" if kind == "personal" else "chat"


def http_status(exc: BaseException) -> int | None:
    """The HTTP status the connector answered a failed send with; None without an answer."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def refused(exc: BaseException) -> bool:
    """The connector answered 4xx: it will not take this activity as sent (not a throttle)."""
    status = http_status(exc)
    return status is not None and 400 <= status < 500 and status != 429


def stream_refused(exc: BaseException) -> bool:
    """The connector refused an activity for being part of a stream: 403 (streaming not
    allowed), or a 4xx whose error code names the stream (`ContentStream…`: it ended, timed
    out or is out of order). Any other refusal is about the activity itself."""
    status = http_status(exc)
    if status == 403:
        return True
    return refused(exc) and "stream" in _error_code(exc).lower()


def _error_code(exc: BaseException) -> str:
    try:
        body = json.loads(getattr(getattr(exc, "response", None), "text", "") or "")
    except (TypeError, ValueError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else ""


@dataclass
class Waiting:
    """The stream the updates opened, if any; `finish` makes the answer its final message."""

    stream_id: str | None = None
    last_sent: float = 0.0

    async def finish(self, activity: Activity) -> Activity:
        if self.stream_id is None:
            return activity
        gap = STREAM_GAP_SECONDS - (time.monotonic() - self.last_sent)
        if gap > 0:
            await asyncio.sleep(gap)
        return replies.as_final(activity, self.stream_id)


@asynccontextmanager
async def waiting(context: TurnContext, reference: ConversationReference) -> AsyncIterator[Waiting]:
    """Updates or typing indicators until the block ends (see the module); none after it."""
    state = Waiting()
    where = place(reference)
    if where == "reply_chain":
        yield state
        return
    done = asyncio.Event()

    async def keep_informed() -> None:
        if where == "personal" and await _stream(context, state, done):
            return
        await _keep_typing(context, done)

    task = asyncio.create_task(keep_informed())
    try:
        yield state
    finally:
        done.set()
        await task


async def _stream(context: TurnContext, state: Waiting, done: asyncio.Event) -> bool:
    """Informative updates until `done`; False when the stream was refused at once."""
    for sequence, step in enumerate(messages.PROGRESS_STEPS, start=1):
        if sequence > 1 and await _ends_within(done, STEP_EVERY_SECONDS):
            return True
        try:
            response: Any = await context.send_activity(
                replies.informative(step, sequence, state.stream_id)
            )
        except Exception as exc:
            if sequence == 1 and refused(exc):
                log.info(
                    "teams streaming refused; typing indicators instead",
                    extra={"status": http_status(exc)},
                )
                return False
            log.warning("teams informative update not delivered", exc_info=True)
            return True
        state.last_sent = time.monotonic()
        if state.stream_id is None:
            state.stream_id = getattr(response, "id", None) or None
            if state.stream_id is None:  # a connector that names no stream cannot stream
                return False
    return True


async def _keep_typing(context: TurnContext, done: asyncio.Event) -> None:
    """Typing indicators until `done`: at least one."""
    while True:
        try:
            await context.send_activity(replies.typing())
        except Exception:
            log.warning("typing indicator not delivered", exc_info=True)
            return
        if await _ends_within(done, TYPING_EVERY_SECONDS):
            return


async def _ends_within(done: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(done.wait(), seconds)
    except TimeoutError:
        return False
    return True
