"""Stage 3: retrieve, decide, prompt the LLM, stream, cite and verify."""

from __future__ import annotations

from chatbot.answer import Answer
from chatbot.backends import BACKENDS, LLM, BackendError, make_backend
from chatbot.bot import Chatbot, Done, Event, Replace, Rewritten, Sources, Token
from chatbot.settings import ChatSettings
from index import IndexSettings, load_retriever
from ingest import IngestSettings


def build_chatbot(ingest_settings: IngestSettings, index_settings: IndexSettings,
                  chat_settings: ChatSettings) -> Chatbot:
    """A chatbot over the checked index with the configured backend (the LLM loads on first use)."""
    retriever = load_retriever(ingest_settings, index_settings)
    return Chatbot(retriever, make_backend(chat_settings), chat_settings)


__all__ = [
    "BACKENDS",
    "LLM",
    "Answer",
    "BackendError",
    "ChatSettings",
    "Chatbot",
    "Done",
    "Event",
    "Replace",
    "Rewritten",
    "Sources",
    "Token",
    "build_chatbot",
    "make_backend",
]
