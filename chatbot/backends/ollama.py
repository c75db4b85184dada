"""The Ollama backend, through `langchain-ollama`, for users who run `ollama serve`."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from langchain_core.language_models import BaseChatModel

from chatbot.backends.base import LLM, BackendError
from chatbot.backends.remote import probe, server_url, timeouts


@cache
def _chat_ollama_class() -> type[BaseChatModel]:
    """ChatOllama, made to keep the stop words of a call that also gives per-call `options`."""
    from langchain_ollama import ChatOllama

    class StopKeepingChatOllama(ChatOllama):
        """ChatOllama drops its `stop` argument whenever per-call `options` are given: fold it into them."""

        def _chat_params(self, messages: Any, stop: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
            options = kwargs.get("options")
            if stop and isinstance(options, dict) and "stop" not in options:
                kwargs["options"] = {**options, "stop": list(stop)}
            return super()._chat_params(messages, stop, **kwargs)

    return StopKeepingChatOllama


class OllamaBackend(LLM):
    """A model served by Ollama at `OLLAMA_HOST` (default http://127.0.0.1:11434)."""

    name = "ollama"

    @property
    def host(self) -> str:
        """The Ollama server address, as a URL (`127.0.0.1:11434` gets its `http://`)."""
        return server_url(self.settings.ollama_host)

    def _unreachable(self) -> str:
        return f"Ollama is not reachable at {self.host}: start `ollama serve` or choose `--llm llamacpp`"

    def _not_pulled(self, available: Sequence[str] = ()) -> str:
        listed = f" (it has: {', '.join(available)})" if available else ""
        return (f"model {self.model!r} is not available in Ollama at {self.host}{listed}: "
                f"run `ollama pull {self.model}` or set FAQBOT_LLM_MODEL")

    def check(self) -> None:
        response = probe(f"{self.host}/api/tags", timeout_s=self.settings.timeout_s, unreachable=self._unreachable())
        if response.status_code != 200:
            raise BackendError(f"Ollama at {self.host} answered HTTP {response.status_code} to /api/tags: "
                               "is it really an Ollama server?")
        try:
            models = response.json().get("models") or []
            names = [str(m.get("model") or m.get("name")) for m in models]
            aliases = {str(m.get(key)) for m in models for key in ("name", "model")}
        except (ValueError, AttributeError, TypeError):
            raise BackendError(f"Ollama at {self.host} sent a malformed /api/tags reply: "
                               "is it really an Ollama server?") from None
        # Ollama reads a name without a tag as `name:latest`.
        if self.model not in aliases and f"{self.model}:latest" not in aliases:
            raise BackendError(self._not_pulled(names))

    def build_chat_model(self) -> BaseChatModel:
        return _chat_ollama_class()(
            model=self.model, base_url=self.host, temperature=self.settings.temperature, seed=self.settings.seed,
            client_kwargs={"timeout": timeouts(self.settings.timeout_s, self.settings.request_timeout_s)},
        )

    def call_options(self, max_tokens: int) -> dict[str, Any]:
        return {"options": {"num_predict": max_tokens, "temperature": self.settings.temperature,
                            "seed": self.settings.seed}}

    def fingerprint(self) -> str:
        return f"ollama:{self.host}:{self.model}"

    def explain(self, exc: Exception) -> BackendError:
        import httpx

        # The ollama client turns a refused connection into the builtin ConnectionError; timeouts stay httpx's.
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | ConnectionError):
            return BackendError(self._unreachable())
        if isinstance(exc, httpx.TimeoutException):
            return BackendError(f"Ollama at {self.host} did not answer within "
                                f"{self.settings.request_timeout_s:g} s: is the machine overloaded?")
        status = getattr(exc, "status_code", None)
        error = str(getattr(exc, "error", exc))
        if status == 404 and "not found" in error and "model" in error:
            return BackendError(self._not_pulled())
        if status == 404:
            return BackendError(f"Ollama at {self.host} answered HTTP 404 to /api/chat: is it really an Ollama "
                                "server (OLLAMA_HOST)?")
        http = f" (HTTP {status})" if isinstance(status, int) and status > 0 else ""
        return BackendError(f"Ollama at {self.host} failed{http}: {error}")
