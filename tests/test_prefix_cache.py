"""Saved llama.cpp prompt states: a byte budget with least-recently-used eviction, sized for the FAQ, shared
between processes; the background preparation of a prefix gives way to an answer."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from chatbot.backends import llamacpp
from chatbot.backends.llamacpp import ChatLlamaCpp, TurnLock
from chatbot.backends.prefix_cache import DEFAULT_BUDGET_MB, PrefixStateCache, locate
from chatbot.prompts import ANSWER_MARKER
from ingest.errors import InputError

MB = 1024 * 1024


def _tokens(n: int, start: int = 0) -> list[int]:
    return list(range(start, start + n))


def _age(cache: PrefixStateCache, tokens: list[int], seconds: float) -> None:
    path = cache.directory / f"{cache.key(tokens)}.kv"
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_the_least_recently_used_states_go_first_when_the_budget_is_full(tmp_path: Path) -> None:
    cache = PrefixStateCache(tmp_path, budget=3 * MB + 4096)
    a, b, c, d = (_tokens(100, s) for s in (0, 1000, 2000, 3000))
    for age, tokens in zip((40, 30, 20), (a, b, c), strict=True):
        cache.store(tokens, b"x" * MB)
        _age(cache, tokens, age)
    assert cache.load(cache.key(a)) == b"x" * MB  # `a` used again: now the most recent
    cache.store(d, b"y" * MB)
    assert cache.has(a) and cache.has(c) and cache.has(d) and not cache.has(b)
    assert not (tmp_path / f"{cache.key(b)}.kv").exists() and cache.evicted == 1
    assert cache.total_bytes() <= cache.budget()


def test_a_state_larger_than_the_budget_is_still_kept_until_the_next_one(tmp_path: Path) -> None:
    cache = PrefixStateCache(tmp_path, budget=MB // 2)
    cache.store(_tokens(100), b"z" * MB)
    assert cache.has(_tokens(100))


def test_the_budget_comes_from_the_variable_or_from_the_faqs_sections(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache = PrefixStateCache(tmp_path)
    assert cache.budget() == DEFAULT_BUDGET_MB * MB  # nothing planned yet
    cache.store(_tokens(100), b"s" * (8 * MB))
    size = (tmp_path / f"{cache.key(_tokens(100))}.kv").stat().st_size  # the state and its tokens
    cache.plan(200)  # a 200-question FAQ: 200 states of 8 MB do not fit in the default
    assert cache.budget() == (200 * 3 // 2 + 2) * size and cache.holds(200)
    assert PrefixStateCache(tmp_path).budget() == cache.budget()  # another process sizes it alike
    monkeypatch.setenv("FAQBOT_KV_CACHE_MB", "64")
    fixed = PrefixStateCache(tmp_path)
    assert fixed.budget() == 64 * MB and not fixed.holds(200)
    monkeypatch.setenv("FAQBOT_KV_CACHE_MB", "beaucoup")
    with pytest.raises(InputError, match="FAQBOT_KV_CACHE_MB.*megabytes"):
        PrefixStateCache(tmp_path)


def test_a_state_saved_by_another_process_is_found(tmp_path: Path) -> None:
    mine, other = PrefixStateCache(tmp_path), PrefixStateCache(tmp_path)
    other.store(_tokens(80), b"state")
    assert mine.longest([*_tokens(80), 7, 8]) == (other.key(_tokens(80)), 80)


class FakeLlama:
    """Just enough of `llama_cpp.Llama` for prefix preparation: tokens are the characters' code points."""

    def __init__(self) -> None:
        self.input_ids = np.zeros(4096, dtype=np.int64)
        self.n_tokens = 0
        self.evaluated: list[int] = []

    def tokenize(self, data: bytes, add_bos: bool = True, special: bool = True) -> list[int]:
        return [ord(ch) for ch in data.decode("utf-8")]

    def eval(self, tokens: list[int]) -> None:
        self.evaluated.append(len(tokens))
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)


@pytest.fixture
def fake_states(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(llamacpp, "save_sequence_state", lambda llama: bytes(llama.n_tokens))

    def restore(llama, tokens, state) -> bool:
        llama.input_ids[: len(tokens)] = tokens
        llama.n_tokens = len(tokens)
        return True

    monkeypatch.setattr(llamacpp, "restore_sequence_state", restore)


PROMPT = "S" * 300 + "Question : combien ?"


def test_a_prefix_is_prepared_in_slices_and_stops_when_an_answer_waits(tmp_path: Path, fake_states) -> None:
    model = ChatLlamaCpp(llama=FakeLlama(), lock=TurnLock(), states=PrefixStateCache(tmp_path))
    calls = {"n": 0}

    def pause() -> bool:
        calls["n"] += 1
        return calls["n"] > 2  # an answer arrives after two slices

    assert model.prepare(PROMPT, True, "Question : ", pause=pause) is None
    assert model.llama.evaluated == [llamacpp.WARM_SLICE, llamacpp.WARM_SLICE] and len(model.states) == 0
    tokens = model.prepare(PROMPT, True, "Question : ", pause=lambda: False)
    assert tokens is not None and len(model.states) == 1  # resumed where it stopped, then saved
    assert sum(model.llama.evaluated) == 300 and model.last["evaluated_prefix"] == 300 - 2 * llamacpp.WARM_SLICE
    fresh = ChatLlamaCpp(llama=FakeLlama(), lock=TurnLock(), states=PrefixStateCache(tmp_path))
    fresh.prepare(PROMPT, True, "Question : ")
    assert fresh.llama.evaluated == [] and fresh.last["restored_tokens"] == 300  # a restart restores it


def test_the_question_label_is_saved_with_the_prefix_and_not_read_again(tmp_path: Path, fake_states) -> None:
    """With the answer marker's cut, "Question :" belongs to the saved prefix: an answer restores it and reads
    only the question itself; a prompt without the marker keeps no state."""
    model = ChatLlamaCpp(llama=FakeLlama(), lock=TurnLock(), states=PrefixStateCache(tmp_path))
    model.prepare(PROMPT, True, ANSWER_MARKER)
    assert model.last["prefix_tokens"] == len("S" * 300 + "Question :")
    other = "S" * 300 + "Question : et en 2021 ?"
    fresh = ChatLlamaCpp(llama=FakeLlama(), lock=TurnLock(), states=PrefixStateCache(tmp_path))
    tokens = fresh.prepare(other, True, ANSWER_MARKER)
    assert fresh.llama.evaluated == [] and len(tokens) - fresh.last["restored_tokens"] == len(" et en 2021 ?")
    assert locate(other, ANSWER_MARKER) == len("S" * 300 + "Question :")
    assert locate("S" * 300, ANSWER_MARKER) is None and fresh.prepare("S" * 300, True, ANSWER_MARKER) is not None


def test_answers_count_as_demand_and_background_work_does_not() -> None:
    lock = TurnLock()
    assert lock.idle_seconds() == float("inf")
    with lock.background():
        assert lock.demand == 0
    entered = threading.Event()
    release = threading.Event()

    def answer() -> None:
        with lock:
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=answer)
    thread.start()
    entered.wait(5)
    assert lock.demand == 1 and lock.idle_seconds() == 0.0
    release.set()
    thread.join(5)
    assert lock.demand == 0 and 0.0 <= lock.idle_seconds() < 5
