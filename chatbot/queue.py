"""A fair, bounded queue of answers: how many run at once, who waits, in which order, and who is turned away.

The in-process llama.cpp model has one KV cache, so it answers one question at a time; a server model
(Ollama, vLLM, llama.cpp's server) answers several in parallel, up to what the operator configures. Both the
chat page and the HTTP API put every answer through a `RequestQueue`:

- at most `slots` answers run at once; at most `max_waiting` wait; beyond that `enter()` raises `QueueFull`
  with an estimate of when to come back (the API's 503 + `Retry-After`);
- waiting requests are served round-robin across clients (a browser session, an API client): a client
  with ten questions in flight does not make a client with one wait behind all ten;
- every waiting ticket knows its place, so a visitor can be told where they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from ingest.errors import FaqbotError, InputError
from ingest.settings import env_int

DEFAULT_PARALLEL = 4
DEFAULT_QUEUE_SIZE = 16
DEFAULT_QUEUE_TIMEOUT_S = 300.0
# Before any answer has been timed, a Retry-After is estimated from this (a typical CPU answer).
INITIAL_SERVICE_S = 10.0
# Backends whose model lives in this process with a single KV cache: one answer at a time.
SERIAL_BACKENDS = frozenset({"llamacpp"})


class QueueFull(FaqbotError):
    """Too many questions are already waiting; `retry_after` says when to come back (seconds)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QueueTimeout(FaqbotError):
    """A question waited longer than the queue's limit without getting its turn."""


@dataclass(frozen=True)
class QueueSettings:
    """How many answers run at once (remote backends), how many may wait, and for how long."""

    max_parallel: int = DEFAULT_PARALLEL
    max_waiting: int = DEFAULT_QUEUE_SIZE
    max_wait_s: float = DEFAULT_QUEUE_TIMEOUT_S

    @classmethod
    def from_env(cls, **overrides: object) -> QueueSettings:
        """`FAQBOT_MAX_PARALLEL`, `FAQBOT_QUEUE_SIZE`, `FAQBOT_QUEUE_TIMEOUT` (seconds), then the overrides."""
        values: dict[str, object] = {
            "max_parallel": env_int("FAQBOT_MAX_PARALLEL", DEFAULT_PARALLEL, 1),
            "max_waiting": env_int("FAQBOT_QUEUE_SIZE", DEFAULT_QUEUE_SIZE, 0),
            "max_wait_s": float(env_int("FAQBOT_QUEUE_TIMEOUT", int(DEFAULT_QUEUE_TIMEOUT_S), 1)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.max_parallel < 1 or settings.max_waiting < 0 or settings.max_wait_s <= 0:
            raise InputError("the queue needs at least 1 parallel answer, 0 or more waiting places and a "
                             "positive timeout")
        return settings

    def slots_for(self, backend: str) -> int:
        """Answers that may run at once with `backend`: one for the in-process model, else the configured limit."""
        return 1 if backend in SERIAL_BACKENDS else self.max_parallel


class Ticket:
    """One request's place: waiting (`position` >= 1), running (`position` == 0) or done."""

    def __init__(self, queue: RequestQueue, client: str, number: int) -> None:
        self.queue = queue
        self.client = client
        self.number = number
        self.entered = time.monotonic()
        self.started: float | None = None
        self.released = False
        self._granted = threading.Event()
        self._listeners: list[Callable[[], None]] = []

    @property
    def granted(self) -> bool:
        """True once the request may run."""
        return self._granted.is_set()

    @property
    def position(self) -> int:
        """0 when running (or done), else the 1-based place among the waiting requests."""
        return self.queue.position(self)

    @property
    def waited_s(self) -> float:
        """Seconds spent waiting (so far, or until the turn came)."""
        return (self.started or time.monotonic()) - self.entered

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the turn comes or `timeout` seconds pass; True when the request may run."""
        return self._granted.wait(timeout)

    async def wait_async(self, timeout: float) -> bool:
        """Like `wait`, for an asyncio task, without holding a thread while waiting."""
        if self.granted:
            return True
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(event.set)

        self._on_grant(wake)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
        return self.granted

    def _on_grant(self, listener: Callable[[], None]) -> None:
        with self.queue._lock:
            if not self.granted:
                self._listeners.append(listener)
                return
        listener()

    def _grant(self) -> None:
        self.started = time.monotonic()
        self._granted.set()
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener()

    def release(self) -> None:
        """Leave the queue (waiting) or free the slot (running); idempotent."""
        self.queue.release(self)

    def __enter__(self) -> Ticket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class RequestQueue:
    """At most `slots` requests run at once, at most `max_waiting` wait; clients are served round-robin."""

    def __init__(self, slots: int, max_waiting: int, *, max_wait_s: float = DEFAULT_QUEUE_TIMEOUT_S) -> None:
        if slots < 1:
            raise ValueError("a queue needs at least one slot")
        self.slots = slots
        self.max_waiting = max_waiting
        self.max_wait_s = max_wait_s
        self._lock = threading.Lock()
        self._waiting: OrderedDict[str, deque[Ticket]] = OrderedDict()  # client -> its tickets, oldest first
        self._running: set[Ticket] = set()
        self._numbers = itertools.count(1)
        self._service_s = INITIAL_SERVICE_S
        self._timed = 0
        self.served = 0
        self.rejected = 0

    @classmethod
    def for_backend(cls, backend: str, settings: QueueSettings) -> RequestQueue:
        """The queue a backend needs: serial for the in-process model, parallel up to the limit otherwise."""
        return cls(settings.slots_for(backend), settings.max_waiting, max_wait_s=settings.max_wait_s)

    @property
    def running(self) -> int:
        """Requests running now."""
        with self._lock:
            return len(self._running)

    @property
    def waiting(self) -> int:
        """Requests waiting now."""
        with self._lock:
            return self._count_waiting()

    def _count_waiting(self) -> int:
        return sum(len(q) for q in self._waiting.values())

    def retry_after(self) -> int:
        """Seconds after which a turned-away request has a fair chance (from the measured answer times)."""
        with self._lock:
            return self._retry_after()

    def _retry_after(self) -> int:
        ahead = self._count_waiting() + len(self._running)
        return max(1, min(600, math.ceil(self._service_s * max(ahead, 1) / self.slots)))

    def enter(self, client: str) -> Ticket:
        """Join the queue as `client`; the ticket may already be granted. Raises QueueFull when full."""
        with self._lock:
            ticket = Ticket(self, client, next(self._numbers))
            if len(self._running) < self.slots and not self._waiting:
                self._start(ticket)
                return ticket
            if self._count_waiting() >= self.max_waiting:
                self.rejected += 1
                retry = self._retry_after()
                raise QueueFull(f"too many questions are waiting ({self._count_waiting()}): try again in "
                                f"{retry} s", retry)
            self._waiting.setdefault(client, deque()).append(ticket)
            return ticket

    def _start(self, ticket: Ticket) -> None:
        self._running.add(ticket)
        ticket._grant()

    def _fill(self) -> None:
        """Grant free slots to waiting tickets, one client after another (round-robin)."""
        while len(self._running) < self.slots and self._waiting:
            client, tickets = next(iter(self._waiting.items()))
            ticket = tickets.popleft()
            if tickets:
                self._waiting.move_to_end(client)
            else:
                del self._waiting[client]
            self._start(ticket)

    def release(self, ticket: Ticket) -> None:
        """A ticket leaves: a waiting one gives up its place, a running one frees its slot."""
        with self._lock:
            self._release(ticket)

    def _release(self, ticket: Ticket) -> None:
        if ticket.released:
            return
        ticket.released = True
        if ticket in self._running:
            self._running.discard(ticket)
            self.served += 1
            if ticket.started is not None:
                took = time.monotonic() - ticket.started
                # A moving average of recent answers, for Retry-After.
                self._timed += 1
                weight = 1.0 if self._timed == 1 else 0.2
                self._service_s += weight * (took - self._service_s)
        else:
            tickets = self._waiting.get(ticket.client)
            if tickets is not None and ticket in tickets:
                tickets.remove(ticket)
                if not tickets:
                    del self._waiting[ticket.client]
        self._fill()

    def give_up(self, ticket: Ticket) -> bool:
        """Leave the queue if still waiting (True); False when the turn has come meanwhile (it must run)."""
        with self._lock:
            if ticket.granted or ticket.released:
                return False
            self._release(ticket)
            return True

    def position(self, ticket: Ticket) -> int:
        """0 for a running or finished ticket, else its 1-based place in the order the queue will serve."""
        with self._lock:
            if ticket.granted or ticket.released:
                return 0
            clients = list(self._waiting.items())
            for index, (client, tickets) in enumerate(clients):
                if client != ticket.client:
                    continue
                depth = list(tickets).index(ticket) if ticket in tickets else 0
                # Served by rounds: every client's first ticket, then every client's second, and so on.
                ahead = sum(min(len(q), depth) for _, q in clients)
                ahead += sum(1 for _, q in clients[:index] if len(q) > depth)
                return ahead + 1
            return 0

    def wait_turn(self, ticket: Ticket, on_wait: Callable[[int], None] | None = None, *,
                  poll_s: float = 0.5) -> None:
        """Block until `ticket` may run, calling `on_wait(position)` whenever its place changes; gives up its
        place and raises QueueTimeout after `max_wait_s`."""
        shown = 0
        while not ticket.granted:
            place = ticket.position
            if on_wait is not None and place != shown and place > 0:
                on_wait(place)
                shown = place
            if ticket.wait(poll_s):
                return
            if ticket.waited_s > self.max_wait_s and self.give_up(ticket):
                raise QueueTimeout(f"no free slot within {self.max_wait_s:g} s: try again later")
