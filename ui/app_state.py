"""What the Streamlit app shares between sessions (the loaded models) and how it words errors.

Models are loaded once per process with `st.cache_resource`, keyed by the settings that determine them:
the retriever (embedding model and index) by the ingest and index settings plus the index build stamp,
the LLM by the chat settings minus the per-answer ones (k, length), so every session and every k/length
shares one EmbeddingGemma and one llama.cpp model. llama.cpp calls are serialised by the backend's lock.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import streamlit as st

from chatbot import LLM, BackendError, Chatbot, ChatSettings, make_backend
from index import IndexSettings, Retriever, load_retriever
from index.models import ModelError
from index.store import CorruptIndexError, IndexMissingError, StaleIndexError
from ingest import IngestSettings
from ingest.errors import FaqbotError, InputError
from ui.organisation import empty_message, faq_profile

log = logging.getLogger("faqbot.ui")

GENERIC_ERROR = ("Une erreur inattendue est survenue. Réessayez ; si elle persiste, consultez le journal du "
                 "serveur (la commande `faqbot ui`).")


@dataclass(frozen=True)
class UiConfig:
    """The settings of one session: where the FAQ and its index are, and which LLM answers how."""

    ingest: IngestSettings
    index: IndexSettings
    chat: ChatSettings
    index_stamp: str = ""  # the index's build time: a rebuilt index is reloaded, never served stale


@st.cache_resource(show_spinner=False, max_entries=4)
def _retriever(ingest: IngestSettings, index: IndexSettings, index_stamp: str) -> Retriever:
    """The checked index and its embedding model (loaded once per process and index build)."""
    return load_retriever(ingest, index)


@st.cache_resource(show_spinner=False, max_entries=4)
def _llm(chat: ChatSettings) -> LLM:
    """The LLM backend, its model loaded now rather than inside the first user's answer."""
    llm = make_backend(chat)
    llm.chat_model()
    return llm


@st.cache_resource(show_spinner=False, max_entries=16)
def _chatbot(config: UiConfig) -> Chatbot:
    """A chatbot for these settings over the shared retriever and LLM."""
    retriever = _retriever(config.ingest, config.index, config.index_stamp)
    # k and length only shape each answer: they must not cause a second copy of the model.
    shared = dataclasses.replace(config.chat, k=ChatSettings.k, length=ChatSettings.length)
    return Chatbot(retriever, _llm(shared), config.chat)


def get_bot(config: UiConfig) -> Chatbot:
    """The chatbot for `config`, loading the models on first use."""
    return _chatbot(config)


def error_message(exc: BaseException) -> str:
    """A French message for an expected failure, with the original explanation (which names the fix)."""
    detail = str(exc)
    if isinstance(exc, IndexMissingError):
        lead = "L'index de la FAQ est introuvable : lancez `make index` (ou `faqbot index`), puis rechargez la page."
    elif isinstance(exc, StaleIndexError):
        lead = ("L'index ne correspond plus à la FAQ ou au modèle d'embeddings : reconstruisez-le avec "
                "`make index` (ou `faqbot index`).")
    elif isinstance(exc, CorruptIndexError):
        lead = "L'index de la FAQ est endommagé : reconstruisez-le avec `make index` (ou `faqbot index`)."
    elif isinstance(exc, BackendError):
        lead = "Le modèle de langue ne répond pas ou est mal configuré."
    elif isinstance(exc, ModelError):
        lead = "Les fichiers du modèle sont absents ou invalides : lancez `make models` (ou `faqbot models`)."
    elif isinstance(exc, InputError) and "is empty" in detail:
        return empty_message(faq_profile(IngestSettings.from_env()))
    elif isinstance(exc, InputError):
        lead = "Cette saisie ou ce réglage n'est pas valable."
    elif isinstance(exc, FaqbotError):
        lead = "faqbot n'a pas pu traiter la demande."
    else:
        return GENERIC_ERROR
    return f"{lead}\n\nDétail : {detail}"


def describe_failure(exc: Exception) -> str:
    """The message to show for any exception at the UI boundary (unexpected ones are logged in full)."""
    if isinstance(exc, FaqbotError):
        return error_message(exc)
    log.exception("unexpected error in the chat UI")
    return GENERIC_ERROR
