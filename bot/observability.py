"""What an operator sees: Prometheus metrics, the per-answer log line and safe thread ids.

One registry per runtime, so tests and processes never share counters. `Metrics` is also the
conversation core's observer (`bot.core.conversation.Observer`): the core reports answers,
refusals, duplicates and ratings, and this module turns them into counters and log lines. It sits
beside the core, not in the server, so the adapters, the LLM engine and the runtime can use it
without importing the HTTP layer.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.core.types import Answer, Incoming

log = logging.getLogger("bot.answers")
deliveries_log = logging.getLogger("bot.deliveries")
feedback_log = logging.getLogger("bot.feedback")


def thread_hash(key: str | None) -> str:
    """A short, stable, non-reversible id for a thread key (safe to log)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12] if key else "-"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "ragorft_http_requests", "HTTP requests", ["route", "status"], registry=r
        )
        self.answers = Counter(
            "ragorft_answers", "Answers sent", ["platform", "verdict", "engine"], registry=r
        )
        self.latency = Histogram(
            "ragorft_answer_seconds",
            "Time to produce an answer",
            ["engine"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=r,
        )
        self.llm_calls = Counter("ragorft_llm_calls", "LLM calls", ["outcome"], registry=r)
        self.llm_tokens = Counter("ragorft_llm_tokens", "LLM tokens", ["kind"], registry=r)
        self.redis_errors = Counter("ragorft_store_errors", "State store errors", registry=r)
        self.dedup_hits = Counter(
            "ragorft_dedup_hits", "Duplicate deliveries dropped", ["platform"], registry=r
        )
        self.rate_limit_hits = Counter(
            "ragorft_rate_limited", "Messages refused by the rate limit", ["platform"], registry=r
        )

        self.jobs = Counter(
            "ragorft_jobs",
            "Work-queue events: accepted, inline (queue down), reclaimed, stale, dead_lettered,"
            " failed, found_posted (a taken-over job's answer found already posted)",
            ["event"],
            registry=r,
        )
        self.queue_depth = Gauge(
            "ragorft_queue_depth", "Jobs waiting or being answered (all replicas)", registry=r
        )
        self.queue_oldest = Gauge(
            "ragorft_queue_oldest_seconds", "Age of the oldest job in the queue", registry=r
        )
        self.jobs_busy = Gauge("ragorft_jobs_busy", "Jobs this process is answering", registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    # The conversation core's observer ---------------------------------------------------------
    def answered(self, incoming: Incoming, answer: Answer, seconds: float) -> None:
        self.answers.labels(incoming.platform, answer.verdict.value, answer.engine).inc()
        self.latency.labels(answer.engine).observe(seconds)
        ref = uuid.uuid4().hex[:12]  # ties this line to its DEBUG text line and to a support query
        log.info(
            "answered",
            extra={
                "ref": ref,
                "platform": incoming.platform,
                "thread_hash": thread_hash(incoming.thread_key),  # "thread" is a LogRecord field
                "verdict": answer.verdict.value,
                "engine": answer.engine,
                "turn": answer.turn,
                "latency_ms": round(seconds * 1000, 1),
            },
        )
        log.debug("message text", extra={"ref": ref, "text": incoming.text})

    # The workers' observer --------------------------------------------------------------------
    def job(self, event: str) -> None:
        self.jobs.labels(event).inc()

    def queue(self, depth: int, oldest_seconds: float, busy: int) -> None:
        self.queue_depth.set(depth)
        self.queue_oldest.set(oldest_seconds)
        self.jobs_busy.set(busy)

    def rate_limited(self, incoming: Incoming) -> None:
        self.rate_limit_hits.labels(incoming.platform).inc()

    def duplicate(self, platform: str, what: str) -> None:
        self.dedup_hits.labels(platform).inc()
        deliveries_log.info(
            "duplicate delivery dropped", extra={"platform": platform, "kind": what}
        )

    def rated(self, platform: str, rating: str, verdict: str, thread: str | None) -> None:
        feedback_log.info(
            "feedback",
            extra={
                "platform": platform,
                "rating": rating,
                "verdict": verdict,
                "thread_hash": thread_hash(thread),
            },
        )
