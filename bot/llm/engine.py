"""The LLM triage engine: retrieve, ask the model once, validate, cite — or answer offline.

One turn, whatever happens, returns an answer within LLM_TIMEOUT_SECONDS plus the few
milliseconds the offline engine needs:
1. If the circuit breaker is open, the offline answer at once (no call).
2. Inside one `asyncio.timeout` for the whole turn: retrieve passages for the whole thread, then
   one structured call with the fenced thread and the passages under short ids (`P1`…).
3. The model names passage ids per reason; ids of passages it was not given are dropped, the bot
   copies the quotes with `CitationBuilder`, and a reason left uncited is dropped. A verdict other
   than `clarify` with no reason left is unusable.
4. Any failure — timeout, HTTP error, refusal, prose or malformed output, no cited reason — gives
   the offline engine's answer with engine "offline" and the `LLM_UNAVAILABLE` notice. Failures
   are logged with a reference id; message text is never logged above DEBUG.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any

from bot import messages as texts
from bot.core.citations import CitationBuilder, DraftReason
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase
from bot.core.retrieval import Hit, Retriever
from bot.core.triage.analysis import Reader, RulesReader
from bot.core.types import Answer, Verdict
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import Endpoint, LLMFailure, Outcome, StructuredCaller, Usage
from bot.llm.embeddings import VectorIndex
from bot.llm.prompts import Prompts
from bot.llm.schema import TOOL_NAME, TriageOutput
from bot.observability import Metrics

log = logging.getLogger(__name__)

PASSAGES_PER_TURN = 8
MAX_QUERY_CHARS = 6_000
MAX_QUERY_PART_CHARS = 2_000


def retrieval_query(messages: Sequence[str]) -> str:
    """The thread as one query: the first message (the project), then the newest ones.

    The newest message is repeated so a follow-up ("what about tone of voice?") weighs more
    than what was already said, while the project itself still shapes the ranking.
    """
    parts = [m[:MAX_QUERY_PART_CHARS] for m in messages]
    if len(parts) > 1:
        parts.append(parts[-1])
    kept = [parts[0]]
    room = MAX_QUERY_CHARS - len(parts[0])
    for part in reversed(parts[1:]):
        if len(part) > room:
            break
        kept.insert(1, part)
        room -= len(part)
    return "\n".join(kept)


class LLMEngine:
    """Implements `Engine`; also `health()` for /readyz and `aclose()` for shutdown."""

    name = "llm"

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        caller: StructuredCaller,
        retriever: Retriever,
        knowledge: KnowledgeBase,
        prompts: Prompts,
        fallback: Engine,
        breaker: CircuitBreaker,
        timeout_seconds: float,
        metrics: Metrics | None = None,
        vectors: VectorIndex | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.caller = caller
        self.retriever = retriever
        self.citations = CitationBuilder(knowledge)
        self.prompts = prompts
        self.fallback = fallback
        self.breaker = breaker
        self.timeout_seconds = timeout_seconds
        self.metrics = metrics
        self.vectors = vectors
        self.reader: Reader = reader or RulesReader()
        self.system_prompt = prompts.system(caller.mode, TOOL_NAME)

    async def answer(self, messages: Sequence[str]) -> Answer:
        if not messages:
            return await self._offline(messages)
        ref = uuid.uuid4().hex[:8]
        if not self.breaker.allow():
            self._record("circuit_open", Usage())
            log.info(
                "llm skipped: circuit open",
                extra={"ref": ref, "failures": self.breaker.failures, "model": self.model_name},
            )
            return await self._offline(messages)
        try:
            answer = await self._try_llm(messages, ref)
        except asyncio.CancelledError:
            self.breaker.abandon()
            raise
        if answer is None:
            self.breaker.record_failure()
            return await self._offline(messages)
        self.breaker.record_success()
        return answer

    async def _try_llm(self, messages: Sequence[str], ref: str) -> Answer | None:
        started = time.perf_counter()
        fields: dict[str, Any] = {"ref": ref, "model": self.model_name, "turn": len(messages)}
        try:
            async with asyncio.timeout(self.timeout_seconds):
                hits = await self.retriever.search(retrieval_query(messages), PASSAGES_PER_TURN)
                user = self.prompts.answer(messages, hits, [f"P{i + 1}" for i in range(len(hits))])
                log.debug(
                    "llm request", extra={**fields, "system": self.system_prompt, "user": user}
                )
                reply = await self.caller(self.system_prompt, user)
            fields["passages"] = len(hits)
            answer = self._build(reply.output, hits, reply.usage, fields, messages)
        except TimeoutError:
            failure = LLMFailure("timeout", f"no answer within {self.timeout_seconds:g}s")
        except LLMFailure as exc:
            failure = exc
        except Exception as exc:
            log.error("llm engine error", extra=fields, exc_info=True)
            failure = LLMFailure("error", type(exc).__name__)
        else:
            self._record("ok", reply.usage)
            log.info(
                "llm answered",
                extra={
                    **fields,
                    **_usage_fields(reply.usage),
                    "outcome": "ok",
                    "verdict": answer.verdict.value,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return answer
        self._record(failure.outcome, failure.usage)
        log.warning(
            "llm failed; sending the offline answer",
            extra={
                **fields,
                **_usage_fields(failure.usage),
                "outcome": failure.outcome,
                "detail": failure.detail,
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return None

    def _build(
        self,
        out: TriageOutput,
        hits: Sequence[Hit],
        usage: Usage,
        fields: dict[str, Any],
        messages: Sequence[str],
    ) -> Answer:
        """The answer from validated output: only passages it was given, quotes by the bot;
        the reading and each reason's evidence come from the reader over the user's words."""
        reading = self.reader.read(messages)
        aliases = {f"P{i + 1}": hit.passage.id for i, hit in enumerate(hits)}
        given = set(aliases.values())
        drafts: list[DraftReason] = []
        unknown = 0
        for reason in out.reasons:
            ids = [aliases.get(raw, raw) for raw in reason.passage_ids]
            valid = [pid for pid in ids if pid in given]
            unknown += len(ids) - len(valid)
            evidence = reading.ground(reason.text)
            drafts.append(DraftReason(text=reason.text, passage_ids=valid, evidence=evidence))
        reasons, citations = self.citations.build(drafts)
        fields.update(
            reasons_proposed=len(out.reasons), reasons_kept=len(reasons), unknown_ids=unknown
        )
        verdict = Verdict(out.verdict)
        if verdict is not Verdict.CLARIFY and not reasons:
            raise LLMFailure("invalid", "no reason kept a valid citation", usage)
        return Answer(
            verdict=verdict,
            confidence=out.confidence,
            summary=out.summary,
            reasons=reasons,
            citations=citations,
            follow_up_questions=out.follow_up_questions,
            reading=reading.items(),
            engine="llm",
        )

    async def _offline(self, messages: Sequence[str]) -> Answer:
        answer = await self.fallback.answer(messages)
        notice = texts.LLM_UNAVAILABLE + (f" {answer.notice}" if answer.notice else "")
        return answer.model_copy(update={"engine": "offline", "notice": notice})

    def _record(self, outcome: Outcome, usage: Usage) -> None:
        if self.metrics is None:
            return
        self.metrics.llm_calls.labels(outcome).inc()
        if usage.input_tokens:
            self.metrics.llm_tokens.labels("input").inc(usage.input_tokens)
        if usage.output_tokens:
            self.metrics.llm_tokens.labels("output").inc(usage.output_tokens)

    @property
    def model_name(self) -> str:
        return self.endpoint.model_name

    def health(self) -> dict[str, Any]:
        """For /readyz: informative only — an open circuit still answers (offline)."""
        state = self.breaker.state
        return {
            "ok": state != "open",
            "circuit": state,
            "failures": self.breaker.failures,
            "model": self.model_name,
            "embeddings": self.vectors.status if self.vectors else "off",
        }

    async def aclose(self) -> None:
        if self.vectors is not None:
            await self.vectors.aclose()
        await self.endpoint.aclose()


def _usage_fields(usage: Usage) -> dict[str, int]:
    return {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens}
