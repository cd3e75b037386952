"""Socket Mode: Slack pushes the same payloads over a WebSocket the bot opens (no public URL).

Used when `SLACK_APP_TOKEN` (an `xapp-` app-level token with `connections:write`) is set. Each
envelope becomes a bolt request in `socket_mode` (which skips the signature check: the socket
itself is authenticated by the app token) and its bolt response becomes the envelope's ack, so
listeners, de-duplication and answers are exactly the HTTP path's.

The client is created on application start-up (it needs the running loop) and connects in the
background: `connect()` retries on its own, so a bad token or an unreachable Slack is logged
while the rest of the server (health, Teams) keeps running. It is closed on shutdown, before
in-flight answers are drained.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

log = logging.getLogger(__name__)


class SocketMode:
    def __init__(self, app: AsyncApp, app_token: str) -> None:
        self.app = app
        self.app_token = app_token
        self.client: SocketModeClient | None = None
        self._connecting: asyncio.Task[None] | None = None

    async def start(self) -> None:
        client = SocketModeClient(
            app_token=self.app_token,
            web_client=self.app.client,
            logger=logging.getLogger("bot.adapters.slack.socket_mode"),
        )
        client.socket_mode_request_listeners.append(self._handle)
        self.client = client
        connect = client.connect()  # type: ignore[no-untyped-call]
        self._connecting = asyncio.create_task(connect, name="slack-socket-connect")

    async def stop(self) -> None:
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
        if self.client is not None:
            await self.client.close()  # type: ignore[no-untyped-call]
            self.client = None

    async def _handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        headers: dict[str, str | Sequence[str]] = {}
        if req.retry_attempt is not None:
            headers["x-slack-retry-num"] = str(req.retry_attempt)
        if req.retry_reason is not None:
            headers["x-slack-retry-reason"] = req.retry_reason
        bolt_request = AsyncBoltRequest(mode="socket_mode", body=req.payload, headers=headers)
        response = await self.app.async_dispatch(bolt_request)
        payload: dict[str, Any] | None = None
        if response.status == 200 and response.body:
            content_type = response.headers.get("content-type", [""])[0]
            is_json = content_type.startswith("application/json")
            payload = json.loads(response.body) if is_json else {"text": response.body}
        elif response.status != 200:
            log.info("socket mode request not handled", extra={"status": response.status})
        await client.send_socket_mode_response(
            SocketModeResponse(envelope_id=req.envelope_id, payload=payload)
        )
