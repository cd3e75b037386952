"""A local stand-in for the Slack Web API (https://slack.com/api/), recording every call.

Like bolt-python's `tests/mock_web_api_server`, but an aiohttp server on 127.0.0.1 so tests
exercise the real `AsyncWebClient` over real HTTP. It answers the methods the bot uses with
Slack's response shapes, and can be told to fail:

    api.fail("chat.postMessage", "not_in_channel")            # next call fails, {"ok": false}
    api.refuse("assistant.threads.setStatus", "not_allowed_token_type")   # every call fails
    api.rate_limit("chat.postMessage", retry_after=1)         # next call: HTTP 429 + Retry-After
    await api.wait_for("chat.postMessage", count=2)           # waits (bounded), never sleeps
    gate = api.hold("chat.postMessage"); …; gate.set()        # next call answers when released

Messages posted with `chat.postMessage` are kept (with their `metadata`, timestamps from the
clock as Slack's are) and `conversations.replies` (GET, as the SDK calls it) answers from them,
paged by `limit`/`cursor` and bounded by `oldest`, with metadata only for
`include_all_metadata`. Slack returns a thread's parent too; the stand-in knows only what the
bot posted, so it returns the bot's messages in that thread.

It also serves `response_url`s (`api.response_url("name")`, recorded as method `response_url`),
a Socket Mode WebSocket (`apps.connections.open` hands out its URL; `send_envelope`), and — for a
driver in another process, like scripts/bench_slack.py — `GET /calls/{method}?count=N`, which
answers (long-polling) once N calls of that method were recorded, with the N-th.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-1111-2222-standin"
APP_TOKEN = "xapp-1-A0001-standin"
TEAM_ID = "T0TEAM001"
BOT_USER_ID = "U0BOT0001"
BOT_ID = "B0BOT0001"
APP_ID = "A0APP0001"


@dataclass(frozen=True)
class ApiCall:
    method: str
    args: dict[str, Any]
    token: str | None
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)

    def __getitem__(self, name: str) -> Any:
        return self.args[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.args.get(name, default)


@dataclass(frozen=True)
class Failure:
    error: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class SlackApiStandIn:
    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._refusals: dict[str, str] = {}
        self._holds: dict[str, deque[asyncio.Event]] = defaultdict(deque)
        self._gates: list[asyncio.Event] = []
        self.holding = asyncio.Event()
        """Set once a held call has arrived (and is waiting for its gate)."""
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._clock = 0.0
        self.messages: list[dict[str, Any]] = []
        """Every message posted (`chat.postMessage`), with its channel and metadata."""
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict[str, Any]] = []
        self._socket_ready = asyncio.Event()

    # Lifecycle -------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/calls/{method}", self._calls)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.base_url

    async def close(self) -> None:
        for gate in self._gates:  # whatever is still held is released, so closing never waits
            gate.set()
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # Programming failures --------------------------------------------------------------------
    def fail(self, method: str, error: str, *, times: int = 1, status: int = 200) -> None:
        for _ in range(times):
            self._failures[method].append(Failure(error, status))

    def refuse(self, method: str, error: str) -> None:
        """Every later call of `method` fails with `error`, as a workspace that does not allow
        it answers (`not_allowed_token_type`, `missing_scope`)."""
        self._refusals[method] = error

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        for _ in range(times):
            self._failures[method].append(
                Failure("ratelimited", 429, {"Retry-After": str(retry_after)})
            )

    def hold(self, method: str) -> asyncio.Event:
        """The next `method` call is recorded at once but answered only when the event is set
        (or the stand-in closes); `holding` tells when it has arrived."""
        gate = asyncio.Event()
        self._holds[method].append(gate)
        self._gates.append(gate)
        return gate

    # Inspection ------------------------------------------------------------------------------
    def of(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[ApiCall]:
        """The first `count` calls of `method`, once they have happened (TimeoutError if not)."""
        async with asyncio.timeout(within):
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.of(method)) >= count)
        return self.of(method)[:count]

    async def _record(self, call: ApiCall) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # Handlers --------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth else args.pop("token", None)
        status, headers = 200, {}
        if self._failures[method]:
            failure = self._failures[method].popleft()
            body = {"ok": False, "error": failure.error}
            status, headers = failure.status, failure.headers
        elif token != (APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN):
            body = {"ok": False, "error": "invalid_auth"}
        elif method in self._refusals:
            body = {"ok": False, "error": self._refusals[method]}
        else:
            body = self._ok(method, args)
        await self._record(ApiCall(method, args, token, body))
        if self._holds[method]:
            gate = self._holds[method].popleft()
            self.holding.set()
            await gate.wait()
        return web.json_response(body, status=status, headers=headers)

    def _ok(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://standin.slack.com/",
                "team": "Stand-in",
                "user": "rag-or-ft",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self._new_ts()
            message = {"type": "message", "text": args.get("text"), "user": BOT_USER_ID, "ts": ts}
            message["bot_id"] = BOT_ID
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            if isinstance(args.get("metadata"), dict):
                message["metadata"] = args["metadata"]
            self.messages.append({**message, "channel": args.get("channel")})
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._new_ts()}
        if method == "conversations.replies":
            return self._replies(args)
        if method == "conversations.info":
            channel = args.get("channel", "")
            return {"ok": True, "channel": {"id": channel, "is_member": True, "name": "general"}}
        if method == "views.open":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else dict(view or {})
            view_id = f"V{next(self._ts):09d}"
            return {"ok": True, "view": {**view, "id": view_id, "hash": f"{view_id}.hash"}}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}

    def _new_ts(self) -> str:
        """A message timestamp as Slack makes them: the clock, unique and increasing."""
        self._clock = max(time.time(), self._clock + 0.000001)
        return f"{self._clock:.6f}"

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        root, oldest = str(args.get("ts", "")), float(args.get("oldest") or 0)
        inclusive = _true(args.get("inclusive"))
        thread = [
            {k: v for k, v in m.items() if k != "channel"}
            for m in self.messages
            if m["channel"] == args.get("channel")
            and root in (m["ts"], m.get("thread_ts"))
            and (float(m["ts"]) > oldest or (inclusive and float(m["ts"]) == oldest))
        ]
        if not _true(args.get("include_all_metadata")):
            thread = [{k: v for k, v in m.items() if k != "metadata"} for m in thread]
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 15)
        page, more = thread[start : start + limit], start + limit < len(thread)
        cursor = str(start + limit) if more else ""
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": cursor},
        }

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        await self._record(
            ApiCall("response_url", {"name": request.match_info["name"], **body}, None)
        )
        return web.Response(text="ok")

    async def _calls(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        count = int(request.query.get("count", "1"))
        try:
            calls = await self.wait_for(
                method, count, within=float(request.query.get("within", 10))
            )
        except TimeoutError:
            return web.json_response({"error": "timeout", "seen": len(self.of(method))}, status=504)
        last = calls[-1] if calls else None
        body = {
            "count": len(calls),
            "last": last and {"args": last.args, "response": last.response},
        }
        return web.json_response(body)

    # Socket Mode -----------------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        self._socket_ready.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                ack = json.loads(message.data)
                await self._record(ApiCall("socket_ack", ack, None))
        return ws

    async def send_envelope(self, envelope: dict[str, Any], within: float = 5.0) -> None:
        """Push one Socket Mode envelope to the connected client."""
        async with asyncio.timeout(within):
            await self._socket_ready.wait()
        await self.sockets[-1].send_json(envelope)


def _true(value: object) -> bool:
    """A boolean argument as the SDK sends it: `true`/`1` in a query, a bool in JSON."""
    return value is True or str(value).lower() in ("1", "true")
