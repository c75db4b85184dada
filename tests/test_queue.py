"""The answer queue: bounded, fair between clients, tells each waiting request its place."""

from __future__ import annotations

import asyncio
import threading

import pytest

from chatbot.queue import QueueFull, QueueSettings, QueueTimeout, RequestQueue
from ingest.errors import InputError


def test_one_answer_at_a_time_for_the_in_process_model_and_parallel_for_servers() -> None:
    settings = QueueSettings(max_parallel=3, max_waiting=5)
    assert RequestQueue.for_backend("llamacpp", settings).slots == 1
    assert RequestQueue.for_backend("openai", settings).slots == 3
    assert RequestQueue.for_backend("ollama", settings).slots == 3


def test_a_full_queue_turns_requests_away_with_a_retry_delay() -> None:
    queue = RequestQueue(slots=1, max_waiting=2)
    running = queue.enter("a")
    assert running.granted and running.position == 0
    waiting = [queue.enter("b"), queue.enter("c")]
    assert [t.granted for t in waiting] == [False, False]
    with pytest.raises(QueueFull) as refused:
        queue.enter("d")
    assert refused.value.retry_after >= 1 and "try again in" in str(refused.value)
    assert queue.rejected == 1 and queue.waiting == 2 and queue.running == 1
    running.release()
    assert waiting[0].granted and not waiting[1].granted and waiting[1].position == 1


def test_clients_are_served_in_turn_not_in_arrival_order() -> None:
    queue = RequestQueue(slots=1, max_waiting=10)
    first = queue.enter("busy")
    busy = [queue.enter("busy") for _ in range(3)]
    late = queue.enter("polite")  # arrives after the busy client's three questions
    assert [t.position for t in busy] == [1, 3, 4] and late.position == 2
    order = []
    current = first
    for _ in range(4):
        current.release()
        current = next(t for t in [*busy, late] if t.granted and not t.released)
        order.append("polite" if current is late else f"busy{busy.index(current)}")
    assert order == ["busy0", "polite", "busy1", "busy2"]


def test_a_waiting_request_that_gives_up_frees_its_place() -> None:
    queue = RequestQueue(slots=1, max_waiting=3)
    running = queue.enter("a")
    leaving, staying = queue.enter("b"), queue.enter("c")
    leaving.release()
    assert staying.position == 1 and queue.waiting == 1
    running.release()
    assert staying.granted and not leaving.granted


def test_wait_turn_reports_the_place_and_times_out() -> None:
    queue = RequestQueue(slots=1, max_waiting=3, max_wait_s=0.3)
    running = queue.enter("a")
    ticket = queue.enter("b")
    places: list[int] = []
    with pytest.raises(QueueTimeout):
        queue.wait_turn(ticket, places.append, poll_s=0.05)
    assert places == [1] and queue.waiting == 0
    other = queue.enter("c")
    threading.Timer(0.1, running.release).start()
    queue.wait_turn(other, poll_s=0.02)
    assert other.granted


def test_async_waiters_are_woken_by_a_release_from_another_thread() -> None:
    queue = RequestQueue(slots=1, max_waiting=3)
    running = queue.enter("a")
    ticket = queue.enter("b")

    async def scenario() -> tuple[bool, bool]:
        early = await ticket.wait_async(0.05)
        threading.Timer(0.05, running.release).start()
        later = await ticket.wait_async(5)
        return early, later

    assert asyncio.run(scenario()) == (False, True)


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQBOT_MAX_PARALLEL", "6")
    monkeypatch.setenv("FAQBOT_QUEUE_SIZE", "40")
    settings = QueueSettings.from_env()
    assert (settings.max_parallel, settings.max_waiting) == (6, 40)
    assert QueueSettings.from_env(max_waiting=2).max_waiting == 2
    monkeypatch.setenv("FAQBOT_MAX_PARALLEL", "zéro")
    with pytest.raises(InputError, match="FAQBOT_MAX_PARALLEL"):
        QueueSettings.from_env()
