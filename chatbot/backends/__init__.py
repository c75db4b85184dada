"""LLM backends by name: `llamacpp` (default, in process), `ollama`, `openai`; or `module:Class` for a plugin."""

from __future__ import annotations

import importlib

from chatbot.backends.base import LLM, BackendError, Message
from chatbot.settings import ChatSettings


def _llamacpp() -> type[LLM]:
    from chatbot.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend


def _ollama() -> type[LLM]:
    from chatbot.backends.ollama import OllamaBackend

    return OllamaBackend


def _openai() -> type[LLM]:
    from chatbot.backends.openai import OpenAIBackend

    return OpenAIBackend


# Imported late: each backend pulls its own client library only when chosen.
BACKENDS = {"llamacpp": _llamacpp, "ollama": _ollama, "openai": _openai}


def backend_class(name: str) -> type[LLM]:
    """The backend class called `name` (or `package.module:Class`); the error lists valid names."""
    if name in BACKENDS:
        return BACKENDS[name]()
    if ":" in name:
        module, _, attr = name.partition(":")
        try:
            cls = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise BackendError(f"cannot load backend {name!r}: {exc}") from None
        if isinstance(cls, type) and issubclass(cls, LLM):
            return cls
        raise BackendError(f"{name!r} is not an LLM backend class")
    raise BackendError(f"unknown LLM backend {name!r}: choose one of {', '.join(BACKENDS)}")


def make_backend(settings: ChatSettings) -> LLM:
    """Instantiate the backend the settings name (models load lazily, on first use)."""
    return backend_class(settings.backend)(settings)


__all__ = ["BACKENDS", "LLM", "BackendError", "Message", "backend_class", "make_backend"]
