"""What `faqbot serve` holds between requests: the chatbot, its queue, the rate limiter, metrics, the warm-up.

Nothing here outlives the process or belongs to one visitor: every request brings its conversation (the
history) with it, so several replicas behind a load balancer answer alike. The chatbot's answers are
generated in a thread of their own per request (llama.cpp and the LangChain clients are synchronous) and
handed to the event loop event by event; the queue bounds how many such threads run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chatbot import Chatbot, Event
from chatbot.queue import QueueTimeout, RequestQueue, Ticket
from ingest.errors import FaqbotError
from ui.api_metrics import Metrics
from ui.api_settings import ServeSettings

log = logging.getLogger("faqbot.serve")

History = Sequence[tuple[str, str]]
# Clients remembered by the rate limiter; the least recently seen are forgotten first.
MAX_TRACKED_CLIENTS = 10_000


class RateLimited(FaqbotError):
    """The client asked too often; `retry_after` seconds until its next request is accepted."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests from this client: try again in {retry_after} s")
        self.retry_after = retry_after


class RateLimiter:
    """A token bucket per client: `per_minute` requests a minute on average, `burst` at once."""

    def __init__(self, per_minute: int, burst: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, when)
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Take one request from `client`'s bucket, or raise RateLimited."""
        if self.rate <= 0:
            return
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                raise RateLimited(max(1, int((1.0 - tokens) / self.rate + 0.999)))
            self._buckets[client] = (tokens - 1.0, now)
            while len(self._buckets) > MAX_TRACKED_CLIENTS:
                self._buckets.popitem(last=False)


@dataclass
class WarmUp:
    """The background computation of the llama.cpp prefix states (`Chatbot.warm_up`) at start-up."""

    state: str = "off"  # off, running, done, failed
    computed: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"state": self.state, "computed": self.computed, "seconds": round(self.seconds, 1)}


@dataclass(frozen=True)
class Waiting:
    """The request waits for a free slot; `position` is its place (1: next)."""

    position: int


class _End:
    """The answer thread has finished."""


@dataclass(frozen=True)
class _Failed:
    error: BaseException


@dataclass
class Service:
    """The chatbot and everything that decides who gets an answer when."""

    bot: Chatbot
    settings: ServeSettings
    queue: RequestQueue = field(init=False)
    metrics: Metrics = field(init=False)
    limiter: RateLimiter = field(init=False)
    warm: WarmUp = field(default_factory=WarmUp)
    started: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.queue = RequestQueue.for_backend(self.bot.backend_name, self.settings.queue)
        self.metrics = Metrics(self.queue)
        self.limiter = RateLimiter(self.settings.rate_limit, self.settings.rate_burst)

    # --- start-up ---------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Load the LLM now (and check it answers), rather than inside the first visitor's answer."""
        llm = self.bot.llm
        if llm is not None:
            llm.chat_model()
            self.bot._llm()  # the backend's own check: the model file, or the server's address

    def models_loaded(self) -> bool:
        """True once the LLM (if any) is loaded."""
        return self.bot.llm is None or getattr(self.bot.llm, "_chat_model", None) is not None

    def start_warm_up(self) -> threading.Thread | None:
        """Compute the llama.cpp prefix states in the background (the seam for `Chatbot.warm_up`)."""
        if not self.settings.warm_up or self.bot.llm is None:
            return None
        self.warm.state = "running"

        def run() -> None:
            started = time.perf_counter()
            try:
                self.warm.computed = self.bot.warm_up()
                self.warm.state = "done"
            except Exception:  # a failed warm-up only costs speed: answers compute what they need
                self.warm.state = "failed"
                log.exception("warm-up of the prompt prefix states failed")
            self.warm.seconds = time.perf_counter() - started
            log.info("warm-up %s: %d prefix states computed in %.1f s", self.warm.state, self.warm.computed,
                     self.warm.seconds)

        thread = threading.Thread(target=run, name="faqbot-warm-up", daemon=True)
        thread.start()
        return thread

    # --- admission ------------------------------------------------------------------------------------------

    def admit(self, client: str) -> Ticket:
        """Rate limit, then a place in the queue (RateLimited or QueueFull when refused)."""
        try:
            self.limiter.check(client)
        except RateLimited:
            self.metrics.rejected.labels("rate_limit").inc()
            raise
        try:
            return self.queue.enter(client)
        except Exception:
            self.metrics.rejected.labels("queue_full").inc()
            raise

    async def answer(self, ticket: Ticket, question: str, history: History, length: str | None, *,
                     gone: Callable[[], Awaitable[bool]] | None = None, poll_s: float = 1.0
                     ) -> AsyncIterator[Event | Waiting]:
        """`Waiting` while `ticket` waits for its turn (each time its place changes), then the chatbot's events.

        Waiting holds no thread; the answer is generated in a thread of its own that keeps the slot until the
        generation has really stopped, also when the client leaves early. The ticket is always released."""
        started = False
        stop = threading.Event()
        try:
            shown = 0
            while not ticket.granted:
                place = ticket.position
                if place and place != shown:
                    yield Waiting(place)
                    shown = place
                if await ticket.wait_async(poll_s):
                    break
                if gone is not None and await gone() and self.queue.give_up(ticket):
                    return  # nobody to answer any more
                if ticket.waited_s > self.queue.max_wait_s and self.queue.give_up(ticket):
                    self.metrics.rejected.labels("queue_timeout").inc()
                    raise QueueTimeout(f"no free slot within {self.queue.max_wait_s:g} s: try again later")
            self.metrics.queue_wait.observe(ticket.waited_s)
            loop = asyncio.get_running_loop()
            items: asyncio.Queue[Any] = asyncio.Queue()

            def put(item: object) -> None:
                with contextlib.suppress(RuntimeError):  # the loop is gone (server shutting down)
                    loop.call_soon_threadsafe(items.put_nowait, item)

            def work() -> None:
                try:
                    stream = self.bot.stream(question, history, length=length)
                    try:
                        for event in stream:
                            put(event)
                            if stop.is_set():
                                break
                    finally:
                        stream.close()  # in this thread: the llama.cpp lock is released by the thread that took it
                except Exception as exc:
                    put(_Failed(exc))
                finally:
                    ticket.release()
                    put(_End())

            threading.Thread(target=work, name=f"faqbot-answer-{ticket.number}", daemon=True).start()
            started = True
            while True:
                item = await items.get()
                if isinstance(item, _End):
                    return
                if isinstance(item, _Failed):
                    raise item.error
                yield item
        finally:
            stop.set()
            if not started:
                ticket.release()
