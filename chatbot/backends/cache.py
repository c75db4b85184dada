"""An answer cache in front of any backend: replies keyed by (model, full prompt, sampling settings).

Evaluation re-runs the same prompts whenever nothing changed; with the cache those runs are instant and
deterministic, and any change to the FAQ (passages in the prompt), the prompt wording or the model (its
fingerprint: file hash or server address + name) changes the key of exactly the prompts it affects.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from chatbot.backends.base import LLM, BackendError, EnoughText, Message, stop_early


class CacheMiss(BackendError):
    """The reply is not cached and the cache was opened read-only (`--cached-only`)."""


class AnswerCache:
    """Replies by key, kept in a JSONL file (one `{"key", "reply", "model"}` object a line)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, dict] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[entry["key"]] = entry
                except (ValueError, KeyError, TypeError):
                    continue  # a damaged line only costs a regeneration

    @staticmethod
    def key(fingerprint: str, messages: Sequence[Message], *, max_tokens: int, stop: Sequence[str],
            temperature: float, seed: int) -> str:
        """The cache key of one LLM call."""
        payload = {"model": fingerprint, "messages": [[m.role, m.content] for m in messages],
                   "max_tokens": max_tokens, "stop": list(stop), "temperature": temperature, "seed": seed}
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def get(self, key: str) -> str | None:
        """The cached reply, counting hits and misses."""
        with self._lock:
            entry = self.entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            self.used.add(key)
            return str(entry["reply"])

    def put(self, key: str, reply: str, model: str) -> None:
        """Store a reply (appended to the file at once, so an interrupted run keeps what it computed)."""
        entry = {"key": key, "reply": reply, "model": model}
        with self._lock:
            self.entries[key] = entry
            self.used.add(key)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def prune(self) -> int:
        """Rewrite the file with only the entries this run used; returns how many were dropped."""
        with self._lock:
            kept = {k: v for k, v in self.entries.items() if k in self.used}
            dropped = len(self.entries) - len(kept)
            self.entries = kept
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept.values()),
                                 encoding="utf-8")
            return dropped


class CachingLLM(LLM):
    """Serves replies from an `AnswerCache`, asking the wrapped backend only on a miss (never when offline)."""

    def __init__(self, inner: LLM, cache: AnswerCache, *, offline: bool = False, read: bool = True) -> None:
        self.inner = inner
        self.cache = cache
        self.offline = offline
        self.read = read
        self.settings = inner.settings
        self.name = inner.name
        self.model = inner.model
        self._chat_model = None

    def build_chat_model(self):  # pragma: no cover - replies come from the cache or the inner backend
        return self.inner.chat_model()

    def check(self) -> None:
        if not self.offline:
            self.inner.check()

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def warm(self, messages: Sequence[Message], reuse_prefix: str, *, background: bool = False) -> bool | None:
        return False if self.offline else self.inner.warm(messages, reuse_prefix, background=background)

    def idle_seconds(self) -> float:
        return self.inner.idle_seconds()

    def plan_states(self, count: int) -> tuple[bool, int]:
        return (True, 0) if self.offline else self.inner.plan_states(count)

    def stream(self, messages: Sequence[Message], *, max_tokens: int, stop: Sequence[str] = (),
               reuse_prefix: str | None = None) -> Iterator[str]:
        key = AnswerCache.key(self.inner.fingerprint(), messages, max_tokens=max_tokens, stop=stop,
                              temperature=self.settings.temperature, seed=self.settings.seed)
        cached = self.cache.get(key) if self.read else None
        if cached is not None:
            yield cached
            return
        if self.offline:
            raise CacheMiss("no cached answer for this prompt (the FAQ, the prompt or the model changed): "
                            "run `make eval` to regenerate answers, then commit eval/cache")
        reply = ""
        inner = self.inner.stream(messages, max_tokens=max_tokens, stop=stop, reuse_prefix=reuse_prefix)
        try:
            for piece in inner:
                reply += piece
                yield piece
        except EnoughText:
            # The reader has what it needs (a leading HORS_FAQ): what it read is what a replay must give it, or
            # that prompt would miss the cache on every run.
            stop_early(inner)
        finally:
            # A backend failure, Ctrl-C or a reader that went away (GeneratorExit) leave here with an exception
            # in flight: a cut reply is never stored, or every later run would replay it as the whole answer.
            inner.close()
        if reply:
            self.cache.put(key, reply, self.inner.fingerprint())

    def close(self) -> None:
        self.inner.close()
