"""Saved llama.cpp states for prompt prefixes that recur (system prompt + one FAQ section's passages).

Prompt processing, not decoding, dominates the time to first token on 2 cores (about 50-100 tokens/s), so
the KV cache of a prefix is saved once and restored (about 10 ms) whenever a later prompt starts with the
same tokens: only the question is then processed. States are kept on disk, keyed by the model file, the
llama-cpp-python version and the context size, so they survive between `faqbot` processes.

The folder has a size budget in bytes; beyond it the least recently used states are deleted. The budget is
`FAQBOT_KV_CACHE_MB` when set, else sized for the FAQ: the background warm-up records how many section states
the FAQ needs (`plan`), and the budget holds that many plus half again (at least DEFAULT_BUDGET_MB).

Only the KV cells of sequence 0 are saved (`llama_state_seq_*`), not llama-cpp-python's full `save_state()`,
which also copies a logits array of n_batch x vocabulary floats (300 MB for Qwen).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import math
import os
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.settings import cache_dir

# A prefix shorter than this is not worth a file: llama.cpp's own prefix reuse covers it.
MIN_PREFIX_TOKENS = 64
# About 30 MB a state for the 1.5B model (28 KB a token): the budget before any warm-up holds the 14 section
# states of the Groupe SOS FAQ for both models with room to spare.
DEFAULT_BUDGET_MB = 1024
BUDGET_VARIABLE = "FAQBOT_KV_CACHE_MB"
# States the budget holds beyond the FAQ's sections: half as many again (runner-up and rewrite prefixes,
# a FAQ edit in progress), plus two.
HEADROOM = 1.5
EXTRA_STATES = 2
PLAN_FILE = "plan.json"
_MAGIC = b"FAQBOTKV1"


def explicit_budget() -> int | None:
    """`FAQBOT_KV_CACHE_MB` in bytes, or None when unset; an invalid value is refused with the fix."""
    raw = os.environ.get(BUDGET_VARIABLE, "").strip()
    if not raw:
        return None
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1
    if megabytes <= 0:
        from ingest.errors import InputError

        raise InputError(f"{BUDGET_VARIABLE}={raw!r} is not a size: give the budget of saved llama.cpp states "
                         "in megabytes, e.g. 2048")
    return int(megabytes * 1024 * 1024)


def default_cache_dir() -> Path:
    """`FAQBOT_KV_CACHE_DIR`, else `$XDG_CACHE_HOME/faqbot/kv`, else `~/.cache/faqbot/kv`."""
    return cache_dir("FAQBOT_KV_CACHE_DIR", "kv")


# A marker may say where inside it the prefix ends: "Question :" + CUT + " " finds "Question : " and keeps
# "Question :" in the prefix (the label every question shares: tokens not read again before the first token).
CUT = "\x1f"


def locate(prompt: str, marker: str) -> int | None:
    """Where the reusable prefix of `prompt` ends: before the last occurrence of `marker`, or at its CUT; None
    when the prompt does not hold the marker."""
    head, cut, tail = marker.partition(CUT)
    start = prompt.rfind(head + tail)
    if start < 0:
        return None
    return start + len(head) if cut else start


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the common prefix of two token lists."""
    n = min(len(a), len(b))
    if n == 0:
        return 0
    x, y = np.asarray(a[:n]), np.asarray(b[:n])
    diff = np.flatnonzero(x != y)
    return int(diff[0]) if diff.size else n


class PrefixStateCache:
    """Prefix token lists -> saved KV states, on disk, with a small in-memory LRU of state bytes."""

    def __init__(self, directory: Path, *, memory_items: int = 4, budget: int | None = None) -> None:
        self.directory = Path(directory)
        self.memory_items = memory_items
        self._budget = budget if budget is not None else explicit_budget()
        self._prefixes: dict[str, tuple[int, ...]] = {}
        self._states: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.saves = 0
        self.evicted = 0
        self._scan()

    def _scan(self) -> None:
        """Read the prefixes of the state files not known yet (another process may have saved some)."""
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.kv"):
            if path.stem in self._prefixes:
                continue
            try:
                with path.open("rb") as handle:
                    if handle.read(len(_MAGIC)) != _MAGIC:
                        continue
                    n = int.from_bytes(handle.read(4), "little")
                    tokens = np.frombuffer(handle.read(4 * n), dtype=np.int32)
                if len(tokens) == n:
                    self._prefixes[path.stem] = tuple(int(t) for t in tokens)
            except OSError:
                continue

    def __len__(self) -> int:
        return len(self._prefixes)

    @staticmethod
    def key(tokens: Sequence[int]) -> str:
        """File name of the state of `tokens`."""
        return hashlib.sha1(np.asarray(tokens, dtype=np.int32).tobytes()).hexdigest()[:20]

    def longest(self, tokens: Sequence[int]) -> tuple[str, int] | None:
        """The stored prefix sharing the most leading tokens with `tokens` (all of the prefix must match)."""
        if not self.has(tokens):
            self._scan()  # a state another process saved since (the background warm-up of `faqbot ui`)
        best: tuple[str, int] | None = None
        for key, prefix in self._prefixes.items():
            if len(prefix) <= len(tokens) and (best is None or len(prefix) > best[1]) and \
                    common_prefix(prefix, tokens) == len(prefix):
                best = (key, len(prefix))
        return best

    def has(self, tokens: Sequence[int]) -> bool:
        """True when exactly this prefix is stored."""
        return self.key(tokens) in self._prefixes

    def load(self, key: str) -> bytes | None:
        """The saved state bytes of a stored prefix (None if its file went missing or is damaged)."""
        path = self.directory / f"{key}.kv"
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last (by every process, hence on the file)
        if key in self._states:
            self._states.move_to_end(key)
            return self._states[key]
        try:
            with path.open("rb") as handle:
                handle.read(len(_MAGIC))
                n = int.from_bytes(handle.read(4), "little")
                handle.read(4 * n)
                size = int.from_bytes(handle.read(8), "little")
                state = handle.read(size)
        except OSError:
            state = b""
        if not state or len(state) != size:
            self._prefixes.pop(key, None)
            return None
        self._remember(key, state)
        return state

    def _remember(self, key: str, state: bytes) -> None:
        self._states[key] = state
        self._states.move_to_end(key)
        while len(self._states) > self.memory_items:
            self._states.popitem(last=False)

    def store(self, tokens: Sequence[int], state: bytes) -> None:
        """Save the state of `tokens` (atomically; a failed write only costs speed)."""
        key = self.key(tokens)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            array = np.asarray(tokens, dtype=np.int32)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + len(array).to_bytes(4, "little") + array.tobytes())
                handle.write(len(state).to_bytes(8, "little") + state)
            os.replace(tmp, self.directory / f"{key}.kv")
        except OSError:
            return
        self._prefixes[key] = tuple(int(t) for t in tokens)
        self._remember(key, state)
        self.saves += 1
        self._evict(keep=key)

    def _files(self) -> list[tuple[float, int, Path]]:
        """(last use, size, path) of every state file, least recently used first."""
        out = []
        for path in self.directory.glob("*.kv"):
            with contextlib.suppress(OSError):  # deleted meanwhile by another process
                stat = path.stat()
                out.append((stat.st_mtime, stat.st_size, path))
        return sorted(out)

    def budget(self) -> int:
        """The size budget in bytes: `FAQBOT_KV_CACHE_MB`, else the FAQ's planned states plus headroom."""
        if self._budget is not None:
            return self._budget
        floor = DEFAULT_BUDGET_MB * 1024 * 1024
        try:
            planned = int(json.loads((self.directory / PLAN_FILE).read_text(encoding="utf-8"))["states"])
        except (OSError, ValueError, KeyError, TypeError):
            return floor
        sizes = [size for _, size, _ in self._files()]
        if not sizes:
            return floor
        wanted = math.ceil(planned * HEADROOM + EXTRA_STATES) * max(sizes)
        return max(floor, wanted)

    def plan(self, states: int) -> None:
        """Record how many states the FAQ's sections need, so that every process sizes the budget alike."""
        with contextlib.suppress(OSError):
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / PLAN_FILE).write_text(json.dumps({"states": int(states)}), encoding="utf-8")

    def holds(self, states: int) -> bool:
        """True when the budget holds `states` states of the size seen so far (the warm-up warns otherwise)."""
        sizes = [size for _, size, _ in self._files()]
        return not sizes or states * max(sizes) <= self.budget()

    def total_bytes(self) -> int:
        """Bytes of all the saved states."""
        return sum(size for _, size, _ in self._files())

    def _evict(self, keep: str | None = None) -> None:
        """Delete the least recently used states until the folder fits its budget (never `keep`)."""
        files = self._files()
        total, budget = sum(size for _, size, _ in files), self.budget()
        for _, size, path in files:
            if total <= budget:
                break
            if path.stem == keep:
                continue
            self._prefixes.pop(path.stem, None)
            self._states.pop(path.stem, None)
            path.unlink(missing_ok=True)
            total -= size
            self.evicted += 1


def save_sequence_state(llama: Any) -> bytes:
    """The KV cells of sequence 0 of a `llama_cpp.Llama`."""
    import llama_cpp

    ctx = llama._ctx.ctx
    size = llama_cpp.llama_state_seq_get_size(ctx, 0)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_seq_get_data(ctx, buffer, size, 0)
    return bytes(buffer)[:written]


def restore_sequence_state(llama: Any, tokens: Sequence[int], state: bytes) -> bool:
    """Load saved KV cells into sequence 0 and tell llama-cpp-python which tokens they hold."""
    import llama_cpp

    llama._ctx.kv_cache_clear()
    source = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
    if llama_cpp.llama_state_seq_set_data(llama._ctx.ctx, source, len(state), 0) == 0:
        llama.n_tokens = 0
        return False
    llama.input_ids[: len(tokens)] = tokens
    llama.n_tokens = len(tokens)
    return True
