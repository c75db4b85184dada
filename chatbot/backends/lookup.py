"""Greedy decoding with prompt-lookup drafts, for the in-process llama.cpp model.

Answers copy FAQ sentences that stand in the prompt, so the tokens that followed the latest generated tokens
where they occur in the prompt are a likely continuation. They are proposed as a draft and checked in one
batch: on a CPU one pass over the weights for several tokens costs little more than for one (decoding is
bound by memory traffic, not arithmetic), and every draft token the model's own greedy choice agrees with is
a token gained. The text is the model's greedy text: a draft token is kept only when it is the argmax of the
logits at its position, so drafts change the speed, never the choice (up to float rounding between batch
sizes, measured in docs/speed.md).
"""

from __future__ import annotations

import codecs
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from chatbot.backends.prefix_cache import common_prefix

# At most this many tokens are proposed at a time, and only once the latest MIN_AGREE tokens stand in the prompt
# in the same order (the answer is copying a sentence): on 2 cores a batch costs nearly as much per token as
# single steps (1 + 11 tokens: 4.5x one step with AVX-512, 8x with AVX2 only), so a draft pays only when most of
# it is kept. Chosen on the tune split's prompts with the batch costs measured on both builds (docs/speed.md);
# FAQBOT_DRAFT_TOKENS=0 turns drafts off.
DEFAULT_DRAFT_TOKENS = 12
MIN_AGREE = 6
DRAFT_VARIABLE = "FAQBOT_DRAFT_TOKENS"
# How far back a match of the latest tokens is compared: the longest agreeing context wins.
MATCH_WINDOW = 16


def draft_tokens_setting() -> int:
    """`FAQBOT_DRAFT_TOKENS` (0 turns drafts off), else DEFAULT_DRAFT_TOKENS; a bad value is refused with the fix."""
    raw = os.environ.get(DRAFT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_DRAFT_TOKENS
    if not raw.isdigit() or int(raw) > 32:
        from ingest.errors import InputError

        raise InputError(f"{DRAFT_VARIABLE}={raw!r} is not valid: give a number of draft tokens from 0 (off) "
                         f"to 32; {DEFAULT_DRAFT_TOKENS} is the default")
    return int(raw)


def lookup_draft(history: np.ndarray, count: int, min_agree: int = 1) -> list[int]:
    """Up to `count` tokens that followed the earlier occurrence of the last token of `history` whose preceding
    tokens agree longest with the tokens before it (the latest such occurrence on a tie); [] without one, or
    when fewer than `min_agree` tokens (the last one included) agree."""
    if count <= 0 or len(history) < 2:
        return []
    last = len(history) - 1
    # Candidates: earlier positions holding the last token, with at least one token after them.
    candidates = np.flatnonzero(history[:last] == history[last])
    if candidates.size == 0:
        return []
    agree = np.ones(candidates.size, dtype=np.int32)
    alive = np.ones(candidates.size, dtype=bool)
    for back in range(1, MATCH_WINDOW):
        where = candidates - back
        ok = alive & (where >= 0)
        same = np.zeros_like(ok)
        same[ok] = history[where[ok]] == history[last - back]
        alive &= same
        if not alive.any():
            break
        agree += alive
    if agree.max() < min_agree:
        return []
    best = candidates[np.flatnonzero(agree == agree.max())[-1]]
    return history[best + 1 : best + 1 + count].tolist()


class DraftPace:
    """Whether drafts pay on this machine, measured as answers are decoded: milliseconds per token produced by
    steps that checked a draft against steps that did not. Where a batch costs nearly as much per token as single
    steps, drafts stop; one eligible step in PROBE_EVERY still tries one, so a change of load shows."""

    MIN_TOKENS = 40  # tokens of each kind before the comparison counts
    PROBE_EVERY = 20
    DECAY = 0.99  # older steps of each kind weigh less: the machine's load changes

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.totals = {True: [0.0, 0.0], False: [0.0, 0.0]}  # drafted -> [seconds, tokens], decayed
        self.refused = 0

    def record(self, drafted: bool, seconds: float, tokens: int) -> None:
        """One decoding step: whether it checked a draft, how long it took, how many tokens it gave."""
        with self._lock:
            pair = self.totals[drafted]
            pair[0] = pair[0] * self.DECAY + seconds
            pair[1] = pair[1] * self.DECAY + tokens

    def ms_per_token(self, drafted: bool) -> float | None:
        """Measured milliseconds per token of steps with (or without) a draft; None before any."""
        seconds, tokens = self.totals[drafted]
        return 1000 * seconds / tokens if tokens else None

    def allow(self) -> bool:
        """Whether the next eligible step should check its draft."""
        with self._lock:
            (ds, dt), (ps, pt) = self.totals[True], self.totals[False]
            if dt < self.MIN_TOKENS or pt < self.MIN_TOKENS or ds / dt <= ps / pt:
                return True
            self.refused += 1
            return self.refused % self.PROBE_EVERY == 0


def _is_end(llama: Any) -> Callable[[int], bool]:
    """Whether a token ends generation (end of turn or of text) for this model."""
    import llama_cpp

    vocab = llama._model.vocab
    return lambda token: bool(llama_cpp.llama_vocab_is_eog(vocab, token))


def _decode_all(llama: Any, tokens: Sequence[int]) -> np.ndarray:
    """Evaluate `tokens` after the KV cache in one batch; the greedy token predicted at each of their positions."""
    import llama_cpp

    start = llama.n_tokens
    llama._ctx.kv_cache_seq_rm(-1, start, -1)
    llama._batch.set_batch(batch=list(tokens), n_past=start, logits_all=True)
    llama._ctx.decode(llama._batch)
    llama.input_ids[start : start + len(tokens)] = tokens
    llama.n_tokens = start + len(tokens)
    rows = len(tokens)
    logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits(llama._ctx.ctx), shape=(rows * llama.n_vocab(),))
    return logits.reshape(rows, -1).argmax(axis=1)


def greedy_tokens(llama: Any, prompt: Sequence[int], max_tokens: int, draft: int,
                  stats: dict | None = None, pace: DraftPace | None = None) -> Iterator[int]:
    """The model's greedy tokens after `prompt` (the KV cache may already hold a prefix of it), checking up to
    `draft` looked-up tokens per step while `pace` finds they pay. Stops at an end-of-generation token (not
    yielded) or after `max_tokens`. `stats` counts the batches, the draft tokens proposed and those kept."""
    import llama_cpp

    stats = stats if stats is not None else {}
    stats.update(batches=0, drafted=0, kept=0)
    is_end = _is_end(llama)
    same = common_prefix(llama.input_ids[: llama.n_tokens].tolist(), prompt)
    llama.n_tokens = min(same, len(prompt) - 1)  # at least the last prompt token is evaluated, for its logits
    try:
        llama.eval(list(prompt[llama.n_tokens :]))
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama._ctx.ctx, -1), shape=(llama.n_vocab(),))
        token = int(logits.argmax())
        produced = 0
        room = llama.n_ctx()
        while not is_end(token):
            yield token
            produced += 1
            if produced >= max_tokens or llama.n_tokens + 1 >= room:
                return
            llama.input_ids[llama.n_tokens] = token
            proposal = lookup_draft(llama.input_ids[: llama.n_tokens + 1],
                                    min(draft, max_tokens - produced, room - llama.n_tokens - 2), MIN_AGREE)
            if proposal and pace is not None and not pace.allow():
                proposal = []
            base = llama.n_tokens
            started = time.perf_counter()
            predicted = _decode_all(llama, [token, *proposal])
            elapsed = time.perf_counter() - started
            stats["batches"] += 1
            stats["drafted"] += len(proposal)
            kept = 0
            while kept < len(proposal) and int(predicted[kept]) == proposal[kept]:
                kept += 1
            if pace is not None:
                pace.record(bool(proposal), elapsed, 1 + kept)
            for token in proposal[:kept]:
                if is_end(token):
                    return
                yield token
                produced += 1
                stats["kept"] += 1
                if produced >= max_tokens:
                    return
            if kept < len(proposal):  # the rejected draft tokens leave the cache
                llama.n_tokens = base + 1 + kept
                llama._ctx.kv_cache_seq_rm(-1, llama.n_tokens, -1)
            token = int(predicted[kept])
    finally:
        # llama-cpp-python's own generate() must not sample from logits this loop left behind.
        llama._requires_eval = True


def stream_text(llama: Any, tokens: Iterator[int], stops: Sequence[str]) -> Iterator[str]:
    """The text of `tokens` as it comes, ended before the first stop string (never shown in part)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    hold = max((len(s) for s in stops), default=1) - 1
    pending = ""
    try:
        for token in tokens:
            pending += decoder.decode(llama.detokenize([token]))
            cut = min((i for i in (pending.find(s) for s in stops if s) if i >= 0), default=-1)
            if cut >= 0:
                if pending[:cut]:
                    yield pending[:cut]
                return
            safe = len(pending) - hold
            if safe > 0:
                yield pending[:safe]
                pending = pending[safe:]
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending
    finally:
        close = getattr(tokens, "close", None)
        if close:
            close()
