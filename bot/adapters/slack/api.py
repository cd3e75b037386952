"""The Web API calls the adapter makes, with Slack's failure modes handled in one place.

- `ratelimited` (HTTP 429): wait `Retry-After`, then try again — at most `max_attempts` calls
  and never a wait longer than `max_retry_after`; past that the error is raised and the caller
  apologises, because an answer a minute late is worth less than a clear failure now.
- `invalid_blocks` / `invalid_blocks_format` / `msg_too_long`: Slack refused the layout; the same
  content goes out as plain text instead, never silently dropped.
- Anything else raises `SlackApiError` for the caller (`not_in_channel` is the user's to fix).

Reactions and deleting the placeholder are decoration: their failures are logged, not raised.
The assistant calls (status, title, suggested prompts) are decoration too, but raise: whether a
workspace allows them is remembered by `surfaces.Surfaces`, which makes them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.retry import Sleep, retrying
from bot.adapters.slack.blocks import PLAIN_LIMIT, Block, SlackMessage, split_text

log = logging.getLogger(__name__)

DEGRADE_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long"})
NOT_A_MEMBER_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
HARMLESS_REACTION_ERRORS = frozenset({"already_reacted", "no_reaction", "message_not_found"})
REPLIES_PAGE = 15
Metadata = dict[str, Any]
"""Slack message metadata: `{"event_type": str, "event_payload": {…}}`."""


def error_code(exc: SlackApiError) -> str:
    """Slack's machine-readable error (`not_in_channel`, `ratelimited`, …), or ''."""
    response = exc.response
    try:
        return str(response.get("error") or "")
    except AttributeError:
        return ""


def page_text(blocks: list[Block]) -> str:
    """A message's readable text without its blocks (headers bold, buttons left out)."""
    lines: list[str] = []
    for block in blocks:
        if block["type"] == "header":
            lines.append(f"*{block['text']['text']}*")
        elif block["type"] == "section":
            lines.append(block["text"]["text"])
        elif block["type"] == "context":
            lines += [e["text"] for e in block["elements"] if "text" in e]
    return "\n".join(lines)


class SlackApi:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        max_attempts: int = 3,
        max_retry_after: float = 30.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self._sleep = sleep

    async def _call(
        self, method: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
    ) -> AsyncSlackResponse:
        return await retrying(
            call, self._retry_delay, attempts=self.max_attempts, what=method, sleep=self._sleep
        )

    def _retry_delay(self, exc: Exception, attempt: int) -> float | None:
        wait = _retry_after(exc) if isinstance(exc, SlackApiError) else None
        return wait if wait is not None and wait <= self.max_retry_after else None

    async def _post(
        self,
        channel: str,
        message: SlackMessage,
        thread_ts: str | None,
        metadata: Metadata | None = None,
    ) -> str:
        response = await self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks or None,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            ),
        )
        return str(response["ts"])

    async def _update(self, channel: str, ts: str, message: SlackMessage) -> str:
        # `blocks=[]` clears the placeholder's blocks when the update is plain text.
        await self._call(
            "chat.update",
            lambda: self.client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks
            ),
        )
        return ts

    async def post_text(
        self,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        metadata: Metadata | None = None,
    ) -> str:
        return await self._post(channel, SlackMessage(text=text), thread_ts, metadata)

    async def post(
        self, channel: str, message: SlackMessage, *, thread_ts: str | None = None
    ) -> str:
        return await self._post(channel, message, thread_ts)

    async def post_pages(
        self,
        channel: str,
        pages: list[SlackMessage],
        *,
        thread_ts: str | None = None,
        replace_ts: str | None = None,
        metadata: Metadata | None = None,
    ) -> str:
        """Send an answer's pages; the first replaces `replace_ts` if given, the rest go into its
        thread. A page Slack refuses is re-sent as plain text. Returns the first page's ts.
        `metadata` goes with the first message posted (`find_marked` finds it again)."""
        first = ""
        for number, page in enumerate(pages):
            target = thread_ts or first or None
            replace = replace_ts if number == 0 else None
            marked = metadata if number == 0 else None
            try:
                ts = await self._send(channel, page, target, replace, marked)
            except SlackApiError as exc:
                if error_code(exc) not in DEGRADE_ERRORS:
                    raise
                log.warning(
                    "slack refused the message layout; sending plain text",
                    extra={"error": error_code(exc), "blocks": len(page.blocks)},
                )
                ts = await self._send_plain(channel, page, target, replace, marked)
            first = first or ts
        return first

    async def _send(
        self,
        channel: str,
        page: SlackMessage,
        thread_ts: str | None,
        replace_ts: str | None,
        metadata: Metadata | None = None,
    ) -> str:
        if replace_ts:
            return await self._update(channel, replace_ts, page)
        return await self._post(channel, page, thread_ts, metadata)

    async def _send_plain(
        self,
        channel: str,
        page: SlackMessage,
        thread_ts: str | None,
        replace_ts: str | None,
        metadata: Metadata | None,
    ) -> str:
        chunks = split_text(page_text(page.blocks) or page.text, PLAIN_LIMIT)
        first = SlackMessage(text=chunks[0])
        ts = await self._send(channel, first, thread_ts, replace_ts, metadata)
        for chunk in chunks[1:]:
            await self._post(channel, SlackMessage(text=chunk), thread_ts or ts)
        return ts

    async def find_marked(
        self, channel: str, thread_ts: str, metadata: Metadata, *, oldest: str, pages: int = 3
    ) -> str | None:
        """The ts of a message in the thread posted since `oldest` with this `metadata`
        (`conversations.replies` with `include_all_metadata`), or None. Rate-limited hard by
        Slack (one call a minute for some apps), so it is for the rare case only: a job taken
        over from a worker that died. At most `pages` calls of 15 messages (the limit every
        app may ask for)."""
        cursor: str | None = None

        def page() -> Awaitable[AsyncSlackResponse]:
            return self.client.conversations_replies(
                channel=channel,
                ts=thread_ts,
                oldest=oldest,
                inclusive=True,
                include_all_metadata=True,
                limit=REPLIES_PAGE,
                cursor=cursor,
            )

        for _ in range(pages):
            response = await self._call("conversations.replies", page)
            for message in response.get("messages") or []:
                if isinstance(message, dict) and message.get("metadata") == metadata:
                    return str(message.get("ts") or "") or None
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or cursor is None:
                return None
        return None

    async def ephemeral(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> None:
        await self._call(
            "chat.postEphemeral",
            lambda: self.client.chat_postEphemeral(
                channel=channel, user=user, text=text, thread_ts=thread_ts
            ),
        )

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        """`views.open` for an interaction's `trigger_id`, which Slack honours for 3 seconds:
        never retried after a wait (a rate-limited open is late anyway)."""
        await self.client.views_open(trigger_id=trigger_id, view=view)

    async def set_status(
        self, channel: str, thread_ts: str, status: str, loading: Sequence[str] = ()
    ) -> None:
        """The loading state under a thread (`""` clears it; so does the app's next reply).
        One call, never retried: a status that arrives late is worse than none."""
        await self.client.assistant_threads_setStatus(
            channel_id=channel,
            thread_ts=thread_ts,
            status=status,
            loading_messages=list(loading) or None,
        )

    async def suggest(
        self, channel: str, thread_ts: str, title: str, prompts: Sequence[tuple[str, str]]
    ) -> None:
        await self.client.assistant_threads_setSuggestedPrompts(
            channel_id=channel,
            thread_ts=thread_ts,
            title=title,
            prompts=[{"title": t, "message": m} for t, m in prompts],
        )

    async def set_title(self, channel: str, thread_ts: str, title: str) -> None:
        await self.client.assistant_threads_setTitle(
            channel_id=channel, thread_ts=thread_ts, title=title
        )

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        await self._call(
            "views.publish", lambda: self.client.views_publish(user_id=user, view=view)
        )

    async def react(self, channel: str, ts: str, name: str, *, add: bool = True) -> None:
        """Best effort: a missing 👀 is not worth failing or delaying an answer for."""
        method = self.client.reactions_add if add else self.client.reactions_remove
        try:
            await method(channel=channel, timestamp=ts, name=name)
        except SlackApiError as exc:
            if error_code(exc) not in HARMLESS_REACTION_ERRORS:
                log.warning("slack reaction failed", extra={"error": error_code(exc), "add": add})
        except Exception as exc:
            log.warning("slack reaction failed", extra={"error": repr(exc), "add": add})

    async def delete(self, channel: str, ts: str) -> None:
        try:
            await self._call("chat.delete", lambda: self.client.chat_delete(channel=channel, ts=ts))
        except Exception as exc:
            log.warning("could not delete the placeholder message", extra={"error": repr(exc)})

    async def respond(self, response_url: str, text: str, **extra: Any) -> bool:
        """Ephemeral reply through an interaction's `response_url`; False (logged) on failure."""
        hook = AsyncWebhookClient(response_url, session=self.client.session)
        try:
            response = await hook.send_dict(
                {"text": text, "response_type": "ephemeral", "replace_original": False, **extra}
            )
        except Exception as exc:
            log.warning("response_url request failed", extra={"error": repr(exc)})
            return False
        if response.status_code != 200:
            log.warning("response_url refused the reply", extra={"status": response.status_code})
            return False
        return True


def _retry_after(exc: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait, or None if this is not a rate-limit error."""
    response = exc.response
    if getattr(response, "status_code", None) != 429 and error_code(exc) != "ratelimited":
        return None
    headers = {k.lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    raw = headers.get("retry-after", "1")
    value = raw[0] if isinstance(raw, list) else raw
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0
