"""The LLM endpoint through langchain-openai: one chat model, optional embeddings, one HTTP pool.

Why this shape:
- The bot owns its HTTP clients. langchain-openai otherwise shares a process-wide cached httpx
  client, which `aclose()` must not close under someone else's feet.
- Timeouts and retries are explicit. Without `timeout=` a request may wait forever, and the
  openai client would send a failing request three times; here one retry at most, and the
  engine's whole-turn budget bounds everything anyway.
- The schema goes over the wire as a plain JSON schema and the reply is validated here with
  `ReadingOutput`, so token usage survives a malformed answer and every failure is classified
  (`invalid` for the model's output, `error` for the endpoint, `timeout`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import openai
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_openai import (
    AzureChatOpenAI,
    AzureOpenAIEmbeddings,
    ChatOpenAI,
    OpenAIEmbeddings,
)
from pydantic import SecretStr, ValidationError

from bot.errors import LLMError
from bot.llm.schema import TOOL_NAME, ReadingOutput, wire_schema
from bot.settings import Settings

Outcome = Literal["ok", "error", "timeout", "invalid", "circuit_open"]
MAX_RETRIES = 1
MAX_OUTPUT_TOKENS = 1200
DEFAULT_AZURE_API_VERSION = "2024-10-21"
_REASONING_MODEL = re.compile(r"^o\d")
"""OpenAI's o-series refuse any temperature but the default; everyone else gets 0 (repeatable)."""
_PLACEHOLDER_KEY = "not-needed"
"""Local servers (vLLM, Ollama, llama.cpp) take any key, but the openai client insists on one."""


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0


class LLMFailure(LLMError):
    """One failed call, classified for metrics and the breaker; carries usage if any was spent."""

    def __init__(self, outcome: Outcome, detail: str, usage: Usage | None = None) -> None:
        super().__init__(detail)
        self.outcome: Outcome = outcome
        self.detail = detail
        self.usage = usage or Usage()


@dataclass(frozen=True, slots=True)
class Reply:
    output: ReadingOutput
    usage: Usage


@dataclass
class Endpoint:
    """The configured chat model (and embeddings), plus the HTTP clients that `aclose` closes."""

    chat: BaseChatModel
    model_name: str
    embeddings: Embeddings | None = None
    embeddings_model: str | None = None
    _async_http: httpx.AsyncClient | None = None
    _sync_http: httpx.Client | None = None

    async def aclose(self) -> None:
        if self._async_http is not None:
            await self._async_http.aclose()
        if self._sync_http is not None:
            self._sync_http.close()


def build_endpoint(settings: Settings) -> Endpoint:
    """Azure when its endpoint and deployment are set, else any OpenAI-compatible endpoint."""
    async_http = httpx.AsyncClient()
    sync_http = httpx.Client()
    common: dict[str, Any] = {
        "timeout": settings.llm_timeout_seconds,
        "max_retries": MAX_RETRIES,
        "http_async_client": async_http,
        "http_client": sync_http,
    }
    chat: BaseChatModel
    embeddings: Embeddings | None = None
    if settings.azure_openai_endpoint and settings.azure_openai_deployment:
        azure: dict[str, Any] = {
            **common,
            "azure_endpoint": settings.azure_openai_endpoint,
            "api_version": settings.openai_api_version or DEFAULT_AZURE_API_VERSION,
            "api_key": settings.azure_openai_api_key or settings.openai_api_key,
        }
        model_name = settings.azure_openai_deployment
        chat = AzureChatOpenAI(
            **azure, azure_deployment=model_name, temperature=0, max_tokens=MAX_OUTPUT_TOKENS
        )
        if settings.embeddings_model:
            embeddings = AzureOpenAIEmbeddings(
                **azure,
                deployment=settings.embeddings_model,
                check_embedding_ctx_length=False,
            )
    else:
        model_name = settings.openai_model or ""
        openai_args: dict[str, Any] = {
            **common,
            "base_url": settings.openai_base_url,
            "api_key": settings.openai_api_key or SecretStr(_PLACEHOLDER_KEY),
        }
        chat = ChatOpenAI(
            **openai_args,
            model=model_name,
            temperature=None if _REASONING_MODEL.match(model_name) else 0,
            max_tokens=MAX_OUTPUT_TOKENS,
        )
        if settings.embeddings_model:
            embeddings = OpenAIEmbeddings(
                **openai_args,
                model=settings.embeddings_model,
                check_embedding_ctx_length=False,
            )
    return Endpoint(
        chat=chat,
        model_name=model_name,
        embeddings=embeddings,
        embeddings_model=settings.embeddings_model,
        _async_http=async_http,
        _sync_http=sync_http,
    )


class StructuredCaller:
    """One chat call that must come back as a `ReadingOutput`, by tool call or JSON schema."""

    def __init__(self, chat: BaseChatModel, mode: Literal["tools", "json_schema"]) -> None:
        self.mode = mode
        self._runnable: Runnable[Any, Any]
        description = (ReadingOutput.__doc__ or "").strip()
        if mode == "tools":
            tool = convert_to_openai_tool(
                {"name": TOOL_NAME, "description": description, "parameters": wire_schema()}
            )
            self._runnable = chat.with_structured_output(
                tool, method="function_calling", include_raw=True
            )
        else:
            schema = {
                "name": TOOL_NAME,
                "description": description,
                "schema": strict_schema(wire_schema()),
                "strict": True,
            }
            self._runnable = chat.with_structured_output(
                schema, method="json_schema", include_raw=True
            )

    async def __call__(self, system: str, user: str) -> Reply:
        try:
            result = await self._runnable.ainvoke([SystemMessage(system), HumanMessage(user)])
        except openai.APITimeoutError as exc:
            raise LLMFailure("timeout", type(exc).__name__) from exc
        except openai.APIStatusError as exc:
            raise LLMFailure("error", f"HTTP {exc.status_code}") from exc
        except openai.APIError as exc:
            raise LLMFailure("error", type(exc).__name__) from exc
        except (openai.OpenAIError, ValueError) as exc:
            raise LLMFailure("invalid", type(exc).__name__) from exc
        usage = _usage(result.get("raw"))
        parsed = result.get("parsed")
        if result.get("parsing_error") is not None:
            name = type(result["parsing_error"]).__name__
            raise LLMFailure("invalid", f"unparseable output ({name})", usage)
        if parsed is None:
            raise LLMFailure("invalid", "no structured output (prose or refusal)", usage)
        try:
            return Reply(ReadingOutput.model_validate(_unwrap(parsed)), usage)
        except ValidationError as exc:
            fields = sorted({".".join(map(str, e["loc"][:1])) for e in exc.errors()})
            raise LLMFailure("invalid", f"schema violation in {', '.join(fields)}", usage) from exc


def _unwrap(parsed: object) -> object:
    """Some servers wrap the arguments once more (`{"submit_triage": {...}}`); accept that."""
    if isinstance(parsed, dict) and set(parsed) == {TOOL_NAME}:
        return parsed[TOOL_NAME]
    return parsed


def _usage(raw: object) -> Usage:
    meta = raw.usage_metadata if isinstance(raw, AIMessage) else None
    if not meta:
        return Usage()
    return Usage(int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0)))


def strict_schema(node: Any) -> Any:
    """The schema as OpenAI's strict structured outputs want it: closed objects, all required."""
    if isinstance(node, dict):
        out = {k: strict_schema(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        return out
    if isinstance(node, list):
        return [strict_schema(v) for v in node]
    return node
