"""A local OpenAI-compatible HTTP server standing in for the LLM endpoint in tests.

It speaks the wire format, not langchain's: `/v1/chat/completions` and `/v1/embeddings` (and
Azure's `/openai/deployments/<name>/...`). Every request is recorded; each chat request takes
the next scripted `Reply` (or the default one). Embeddings are deterministic bag-of-words
vectors unless a test supplies its own function. A `hang()` reply waits on an event that only
the server's shutdown sets, so a test can exceed a timeout without sleeping itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
import socket
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DIMENSIONS = 64
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Reply:
    """What the stand-in does with one chat request."""

    kind: str  # "answer" | "tool" | "content" | "refusal" | "status" | "hang"
    payload: Any = None
    status: int = 200
    usage: tuple[int, int] = (321, 45)


def answer(arguments: Mapping[str, Any] | str, usage: tuple[int, int] = (321, 45)) -> Reply:
    """The structured answer the way the request asked for it: a tool call or JSON content."""
    return Reply("answer", arguments, usage=usage)


def tool_call(arguments: Mapping[str, Any] | str) -> Reply:
    return Reply("tool", arguments)


def content(text: str) -> Reply:
    return Reply("content", text)


def refusal(text: str = "I can't help with that.") -> Reply:
    return Reply("refusal", text)


def error(status: int = 500, message: str = "upstream exploded") -> Reply:
    return Reply("status", message, status=status)


def hang() -> Reply:
    return Reply("hang")


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]


def bag_of_words(text: str) -> list[float]:
    """A deterministic unit vector: similar words, similar vectors (enough for fusion tests)."""
    vector = [0.0] * DIMENSIONS
    for word in _WORD.findall(text.lower()):
        vector[int(hashlib.sha256(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


@dataclass
class FakeOpenAI:
    script: deque[Reply] = field(default_factory=deque)
    default: Reply = field(default_factory=lambda: error(500, "nothing scripted"))
    embed: Callable[[str], list[float]] = bag_of_words
    embeddings_status: int = 200
    requests: list[Recorded] = field(default_factory=list)
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    port: int = 0

    @property
    def url(self) -> str:
        """OPENAI_BASE_URL for the bot."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def root(self) -> str:
        """AZURE_OPENAI_ENDPOINT for the bot."""
        return f"http://127.0.0.1:{self.port}"

    def push(self, *replies: Reply) -> None:
        self.script.extend(replies)

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def embedding_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/embeddings")]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}/chat/completions", self._chat)
        app.router.add_post("/{tail:.*}/embeddings", self._embeddings)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, request: web.Request) -> Recorded:
        body = await request.json()
        recorded = Recorded(request.path, dict(request.query), dict(request.headers), body)
        self.requests.append(recorded)
        return recorded

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        reply = self.script.popleft() if self.script else self.default
        if reply.kind == "hang":
            await self._release.wait()
            return web.Response(status=499)
        if reply.kind == "status":
            return web.json_response(
                {"error": {"message": reply.payload, "type": "server_error", "code": None}},
                status=reply.status,
                headers={"retry-after-ms": "5"},
            )
        return web.json_response(_completion(recorded.body, reply))

    async def _embeddings(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        if self.embeddings_status != 200:
            return web.json_response(
                {"error": {"message": "embeddings down", "type": "server_error"}},
                status=self.embeddings_status,
                headers={"retry-after-ms": "5"},
            )
        inputs = recorded.body["input"]
        inputs = [inputs] if isinstance(inputs, str) else inputs
        data = [
            {"object": "embedding", "index": i, "embedding": self.embed(text)}
            for i, text in enumerate(inputs)
        ]
        return web.json_response(
            {
                "object": "list",
                "data": data,
                "model": recorded.body.get("model", ""),
                "usage": {"prompt_tokens": 7, "total_tokens": 7},
            }
        )


def _completion(request: Mapping[str, Any], reply: Reply) -> dict[str, Any]:
    kind = reply.kind
    if kind == "answer":
        kind = "tool" if request.get("tools") else "content"
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    if kind == "tool":
        tools = request.get("tools") or [{"function": {"name": "submit_triage"}}]
        args = reply.payload
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {
                    "name": tools[0]["function"]["name"],
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
        ]
        finish = "tool_calls"
    elif kind == "refusal":
        message["refusal"] = reply.payload
    else:
        payload = reply.payload
        message["content"] = payload if isinstance(payload, str) else json.dumps(payload)
    prompt, completion = reply.usage
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.get("model", "test-model"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }
