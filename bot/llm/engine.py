"""The LLM path: the model reads the case, the framework decides — or answers offline.

A small model is much better at narrow questions about a text ("does it say the data changes
often? quote the words") than at weighing a framework, and the framework is already code. So
one turn, whatever happens, returns an answer within LLM_TIMEOUT_SECONDS plus the few
milliseconds the offline engine needs:
1. If the circuit breaker is open, the offline answer at once (no call).
2. Inside one `asyncio.timeout` for the whole turn: the rules read the thread, retrieval finds
   passages, the precedents pick the labelled cases most like it as examples, and one
   structured call asks the model for a reading (`bot.llm.schema`): per dimension a state, the
   user's words that show it and the passages that bear on it, then a verdict.
3. `bot.llm.reader` keeps the facts whose words are in the user's messages and merges them
   over the rules' reading. `decide` weighs the merged reading (with the precedents' vote);
   with `LLM_DECISION=model` the model's own verdict is used instead, when the reading backs
   it with at least one reason. Summary, reasons, follow-up questions and confidence are
   composed from the reading exactly as offline, so nothing the model writes is shown and the
   words never argue against the verdict; the quotes are the bot's (`CitationBuilder`).
4. After an injection the guard cut, the model's verdict is never used and its facts count
   only where their words lie in what was left.
5. Any failure — timeout, HTTP error, refusal, prose or malformed output — gives the offline
   engine's answer with engine "offline" and the `LLM_UNAVAILABLE` notice. A reading with no
   shown fact is no failure: the rules' reading stands and the answer says engine "llm".
   Failures are logged with a reference id; message text is never logged above DEBUG.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any, Literal

from bot import messages as texts
from bot.core.retrieval import Retriever
from bot.core.triage import OfflineEngine
from bot.core.triage.analysis import Reading, with_facts
from bot.core.triage.decide import decide, decide_as
from bot.core.triage.dimensions import BY_NAME
from bot.core.triage.precedents import Vote
from bot.core.types import Answer, Explanation, Fact, ReadingItem, Span, Verdict
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import Endpoint, LLMFailure, Outcome, StructuredCaller, Usage
from bot.llm.embeddings import VectorIndex
from bot.llm.examples import Examples
from bot.llm.prompts import Prompts
from bot.llm.reader import ModelReading, check, merge, shown_by_model
from bot.llm.schema import TOOL_NAME
from bot.observability import Metrics

log = logging.getLogger(__name__)

PASSAGES_PER_TURN = 4
Decision = Literal["framework", "model"]
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
        prompts: Prompts,
        fallback: OfflineEngine,
        breaker: CircuitBreaker,
        timeout_seconds: float,
        decision: Decision = "framework",
        metrics: Metrics | None = None,
        vectors: VectorIndex | None = None,
        examples: Examples | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.caller = caller
        self.retriever = retriever
        self.prompts = prompts
        self.fallback = fallback
        self.breaker = breaker
        self.timeout_seconds = timeout_seconds
        self.decision = decision
        self.metrics = metrics
        self.vectors = vectors
        self.examples = examples
        self.system_prompt = prompts.system(caller.mode, TOOL_NAME)

    async def answer(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        if not messages:
            return await self._offline(messages, facts)
        ref = uuid.uuid4().hex[:8]
        if not self.breaker.allow():
            self._record("circuit_open", Usage())
            log.info(
                "llm skipped: circuit open",
                extra={"ref": ref, "failures": self.breaker.failures, "model": self.model_name},
            )
            return await self._offline(messages, facts)
        try:
            answer = await self._try_llm(messages, ref, facts)
        except asyncio.CancelledError:
            self.breaker.abandon()
            raise
        if answer is None:
            self.breaker.record_failure()
            return await self._offline(messages, facts)
        self.breaker.record_success()
        return answer

    async def _try_llm(
        self, messages: Sequence[str], ref: str, facts: Sequence[Fact] = ()
    ) -> Answer | None:
        started = time.perf_counter()
        fields: dict[str, Any] = {"ref": ref, "model": self.model_name, "turn": len(messages)}
        try:
            async with asyncio.timeout(self.timeout_seconds):
                rules = self.fallback.read(messages)
                hits = await self.retriever.search(retrieval_query(messages), PASSAGES_PER_TURN)
                aliases = {f"P{i + 1}": hit.passage.id for i, hit in enumerate(hits)}
                similar = self.fallback.similar(rules, messages)
                examples = self.examples.among(similar) if self.examples and similar else []
                user = self.prompts.answer(messages, hits, list(aliases), examples, facts)
                log.debug(
                    "llm request", extra={**fields, "system": self.system_prompt, "user": user}
                )
                reply = await self.caller(self.system_prompt, user)
            fields.update(passages=len(hits), examples=len(examples))
            model = check(reply.output, messages, rules, aliases)
            answer = self._build(rules, model, messages, fields, facts, similar)
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
        rules: Reading,
        model: ModelReading,
        messages: Sequence[str],
        fields: dict[str, Any],
        facts: Sequence[Fact] = (),
        similar: Vote | None = None,
    ) -> Answer:
        """The answer from the merged reading: the framework's verdict (or the model's, when
        `LLM_DECISION=model` and the reading backs it), words and citations as offline. The
        user's facts go over the merge, so they win over both readers."""
        reading = with_facts(merge(rules, model), facts)
        vote = None if reading.given else similar  # the precedents, once a turn
        framework = decide(reading, vote, self.fallback.weighing)
        passages: dict[Span, tuple[str, ...]] = {
            span: ids
            for name, ids in model.passages.items()
            if ids
            for span in reading.evidence(name)
        }
        decision = framework
        decided_by = "framework: decide over the merged reading"
        wanted = model.verdict
        if self.decision == "model" and wanted is not None and wanted is not framework.verdict:
            theirs = decide_as(reading, wanted, framework)
            if wanted is Verdict.CLARIFY or theirs.drivers:
                decision = theirs
                decided_by = "model: its own verdict (LLM_DECISION=model)"
            else:
                decided_by = (
                    f"framework: the model's {wanted.value} has no reason the reading supports"
                )
        elif rules.injected:
            decided_by += " (an instruction to the bot was cut: the model's verdict is ignored)"
        answer = self.fallback.answer_decision(reading, decision, passages)
        fields.update(
            facts_proposed=model.proposed,
            facts_kept=len(model.needs),
            facts_unshown=model.unshown,
            facts_rejected=model.rejected,
            unknown_ids=model.unknown_ids,
            model_verdict=model.verdict.value if model.verdict else None,
            decided_by=decided_by.split(":")[0],
        )
        shown = shown_by_model(rules, model)
        base = answer.explanation or Explanation()
        explanation = base.model_copy(
            update={
                "rules_reading": rules.items(),
                "model_reading": [
                    ReadingItem(
                        dimension=name,
                        side=BY_NAME[name].side,
                        state="yes" if need.polarity > 0 else "no",
                        evidence=list(need.evidence),
                    )
                    for name, need in model.needs.items()
                ],
                "model_verdict": model.verdict,
                "decided_by": decided_by,
                "why": [*base.why, f"model facts used: {', '.join(sorted(shown)) or 'none'}"],
            }
        )
        return answer.model_copy(update={"engine": "llm", "explanation": explanation})

    async def _offline(self, messages: Sequence[str], facts: Sequence[Fact] = ()) -> Answer:
        answer = await self.fallback.answer(messages, facts)
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
