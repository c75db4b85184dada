"""The LLM seam: one small interface over LangChain chat models, so the rest of faqbot never sees LangChain types."""

from __future__ import annotations

import contextlib
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chatbot.settings import ChatSettings
from ingest.errors import FaqbotError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


log = logging.getLogger("faqbot.backend")

# Creating a model loads gigabytes: serialise it so two threads never load the same model twice.
_CREATION_LOCK = threading.RLock()


class BackendError(FaqbotError):
    """The LLM backend is unreachable, misconfigured or failed; the message names the address and the fix."""


class EnoughText(Exception):
    """Thrown into a reply stream by a reader that has what it needs (see `stop_early`)."""


def stop_early(stream: Iterator[str]) -> None:
    """End a reply stream whose reader has read enough (a leading HORS_FAQ): unlike `close()`, which means the
    reader was interrupted, this tells an answer cache that what was read is the reply to keep."""
    throw = getattr(stream, "throw", None)
    if throw is None:
        return
    with contextlib.suppress(EnoughText, StopIteration):
        throw(EnoughText())


@dataclass(frozen=True)
class Message:
    """One chat turn: role is "system", "user" or "assistant"."""

    role: str
    content: str


def to_langchain(messages: Sequence[Message]) -> list[Any]:
    """Our messages as LangChain messages."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in messages]


class LLM(ABC):
    """A chat model behind LangChain's interface, streamed as plain text pieces."""

    name = "llm"

    def __init__(self, settings: ChatSettings) -> None:
        self.settings = settings
        self.model = settings.model_for(self.name)
        self._chat_model: BaseChatModel | None = None

    @abstractmethod
    def build_chat_model(self) -> BaseChatModel:
        """Create the LangChain chat model (called once, lazily)."""

    def chat_model(self) -> BaseChatModel:
        """The LangChain chat model, created on first use (once, even when two sessions arrive together)."""
        if self._chat_model is None:
            with _CREATION_LOCK:
                if self._chat_model is None:
                    self._chat_model = self.build_chat_model()
        return self._chat_model

    def call_options(self, max_tokens: int) -> dict[str, Any]:
        """Per-call keyword arguments for the provider (token budget, determinism)."""
        return {}

    def prefix_options(self, reuse_prefix: str | None) -> dict[str, Any]:
        """Per-call arguments asking the backend to save and reuse the state of the prompt up to the last
        occurrence of `reuse_prefix` (only the in-process backend can; servers do their own caching)."""
        return {}

    def check(self) -> None:  # noqa: B027 - most backends have something to check; the base has nothing
        """Fail fast (within the connect timeout) with a BackendError when the backend cannot answer."""

    def fingerprint(self) -> str:
        """What identifies this model's outputs, for answer caches (backend, model, address or file hash)."""
        return f"{self.name}:{self.model}"

    def explain(self, exc: Exception) -> BackendError:
        """Turn a provider exception into a BackendError that says what to do."""
        return BackendError(f"the {self.name} backend failed: {type(exc).__name__}: {exc}")

    def stream(self, messages: Sequence[Message], *, max_tokens: int, stop: Sequence[str] = (),
               reuse_prefix: str | None = None) -> Iterator[str]:
        """Stream the reply to `messages` as text pieces."""
        model = self.chat_model()
        options = {**self.call_options(max_tokens), **self.prefix_options(reuse_prefix)}
        try:
            for chunk in model.stream(to_langchain(messages), stop=list(stop) or None, **options):
                text = chunk.content if isinstance(chunk.content, str) else "".join(
                    part.get("text", "") for part in chunk.content if isinstance(part, dict))
                if text:
                    yield text
        except EnoughText:
            return  # leaving the loop closes the provider's stream (an HTTP response, the llama.cpp lock)
        except FaqbotError:
            raise
        except Exception as exc:  # providers raise many types; each backend explains its own
            explained = self.explain(exc)
            # The person sees the short explanation; the server log keeps the provider's error and traceback.
            log.warning("%s backend failed: %s", self.name, explained, exc_info=exc)
            raise explained from exc

    def complete(self, messages: Sequence[Message], *, max_tokens: int, stop: Sequence[str] = (),
                 reuse_prefix: str | None = None) -> str:
        """The whole reply to `messages` as one string."""
        return "".join(self.stream(messages, max_tokens=max_tokens, stop=stop, reuse_prefix=reuse_prefix))

    def warm(self, messages: Sequence[Message], reuse_prefix: str, *, background: bool = False) -> bool | None:
        """Prepare the saved state of the prompt prefix up to `reuse_prefix`, if the backend keeps states: True
        if computed, False if there was nothing to do, None if it gave way to an answer (`background`)."""
        return False

    def idle_seconds(self) -> float:
        """Seconds since the model last answered (0 while it answers); backends that queue nothing: infinite."""
        return float("inf")

    def plan_states(self, count: int) -> tuple[bool, int]:
        """Size the saved-state store for `count` prompt states: (whether they fit, budget in bytes)."""
        return True, 0

    def count_tokens(self, messages: Sequence[Message]) -> int | None:
        """Prompt tokens of `messages`, when the backend can tell without a request."""
        return None

    def close(self) -> None:  # noqa: B027 - only in-process backends hold resources
        """Release the model (a no-op for remote backends)."""
