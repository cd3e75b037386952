"""A local stand-in for the Bot Framework connector (the service behind an activity's serviceUrl).

The bot sends replies to `{serviceUrl}v3/conversations/{id}/activities[/{replyToId}]`; this
server records each POST (decoded path parts, JSON body, Authorization header) and answers like
the connector, with the new activity's id. Tests point the activities' `serviceUrl` at it and
wait on what arrives — by condition, never by sleeping.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Post:
    conversation_id: str
    reply_to_id: str | None
    body: dict[str, Any]
    authorization: str | None
    path: str
    at: float = field(default_factory=time.perf_counter)  # arrival, for latency figures

    @property
    def type(self) -> str:
        return str(self.body.get("type"))

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def stream_info(self) -> dict[str, Any] | None:
        """The `streaminfo` entity of a Teams stream's update or final message, if any."""
        found = [e for e in self.body.get("entities") or [] if e.get("type") == "streaminfo"]
        return found[0] if found else None


class ConnectorStandIn:
    def __init__(self) -> None:
        self.posts: list[Post] = []
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._server: TestServer | None = None
        self.fail_with: int | None = None  # answer every POST with this status when set
        self.refuse: list[int] = []  # statuses for the next message POSTs, one each (throttling)
        self.refuse_streams: int | None = None
        """When set, every activity of a stream (a `streaminfo` entity) whose `streamType` is in
        `refused_stream_types` gets this status and Teams' error body — what a client or tenant
        that does not allow streaming answers (403 `ContentStreamNotAllowed`)."""
        self.refused_stream_types = frozenset({"informative", "streaming", "final"})

    async def start(self) -> ConnectorStandIn:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._record)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._record
        )
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def url(self) -> str:
        """The serviceUrl to put in activities (with the trailing slash Teams uses)."""
        assert self._server is not None
        return str(self._server.make_url("/"))

    def messages(self) -> list[Post]:
        return [p for p in self.posts if p.type == "message"]

    def typing(self) -> list[Post]:
        return [p for p in self.posts if p.type == "typing"]

    async def wait_for(
        self, condition: Callable[[ConnectorStandIn], bool], within: float = WAIT_SECONDS
    ) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: condition(self)), within)

    async def wait_messages(self, count: int, within: float = WAIT_SECONDS) -> list[Post]:
        await self.wait_for(lambda c: len(c.messages()) >= count, within)
        return self.messages()

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.json()
        post = Post(
            conversation_id=request.match_info["conversation_id"],
            reply_to_id=request.match_info.get("reply_to_id"),
            body=body,
            authorization=request.headers.get("Authorization"),
            path=request.path,
        )
        async with self._changed:
            self.posts.append(post)
            self._changed.notify_all()
        status = self.fail_with
        stream = post.stream_info
        if status is None and self.refuse_streams is not None and stream is not None:
            if stream.get("streamType") in self.refused_stream_types:
                error = {"error": {"code": "ContentStreamNotAllowed", "message": "not allowed"}}
                return web.json_response(error, status=self.refuse_streams)
        if status is None and self.refuse and post.type == "message":
            status = self.refuse.pop(0)
        if status is not None:
            error = {"error": {"code": "Throttled" if status == 429 else "ServiceError"}}
            return web.json_response(error, status=status, headers={"Retry-After": "0"})
        return web.json_response({"id": f"bot-reply-{next(self._ids)}"}, status=200)
