"""`faqbot loadtest`: N concurrent clients ask a running `faqbot serve` distinct FAQ questions, streamed, and
check that every answer is whole and its own.

An answer is *mixed* when it does not belong to its request: the `done` object names another question, the
streamed pieces do not add up to the final answer, the events come out of order (sources after text), or,
with `--check-serial`, it differs from the answer the same question got when asked alone (deterministic
backends). Latency is measured from sending the request to the last event; throughput is answers per
second of wall time.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from index.query import clean_question
from ingest import IngestSettings, ingest


def faq_questions() -> list[str]:
    """Distinct questions from the FAQ: each question's title, then its paraphrases."""
    faq = ingest(IngestSettings.from_env())
    titles, aliases = [], []
    for chunk in faq.chunks:
        if chunk.section is None:
            continue
        titles.append(chunk.title)
        aliases.extend(a if a.endswith("?") else f"{a} ?" for a in chunk.aliases)
    return list(dict.fromkeys([*titles, *aliases]))


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` in 0..1) of `values`, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


@dataclass
class Outcome:
    """One request's result."""

    question: str
    ok: bool = False
    error: str | None = None
    mixed: str | None = None
    answer: str = ""
    seconds: float = 0.0
    first_text_s: float | None = None
    waited: bool = False
    events: list[str] = field(default_factory=list)


async def sse_events(response: httpx.Response) -> AsyncIterator[tuple[str, str]]:
    """(event, data) pairs of a Server-Sent Events response (`message` when unnamed; comments skipped)."""
    event, data = "message", []
    async for line in response.aiter_lines():
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    if data:
        yield event, "\n".join(data)


async def ask_native(client: httpx.AsyncClient, question: str, headers: dict[str, str]) -> Outcome:
    """One streamed `/v1/ask`; checks the events' order and that the pieces make the final answer."""
    out = Outcome(question)
    started = time.perf_counter()
    text, done = "", None
    async with client.stream("POST", "/v1/ask", json={"question": question, "stream": True},
                             headers=headers) as response:
        if response.status_code != 200:
            body = (await response.aread()).decode("utf-8", "replace")
            out.error = f"HTTP {response.status_code}: {_message(body)}"
            return out
        async for event, data in sse_events(response):
            out.events.append(event)
            payload = json.loads(data)
            if event == "queue":
                out.waited = True
            elif event == "token":
                if out.first_text_s is None:
                    out.first_text_s = time.perf_counter() - started
                text += payload["text"]
            elif event == "replace":
                text = payload["text"]
            elif event == "done":
                done = payload
            elif event == "error":
                out.error = payload["error"]["message"]
                return out
    out.seconds = time.perf_counter() - started
    if done is None:
        out.error = "the stream ended without a `done` event"
        return out
    out.answer = str(done.get("answer", ""))
    order = [e for e in out.events if e in ("sources", "token", "replace", "done")]
    if done.get("question") != clean_question(question).text:
        out.mixed = f"the answer is to another question: {done.get('question')!r}"
    elif text != out.answer:
        out.mixed = "the streamed pieces do not make the final answer"
    elif "sources" not in order or order.index("sources") > 0 or order[-1] != "done":
        out.mixed = f"events out of order: {order[:4]}…"
    out.ok = out.mixed is None
    return out


async def ask_openai(client: httpx.AsyncClient, question: str, headers: dict[str, str]) -> Outcome:
    """One streamed `/v1/chat/completions`; checks the chunks belong to one completion and carry the answer."""
    out = Outcome(question)
    started = time.perf_counter()
    content, ids, final = "", set(), None
    body = {"model": "faqbot", "stream": True, "messages": [{"role": "user", "content": question}]}
    async with client.stream("POST", "/v1/chat/completions", json=body, headers=headers) as response:
        if response.status_code != 200:
            raw = (await response.aread()).decode("utf-8", "replace")
            out.error = f"HTTP {response.status_code}: {_message(raw)}"
            return out
        async for _, data in sse_events(response):
            if data == "[DONE]":
                break
            chunk = json.loads(data)
            if "error" in chunk:
                out.error = chunk["error"]["message"]
                return out
            ids.add(chunk["id"])
            piece = chunk["choices"][0]["delta"].get("content") or ""
            if piece and out.first_text_s is None:
                out.first_text_s = time.perf_counter() - started
            content += piece
            if chunk["choices"][0].get("finish_reason"):
                final = chunk.get("faqbot")
    out.seconds = time.perf_counter() - started
    if final is None:
        out.error = "the stream ended without a final chunk"
        return out
    out.answer = str(final.get("answer", ""))
    if len(ids) != 1:
        out.mixed = f"chunks of {len(ids)} different completions"
    elif final.get("question") != clean_question(question).text:
        out.mixed = f"the answer is to another question: {final.get('question')!r}"
    elif _bare(out.answer) not in _bare(content):  # a correction that only moved [n] markers is not re-sent
        out.mixed = "the streamed content does not hold the final answer"
    out.ok = out.mixed is None
    return out


def _bare(text: str) -> str:
    return " ".join(re.sub(r"\[\d+\]", " ", text).split())


def _message(body: str) -> str:
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return body[:200]


async def _load(url: str, *, clients: int, requests: int, endpoint: str, check_serial: bool,
                token: str | None, timeout_s: float, questions: Sequence[str]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ask = ask_native if endpoint == "ask" else ask_openai
    plan = [[questions[(c + r * clients) % len(questions)] for r in range(requests)] for c in range(clients)]
    limits = httpx.Limits(max_connections=clients + 4, max_keepalive_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url.rstrip("/"), timeout=httpx.Timeout(timeout_s, connect=10.0),
                                 limits=limits, trust_env=False) as client:
        reference: dict[str, str] = {}
        if check_serial:
            for question in dict.fromkeys(q for row in plan for q in row):
                alone = await ask(client, question, headers)
                if alone.error:
                    raise RuntimeError(f"asked alone, {question!r} failed: {alone.error}")
                reference[question] = alone.answer

        async def one_client(row: list[str]) -> list[Outcome]:
            results = []
            for question in row:
                try:
                    result = await ask(client, question, headers)
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    result = Outcome(question, error=f"{type(exc).__name__}: {exc}")
                if result.ok and check_serial and result.answer != reference[question]:
                    result.ok, result.mixed = False, "differs from the answer the question got alone"
                results.append(result)
            return results

        started = time.perf_counter()
        rows = await asyncio.gather(*(one_client(row) for row in plan))
        wall = time.perf_counter() - started
    outcomes = [o for row in rows for o in row]
    good = [o for o in outcomes if o.ok]
    latencies = [o.seconds for o in good]
    first = [o.first_text_s for o in good if o.first_text_s is not None]
    return {
        "url": url, "endpoint": endpoint, "clients": clients, "requests": len(outcomes),
        "distinct_questions": len({o.question for o in outcomes}), "ok": len(good),
        "errors": sum(1 for o in outcomes if o.error), "mixed": sum(1 for o in outcomes if o.mixed),
        "waited_in_queue": sum(1 for o in outcomes if o.waited), "wall_s": round(wall, 2),
        "throughput_per_s": round(len(good) / wall, 3) if wall > 0 else None,
        "latency_s": {"p50": _round(percentile(latencies, 0.5)), "p95": _round(percentile(latencies, 0.95)),
                      "max": _round(max(latencies, default=None))},
        "first_text_s": {"p50": _round(percentile(first, 0.5)), "p95": _round(percentile(first, 0.95))},
        "checked_against_serial": check_serial,
        "problems": [{"question": o.question, "error": o.error, "mixed": o.mixed}
                     for o in outcomes if not o.ok][:10],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def run_load(url: str, *, clients: int, requests: int = 1, endpoint: str = "ask", check_serial: bool = False,
             token: str | None = None, timeout_s: float = 600.0, questions: Sequence[str] | None = None
             ) -> dict[str, Any]:
    """Drive `clients` concurrent clients, each asking `requests` questions in turn; return the figures."""
    return asyncio.run(_load(url, clients=clients, requests=requests, endpoint=endpoint, check_serial=check_serial,
                             token=token, timeout_s=timeout_s, questions=list(questions or faq_questions())))


def format_report(report: dict[str, Any]) -> str:
    """The figures as a few lines of text."""
    lat, first = report["latency_s"], report["first_text_s"]
    lines = [
        f"{report['clients']} clients, {report['requests']} requests ({report['distinct_questions']} distinct "
        f"questions) to {report['url']} ({report['endpoint']}, streamed)",
        f"ok {report['ok']}, errors {report['errors']}, mixed {report['mixed']}, waited in queue "
        f"{report['waited_in_queue']}" + (", answers identical to serial runs" if report["checked_against_serial"]
                                          and report["mixed"] == 0 else ""),
        f"latency p50 {lat['p50']} s, p95 {lat['p95']} s, max {lat['max']} s; first text p50 {first['p50']} s, "
        f"p95 {first['p95']} s",
        f"throughput {report['throughput_per_s']} answers/s over {report['wall_s']} s",
    ]
    lines += [f"  problem: {p['question']!r}: {p['error'] or p['mixed']}" for p in report["problems"]]
    return "\n".join(lines)
