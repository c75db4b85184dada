"""Warm from the first question: every FAQ section's llama.cpp prompt state, computed in the background.

A long-running command (`faqbot ui`, `faqbot serve`, `faqbot chat`) calls `start_background_warmup(bot)` once
its chatbot exists. A thread then saves, section after section, the state of the prompt prefix that every
answer on that section shares (system prompt, worked example, the section's passages), so that the first
question on any section only processes its own words: about a second to the first token instead of 10 to 20.

It never delays an answer: an answer waiting for the model takes it at the next slice of WARM_SLICE tokens,
and the warm-up resumes only after the model has been idle for a little while; a question on a section not
warm yet is answered normally (and warms that section itself). States are saved on disk per FAQ version,
model and settings (see backends/prefix_cache.py), so after a restart the warm-up finds them all and finishes
in a second. One warm-up runs per model; calling again returns the running (or finished) one.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace

from chatbot.language import preload as preload_language
from chatbot.prompts import ANSWER_MARKER

log = logging.getLogger("faqbot.warmup")

# The warm-up waits until no answer has used the model for this long: a conversation's next step (a
# regeneration after verification, the next question of a visitor) usually comes within it.
IDLE_BEFORE_RESUMING_S = 1.5
POLL_S = 0.1


@dataclass(frozen=True)
class WarmupProgress:
    """Where the warm-up stands."""

    total: int = 0  # section prompts to prepare
    done: int = 0  # prepared so far (computed now or found saved)
    computed: int = 0  # of which computed by this warm-up
    paused: int = 0  # times it gave way to an answer
    seconds: float = 0.0
    finished: bool = False
    error: str | None = None
    warning: str | None = None  # e.g. the state budget cannot hold every section

    @property
    def running(self) -> bool:
        """True until every section is prepared (or the warm-up failed or was stopped)."""
        return not self.finished

    def describe(self) -> str:
        """One line for a log or a terminal, in French like the rest of what users read."""
        if self.error:
            return f"préparation des réponses interrompue : {self.error}"
        state = "prêtes" if self.finished else "en cours"
        reused = self.done - self.computed
        return (f"préparation des réponses {state} : {self.done}/{self.total} sections ({self.computed} calculées, "
                f"{reused} déjà enregistrées) en {self.seconds:.0f} s")


Progress = Callable[[WarmupProgress], None]


class Warmup:
    """A background thread preparing every section's prompt state of one chatbot's LLM."""

    def __init__(self, bot, progress: Progress | None = None) -> None:
        self.bot = bot
        self.progress = progress
        self._status = WarmupProgress()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="faqbot-warmup", daemon=True)
        self._lock = threading.Lock()

    def start(self) -> Warmup:
        """Start the thread (once)."""
        if not self._thread.is_alive() and not self._done.is_set():
            self._thread.start()
        return self

    def status(self) -> WarmupProgress:
        """The progress so far."""
        with self._lock:
            return self._status

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the warm-up ends (True) or `timeout` seconds pass (False)."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        """Ask the thread to stop after its current slice."""
        self._stop.set()

    def _update(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            status = self._status
        if self.progress:
            try:
                self.progress(status)
            except Exception:  # a display problem must not stop the warm-up
                log.exception("warm-up progress callback failed")

    def _run(self) -> None:
        started = time.monotonic()
        try:
            # The word lists a terse question's language is read with, loaded once here rather than in the first
            # visitor's answer (about a second, see docs/speed.md); then the model's section states.
            preload_language()
            llm = self.bot.llm
            prompts = self.bot.warm_prompts() if llm is not None else []
            fits, budget = llm.plan_states(len(prompts)) if prompts else (True, 0)
            warning = None if fits else (
                f"le budget des états enregistrés ({budget / 2**20:.0f} Mo) ne peut pas tous les garder : "
                f"augmentez FAQBOT_KV_CACHE_MB")
            self._update(total=len(prompts), warning=warning)
            for _, messages in prompts:
                while True:
                    if self._stop.is_set():
                        return
                    if llm.idle_seconds() < IDLE_BEFORE_RESUMING_S:
                        time.sleep(POLL_S)
                        continue
                    outcome = llm.warm(messages, ANSWER_MARKER, background=True)
                    if outcome is not None:
                        break
                    self._update(paused=self.status().paused + 1)  # an answer came first: try again later
                status = self.status()
                self._update(done=status.done + 1, computed=status.computed + bool(outcome),
                             seconds=time.monotonic() - started)
        except Exception as exc:  # the server keeps answering without a warm cache
            log.exception("warm-up failed")
            self._update(error=f"{type(exc).__name__}: {exc}")
        finally:
            self._update(finished=True, seconds=time.monotonic() - started)
            self._done.set()


# LLM -> {digest of the section prompts -> warm-up}: one warm-up per model and FAQ version.
_RUNNING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def _key(bot) -> tuple[object, str]:
    prompts = bot.warm_prompts() if bot.llm is not None else []
    digest = hashlib.sha1(repr([[m.content for m in messages] for _, messages in prompts]).encode()).hexdigest()
    return (bot.llm if bot.llm is not None else bot), digest


def start_background_warmup(bot, progress: Progress | None = None) -> Warmup:
    """Prepare every FAQ section's prompt state of `bot` in a background thread and return its handle.

    One warm-up per model and FAQ version: a second call (another session, another chatbot over the same
    model and index) returns the first one, whose `status()` says where it stands. `progress` is called with
    a `WarmupProgress` whenever it moves."""
    owner, digest = _key(bot)
    with _REGISTRY_LOCK:
        runs = _RUNNING.setdefault(owner, {})
        running = runs.get(digest)
        if running is not None and not running.status().error:
            return running
        runs[digest] = warmup = Warmup(bot, progress)
    return warmup.start()


def find_warmup(bot) -> Warmup | None:
    """The warm-up started for `bot`'s model and FAQ version, if any."""
    owner, digest = _key(bot)
    with _REGISTRY_LOCK:
        return _RUNNING.get(owner, {}).get(digest)


__all__ = ["Warmup", "WarmupProgress", "find_warmup", "start_background_warmup"]
