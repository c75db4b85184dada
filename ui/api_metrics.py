"""Prometheus metrics of `faqbot serve` (`GET /metrics`): requests, latencies, abstentions, verification, queue."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from chatbot.answer import Answer
from chatbot.queue import RequestQueue

# Seconds: a cached or refused answer takes milliseconds, a cold CPU answer half a minute, a queue minutes.
ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120, 180, 300)


class Metrics:
    """The server's counters and histograms, in a registry of their own (one per app)."""

    def __init__(self, queue: RequestQueue) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("faqbot_http_requests", "HTTP requests by endpoint and status code",
                                ["endpoint", "status"], registry=r)
        self.latency = Histogram("faqbot_request_duration_seconds", "Time from request to complete answer",
                                 ["endpoint"], buckets=ANSWER_BUCKETS, registry=r)
        self.first_token = Histogram("faqbot_first_token_seconds", "Time from request to the first answer text",
                                     ["endpoint"], buckets=ANSWER_BUCKETS, registry=r)
        self.queue_wait = Histogram("faqbot_queue_wait_seconds", "Time spent waiting for a free slot",
                                    buckets=ANSWER_BUCKETS, registry=r)
        self.answers = Counter("faqbot_answers", "Finished answers (abstentions included)", ["endpoint"],
                               registry=r)
        self.abstentions = Counter("faqbot_abstentions", "Answers declined, by reason", ["reason"], registry=r)
        self.verification_failures = Counter(
            "faqbot_verification_failures", "Generated answers rejected by verification, by what replaced them",
            ["outcome"], registry=r)
        self.errors = Counter("faqbot_errors", "Requests that failed, by error type", ["type"], registry=r)
        self.rejected = Counter("faqbot_rejected", "Requests turned away before answering, by reason",
                                ["reason"], registry=r)
        queue_length = Gauge("faqbot_queue_length", "Questions waiting for a free slot", registry=r)
        queue_length.set_function(lambda: queue.waiting)
        running = Gauge("faqbot_answers_in_progress", "Answers being generated now", registry=r)
        running.set_function(lambda: queue.running)
        slots = Gauge("faqbot_answer_slots", "Answers that may run at once", registry=r)
        slots.set(queue.slots)

    def answered(self, answer: Answer, endpoint: str) -> None:
        """Count a finished answer: abstention reason, verification outcome."""
        self.answers.labels(endpoint).inc()
        if answer.abstained:
            self.abstentions.labels(answer.abstain_reason or "unknown").inc()
        verification = answer.verification or {}
        rejected = verification.get("rejected") or []
        if rejected:
            self.verification_failures.labels(str(verification.get("final", "unknown"))).inc(len(rejected))

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)


__all__ = ["CONTENT_TYPE", "Metrics"]
