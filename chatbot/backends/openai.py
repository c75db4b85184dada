"""Any OpenAI-compatible server (vLLM, llama.cpp's server, Ollama's /v1), through `langchain-openai`."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from chatbot.backends.base import LLM, BackendError
from chatbot.backends.remote import probe, server_url


class OpenAIBackend(LLM):
    """A chat model behind `/v1/chat/completions` at `FAQBOT_OPENAI_BASE_URL`."""

    name = "openai"

    @property
    def base_url(self) -> str:
        """The server's API root, e.g. http://127.0.0.1:8080/v1."""
        return server_url(self.settings.openai_base_url)

    def _unreachable(self) -> str:
        return (f"the OpenAI-compatible server is not reachable at {self.base_url}: start it (vLLM, "
                "`llama-server`, Ollama) or set FAQBOT_OPENAI_BASE_URL, or choose `--llm llamacpp`")

    def _refused_key(self, status: int | None) -> str:
        return (f"the server at {self.base_url} refused the API key (HTTP {status}): "
                "set FAQBOT_OPENAI_API_KEY")

    def _headers(self) -> dict[str, str]:
        key = self.settings.openai_api_key
        return {"Authorization": f"Bearer {key}"} if key else {}

    def check(self) -> None:
        response = probe(f"{self.base_url}/models", timeout_s=self.settings.timeout_s,
                         unreachable=self._unreachable(), headers=self._headers())
        if response.status_code in (401, 403):
            raise BackendError(self._refused_key(response.status_code))
        if response.status_code >= 400:
            raise BackendError(f"the server at {self.base_url} answered HTTP {response.status_code} to /models: "
                               "check FAQBOT_OPENAI_BASE_URL (it usually ends with /v1)")
        # The model name is not checked against /models: llama.cpp's server lists its file or alias there,
        # yet answers whatever `model` a request names. An unknown model surfaces as HTTP 404 in stream().

    def build_chat_model(self) -> BaseChatModel:
        import openai
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=self.model, base_url=self.base_url, api_key=self.settings.openai_api_key or "not-needed",
            temperature=self.settings.temperature, seed=self.settings.seed, max_retries=0,
            # The client's own Timeout: openai 3.61+ runs on httpx2, which refuses an httpx.Timeout.
            timeout=openai.Timeout(self.settings.request_timeout_s, connect=self.settings.timeout_s),
        )

    def call_options(self, max_tokens: int) -> dict[str, Any]:
        # ChatOpenAI renames `max_tokens` to `max_completion_tokens`, which Ollama's /v1, LM Studio,
        # llama-cpp-python and older llama.cpp servers ignore (the answer runs unbounded): send the
        # classic field, which every OpenAI-compatible server reads, in the request body itself.
        return {"extra_body": {"max_tokens": max_tokens}}

    def fingerprint(self) -> str:
        return f"openai:{self.base_url}:{self.model}"

    def explain(self, exc: Exception) -> BackendError:
        import openai

        # langchain-openai re-raises the SDK's errors as its own subclasses (OpenAIConnectionError, ...):
        # match on the SDK's classes, never on class names.
        if isinstance(exc, openai.APITimeoutError):
            return BackendError(f"the OpenAI-compatible server at {self.base_url} did not answer within "
                                f"{self.settings.request_timeout_s:g} s: is it overloaded?")
        if isinstance(exc, openai.APIConnectionError):
            return BackendError(self._unreachable())
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return BackendError(self._refused_key(exc.status_code))
        if isinstance(exc, openai.NotFoundError):
            body = exc.body if isinstance(exc.body, dict) else {}
            said = str(exc.message)
            # A 404 naming a model is an unknown model (OpenAI, vLLM, Ollama's /v1); else a wrong path.
            if body.get("code") == "model_not_found" or self.model in said or "model" in said.lower():
                return BackendError(f"model {self.model!r} is not served at {self.base_url}: "
                                    "set FAQBOT_LLM_MODEL to one the server lists at /models")
            return BackendError(f"the server at {self.base_url} answered HTTP 404 to /chat/completions: check "
                                "FAQBOT_OPENAI_BASE_URL (it usually ends with /v1)")
        if isinstance(exc, openai.APIStatusError):
            return BackendError(f"the OpenAI-compatible server at {self.base_url} failed "
                                f"(HTTP {exc.status_code}): {exc.message}")
        return BackendError(f"the OpenAI-compatible server at {self.base_url} failed: {exc}")
