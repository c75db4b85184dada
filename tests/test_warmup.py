"""The background warm-up: every section's prompt state prepared once, progress reported, answers first."""

from __future__ import annotations

import threading
import time

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot import warmup as warmup_module
from chatbot.backends.llamacpp import TurnLock
from chatbot.warmup import find_warmup, start_background_warmup
from ingest import IngestSettings, ingest
from tests.conftest import REAL_FAQ
from tests.fakes import ScriptedLLM, ScriptedRetriever


class WarmingLLM(ScriptedLLM):
    """A scripted model that keeps prompt states like the llama.cpp backend: each prefix takes three slices
    of work, and an answer holding the model (`with llm.lock:`) makes the background work stop."""

    def __init__(self, saved: set[str] | None = None, fail: bool = False) -> None:
        super().__init__()
        self.lock = TurnLock()
        self.saved = saved if saved is not None else set()
        self.slices = 0
        self.fail = fail
        self.planned = 0

    def warm(self, messages, reuse_prefix, *, background=False):
        if self.fail:
            raise RuntimeError("llama_decode returned -3")
        key = messages[-1].content.split(reuse_prefix)[0]
        if key in self.saved:
            return False
        if self.lock.demand:
            return None
        with self.lock.background():
            for _ in range(3):
                if self.lock.demand:
                    return None
                self.slices += 1
                time.sleep(0.01)
        self.saved.add(key)
        return True

    def idle_seconds(self) -> float:
        return self.lock.idle_seconds()

    def plan_states(self, count: int) -> tuple[bool, int]:
        self.planned = count
        return True, 1 << 30


@pytest.fixture(scope="module")
def chunks():
    return ingest(IngestSettings(faq_path=REAL_FAQ)).chunks


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup_module, "IDLE_BEFORE_RESUMING_S", 0.05)
    monkeypatch.setattr(warmup_module, "POLL_S", 0.01)


def _bot(chunks, llm) -> Chatbot:
    return Chatbot(ScriptedRetriever(chunks, {}), llm, ChatSettings(backend="scripted"))


def test_every_section_is_prepared_once_with_progress(chunks) -> None:
    llm = WarmingLLM()
    bot = _bot(chunks, llm)
    seen = []
    warmup = start_background_warmup(bot, progress=seen.append)
    assert warmup.wait(10)
    status = warmup.status()
    sections = {c.section for c in chunks}
    assert status.finished and status.total == len(sections) == status.done == status.computed == len(llm.saved)
    assert llm.planned == len(sections), "the state budget is sized for the FAQ's sections"
    assert [s.done for s in seen if not s.finished] == sorted(s.done for s in seen if not s.finished)
    n = len(sections)
    assert f"{n}/{n} sections ({n} calculées, 0 déjà enregistrées)" in status.describe()
    assert start_background_warmup(bot) is warmup and find_warmup(bot) is warmup, "one warm-up per model"


def test_after_a_restart_the_saved_states_are_found_not_recomputed(chunks) -> None:
    saved: set[str] = set()
    first = start_background_warmup(_bot(chunks, WarmingLLM(saved)))
    first.wait(10)
    restarted = WarmingLLM(saved)  # a new process: same states on disk
    again = start_background_warmup(_bot(chunks, restarted))
    assert again is not first and again.wait(10)
    assert again.status().computed == 0 and again.status().done == first.status().total and restarted.slices == 0


def test_an_answer_takes_the_model_from_the_warm_up_and_it_resumes_after(chunks) -> None:
    llm = WarmingLLM()
    bot = _bot(chunks, llm)
    answering = threading.Event()
    finish_answer = threading.Event()

    def visitor() -> None:
        with llm.lock:  # what ChatLlamaCpp does while it answers
            answering.set()
            finish_answer.wait(5)

    warmup = start_background_warmup(bot)
    while warmup.status().done < 2:
        time.sleep(0.005)
    thread = threading.Thread(target=visitor)
    thread.start()
    answering.wait(5)
    time.sleep(0.1)
    during = warmup.status().done
    time.sleep(0.2)
    assert warmup.status().done == during and not warmup.status().finished, "no progress while an answer runs"
    finish_answer.set()
    thread.join(5)
    assert warmup.wait(10) and warmup.status().done == warmup.status().total


def test_a_failing_warm_up_is_reported_and_never_raised(chunks) -> None:
    warmup = start_background_warmup(_bot(chunks, WarmingLLM(fail=True)))
    assert warmup.wait(10)
    status = warmup.status()
    assert status.finished and "llama_decode returned -3" in (status.error or "")
    assert "interrompue" in status.describe()


def test_a_backend_without_states_has_nothing_to_warm(chunks) -> None:
    warmup = start_background_warmup(_bot(chunks, ScriptedLLM()))
    assert warmup.wait(10) and warmup.status().computed == 0 and warmup.status().error is None


def test_the_warm_up_loads_a_terse_question_s_word_lists_before_any_visitor_asks(chunks) -> None:
    """The first terse question (« Shelters, fees? ») would otherwise wait about a second for them."""
    from chatbot import language

    language._frequencies.cache_clear()
    warmup = start_background_warmup(_bot(chunks, WarmingLLM()))
    assert warmup.wait(60) and warmup.status().error is None
    assert language._frequencies.cache_info().currsize == 2, "French and English lists loaded"
