"""The default backend: llama-cpp-python in this process with a Qwen2.5-Coder GGUF (no server)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

from chatbot.backends.base import LLM, BackendError, Message
from chatbot.backends.lookup import DraftPace, draft_tokens_setting, greedy_tokens, stream_text
from chatbot.backends.prefix_cache import (
    MIN_PREFIX_TOKENS,
    PrefixStateCache,
    common_prefix,
    default_cache_dir,
    locate,
    restore_sequence_state,
    save_sequence_state,
)
from index.models import ModelError, get_spec, model_path, verify

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}
# The background warm-up evaluates a prefix this many tokens at a time and gives the model back to an answer
# between two slices (about a second each on 2 cores).
WARM_SLICE = 128


class TurnLock:
    """The model's lock: answers take it in turn (`with lock:`); the background warm-up takes it with
    `background()` and watches `demand` to give it back as soon as an answer waits."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._count = threading.Lock()
        self.demand = 0  # answers waiting for the model or using it
        self._released = -math.inf

    def __enter__(self) -> TurnLock:
        with self._count:
            self.demand += 1
        self._lock.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._lock.release()
        with self._count:
            self.demand -= 1
            self._released = time.monotonic()

    @contextmanager
    def background(self) -> Iterator[None]:
        """Hold the model for background work (not counted as demand)."""
        with self._lock:
            yield

    def idle_seconds(self) -> float:
        """Seconds since the last answer let go of the model (0 while one waits or runs)."""
        return 0.0 if self.demand else time.monotonic() - self._released


class ChatLlamaCpp(BaseChatModel):
    """A LangChain chat model over an in-process `llama_cpp.Llama` (greedy, seeded, one caller at a time).

    With `reuse_prefix="marker"`, the prompt up to the last occurrence of the marker (or to the CUT inside it)
    is a prefix whose KV state is saved once and restored on later prompts (see prefix_cache.py).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    lock: Any
    states: Any = None  # PrefixStateCache or None
    last: dict = Field(default_factory=dict)  # what the last prepare() cost: tokens restored, evaluated, seconds
    temperature: float = 0.0
    seed: int = 42
    max_tokens: int = 256
    draft_tokens: int = 0  # prompt-lookup draft tokens checked per step when greedy (lookup.py); 0: plain decoding
    pace: Any = None  # DraftPace: whether drafts pay on this machine, measured while decoding

    @property
    def _llm_type(self) -> str:
        return "llamacpp-local"

    def render(self, messages: list[BaseMessage]) -> tuple[str, list[str], bool]:
        """The prompt text for `messages` with the model's chat template, its stop strings, and whether the
        template already placed the special start token."""
        payload = [Message(_ROLES.get(m.type, "user"), str(m.content)) for m in messages]
        return apply_chat_template(self.llama, payload)

    def _tokens(self, text: str, added_special: bool) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=not added_special, special=True)

    def prepare(self, prompt: str, added_special: bool, reuse_prefix: str | None,
                pause: Callable[[], bool] | None = None) -> list[int] | None:
        """Tokenize the prompt and put the longest saved prefix state in place (saving a new one if needed).

        With `pause`, the prefix is evaluated WARM_SLICE tokens at a time and the work stops (returning None)
        as soon as `pause()` is true. `self.last` records what it cost (for `faqbot bench --answers`)."""
        started = time.perf_counter()
        tokens = self._tokens(prompt, added_special)
        self.last = {"prompt_tokens": len(tokens), "prefix_tokens": 0, "restored_tokens": 0, "evaluated_prefix": 0,
                     "prepare_s": 0.0}
        cut = locate(prompt, reuse_prefix) if reuse_prefix and self.states is not None else None
        if cut is None:
            return tokens
        prefix = self._tokens(prompt[:cut], added_special)
        if len(prefix) < MIN_PREFIX_TOKENS or common_prefix(prefix, tokens) != len(prefix):
            return tokens  # the tokenizer merged across the cut: no reusable prefix
        llama = self.llama
        current = common_prefix(llama.input_ids[: llama.n_tokens].tolist(), prefix)
        found = self.states.longest(prefix)
        if found and found[1] > current:
            key, length = found
            state = self.states.load(key)
            if state is not None and restore_sequence_state(llama, prefix[:length], state):
                current = length
                self.states.hits += 1
                self.last["restored_tokens"] = length
            else:
                current = 0
                llama.n_tokens = 0
        self.last["prefix_tokens"] = len(prefix)
        if current < len(prefix):
            self.last["evaluated_prefix"] = len(prefix) - current
            llama.n_tokens = current
            step = WARM_SLICE if pause else len(prefix)
            while current < len(prefix):
                if pause and pause():
                    return None
                llama.eval(prefix[current : current + step])
                current = min(current + step, len(prefix))
            self.states.store(prefix, save_sequence_state(llama))
        self.last["prepare_s"] = time.perf_counter() - started
        return tokens

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        prompt, template_stops, added_special = self.render(messages)
        # llama.cpp keeps one KV cache: concurrent sessions must take turns.
        with self.lock:
            tokens = self.prepare(prompt, added_special, kwargs.get("reuse_prefix"))
            for delta in self._pieces(tokens, kwargs.get("max_tokens", self.max_tokens),
                                      [*(stop or []), *template_stops]):
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk

    def _pieces(self, tokens: list[int], max_tokens: int, stops: list[str]) -> Iterator[str]:
        """The answer's text as it is decoded: greedy with prompt-lookup drafts when enabled, else llama.cpp's
        own completion loop."""
        if self.draft_tokens and self.temperature == 0:
            stats = self.last.setdefault("draft", {})
            yield from stream_text(self.llama, greedy_tokens(self.llama, tokens, max_tokens, self.draft_tokens,
                                                             stats, self.pace), stops)
            if self.pace is not None:
                stats.update(ms_drafted=self.pace.ms_per_token(True), ms_plain=self.pace.ms_per_token(False))
            return
        for part in self.llama.create_completion(
            prompt=tokens, stream=True, temperature=self.temperature, seed=self.seed, top_k=1,
            max_tokens=max_tokens, stop=stops, repeat_penalty=1.0,
        ):
            yield part["choices"][0].get("text") or ""

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(str(c.message.content) for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


class LlamaCppBackend(LLM):
    """Qwen2.5-Coder (1.5B by default, 0.5B selectable) through llama-cpp-python, loaded once per process."""

    name = "llamacpp"

    def __init__(self, settings) -> None:
        super().__init__(settings)
        try:
            self.spec = get_spec(self.model)
        except ModelError as exc:
            raise BackendError(f"{exc} (the llamacpp backend runs the local GGUF models)") from None
        if self.spec.role != "llm":
            raise BackendError(f"{self.spec.name} is an embedding model, not an LLM: choose qwen-1.5b or qwen-0.5b")
        self.model = self.spec.name
        self.path = model_path(self.spec)
        self.lock = TurnLock()
        self._llama: Any = None

    def check(self) -> None:
        verify(self.spec)

    def llama(self) -> Any:
        """The loaded `llama_cpp.Llama` (loaded on first use, then kept)."""
        if self._llama is not None:
            return self._llama
        with self.lock:  # two sessions arriving together load the model once
            return self._load()

    def _load(self) -> Any:
        if self._llama is None:
            self.check()
            try:
                from llama_cpp import Llama
            except ImportError:
                raise BackendError("llama-cpp-python is not installed: run `make install` "
                                   "(pip builds it from source, about 6 minutes)") from None
            self._llama = Llama(
                model_path=str(self.path), n_ctx=self.settings.n_ctx, n_threads=self.settings.threads,
                n_threads_batch=self.settings.threads, seed=self.settings.seed, verbose=False, n_batch=512,
            )
        return self._llama

    def build_chat_model(self) -> BaseChatModel:
        from importlib.metadata import version

        sha = next(iter(self.spec.hashes.values()))
        # States depend on the model file, the llama.cpp build and the context layout.
        folder = default_cache_dir() / f"{self.spec.name}-{sha[:12]}-llamacpp{version('llama-cpp-python')}" \
            f"-ctx{self.settings.n_ctx}"
        return ChatLlamaCpp(llama=self.llama(), lock=self.lock, states=PrefixStateCache(folder),
                            temperature=self.settings.temperature, seed=self.settings.seed,
                            draft_tokens=draft_tokens_setting(), pace=DraftPace())

    def call_options(self, max_tokens: int) -> dict[str, Any]:
        return {"max_tokens": max_tokens}

    def prefix_options(self, reuse_prefix: str | None) -> dict[str, Any]:
        return {"reuse_prefix": reuse_prefix} if reuse_prefix else {}

    def fingerprint(self) -> str:
        return f"llamacpp:{self.spec.name}:{next(iter(self.spec.hashes.values()))}"

    def count_tokens(self, messages: Sequence[Message]) -> int | None:
        """Prompt tokens as llama.cpp sees them (chat template applied)."""
        llama = self.llama()
        text, _, added_special = apply_chat_template(llama, messages)
        return len(llama.tokenize(text.encode("utf-8"), add_bos=not added_special, special=True))

    def warm(self, messages: Sequence[Message], reuse_prefix: str, *, background: bool = False) -> bool | None:
        """Compute and save the state of the prompt prefix up to `reuse_prefix`; False if already saved.

        In the background, an answer waiting for the model comes first: the work stops and None is returned
        (call again later; what was evaluated so far is lost, at most a slice of WARM_SLICE tokens' wait)."""
        model = self.chat_model()
        prompt, _, added_special = apply_chat_template(self.llama(), messages)
        before = model.states.saves
        if not background:
            with self.lock:
                model.prepare(prompt, added_special, reuse_prefix)
            return model.states.saves > before
        if self.lock.demand:
            return None
        with self.lock.background():
            done = model.prepare(prompt, added_special, reuse_prefix, pause=lambda: self.lock.demand > 0)
        return None if done is None else model.states.saves > before

    def idle_seconds(self) -> float:
        return self.lock.idle_seconds()

    def plan_states(self, count: int) -> tuple[bool, int]:
        """Size the saved-state budget for `count` section states; returns (whether it holds them, budget)."""
        states = self.chat_model().states
        states.plan(count)
        return states.holds(count), states.budget()

    def close(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None
            self._chat_model = None


def apply_chat_template(llama: Any, messages: Sequence[Message]) -> tuple[str, list[str], bool]:
    """The prompt llama.cpp builds for `messages` with the model's own chat template: text, stop strings,
    and whether the template added the special start token itself."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template", "")
    eos = llama.detokenize([llama.token_eos()]).decode("utf-8", "ignore")
    bos = llama.detokenize([llama.token_bos()]).decode("utf-8", "ignore") if llama.token_bos() >= 0 else ""
    formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
    result = formatter(messages=[{"role": m.role, "content": m.content} for m in messages])
    stops = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
    if eos and eos not in stops:
        stops.append(eos)
    return result.prompt, [s for s in stops if s], bool(result.added_special)
