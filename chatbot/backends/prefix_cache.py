"""Saved llama.cpp states for prompt prefixes that recur (system prompt + one FAQ section's passages).

Prompt processing, not decoding, dominates the time to first token on 2 cores (about 50-100 tokens/s), so
the KV cache of a prefix is saved once and restored (about 10 ms) whenever a later prompt starts with the
same tokens: only the question is then processed. States are kept on disk, keyed by the model file, the
llama-cpp-python version and the context size, so they survive between `faqbot` processes.

Only the KV cells of sequence 0 are saved (`llama_state_seq_*`), not llama-cpp-python's full `save_state()`,
which also copies a logits array of n_batch x vocabulary floats (300 MB for Qwen).
"""

from __future__ import annotations

import ctypes
import hashlib
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
# About 30 MB a state: the FAQ's 14 section prefixes and a few others fit; the least recently used go first.
MAX_STATES = 40
_MAGIC = b"FAQBOTKV1"


def default_cache_dir() -> Path:
    """`FAQBOT_KV_CACHE_DIR`, else `$XDG_CACHE_HOME/faqbot/kv`, else `~/.cache/faqbot/kv`."""
    return cache_dir("FAQBOT_KV_CACHE_DIR", "kv")


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

    def __init__(self, directory: Path, *, memory_items: int = 4) -> None:
        self.directory = Path(directory)
        self.memory_items = memory_items
        self._prefixes: dict[str, tuple[int, ...]] = {}
        self._states: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.saves = 0
        self._scan()

    def _scan(self) -> None:
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.kv"):
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
        if key in self._states:
            self._states.move_to_end(key)
            return self._states[key]
        path = self.directory / f"{key}.kv"
        try:
            os.utime(path)  # recently used: evicted last
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
        self._evict()

    def _evict(self) -> None:
        """Delete the least recently used states beyond MAX_STATES."""
        files = sorted(self.directory.glob("*.kv"), key=lambda p: p.stat().st_mtime)
        for path in files[: max(0, len(files) - MAX_STATES)]:
            self._prefixes.pop(path.stem, None)
            self._states.pop(path.stem, None)
            path.unlink(missing_ok=True)


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
