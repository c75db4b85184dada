"""What the Streamlit app shares between sessions (the loaded models) and how it words errors.

Models are loaded once per process with `st.cache_resource`, keyed by the settings that determine them:
the retriever (embedding model and index) by the ingest and index settings plus the index build stamp,
the LLM by the chat settings minus the per-answer ones (k, length), so every session and every k/length
shares one EmbeddingGemma and one llama.cpp model. llama.cpp calls are serialised by the backend's lock.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import uuid
from dataclasses import dataclass
from typing import Any

import streamlit as st

from chatbot import LLM, BackendError, Chatbot, ChatSettings, make_backend
from chatbot.queue import QueueFull, QueueSettings, RequestQueue, Ticket
from chatbot.warmup import WarmupProgress, find_warmup, start_background_warmup
from index import IndexSettings, Retriever, load_retriever
from index.models import ModelError
from index.store import CorruptIndexError, IndexMissingError, StaleIndexError
from ingest import IngestSettings
from ingest.errors import FaqbotError, InputError
from ui import texts
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
    bot = Chatbot(retriever, _llm(shared), config.chat)
    # Every FAQ section's llama.cpp prompt state, prepared in the background (once per model and FAQ
    # version; saved on disk, so a restart finds them): the first question on any section is answered warm.
    start_background_warmup(bot, progress=_print_progress())
    return bot


def _print_progress():
    """A progress callback printing to the `faqbot ui` terminal when a section is done and at the end."""
    shown: list[tuple[int, bool]] = []

    def show(status: WarmupProgress) -> None:
        if status.total and (status.done, status.finished) not in shown:
            if status.warning and not shown:
                print(f"faqbot: {status.warning}", file=sys.stderr, flush=True)
            shown.append((status.done, status.finished))
            print(f"faqbot: {status.describe()}", file=sys.stderr, flush=True)

    return show


def warmup_caption(config: UiConfig) -> str | None:
    """One sidebar line on the background preparation of the answers (None when there is nothing to say)."""
    warmup = find_warmup(get_bot(config))
    status = warmup.status() if warmup else None
    if status is None or not status.total:
        return None
    if status.error:
        return "Préparation des réponses interrompue : les réponses restent exactes, la première sur chaque " \
               "question de la FAQ est plus lente."
    if status.finished:
        return f"Réponses rapides prêtes pour les {status.total} questions de la FAQ."
    return (f"Préparation des réponses rapides : {status.done}/{status.total} questions de la FAQ (vous pouvez "
            "déjà poser vos questions).")


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


@st.cache_resource(show_spinner=False)
def get_queue(backend: str) -> RequestQueue:
    """The answer queue every session of this process shares for `backend` (one answer at a time for the
    in-process llama.cpp model, FAQBOT_MAX_PARALLEL for servers)."""
    return RequestQueue.for_backend(backend, QueueSettings.from_env())


def session_client() -> str:
    """This browser session's identity for the queue's fairness."""
    return st.session_state.setdefault("client_id", uuid.uuid4().hex)


def public_failure(exc: Exception) -> str:
    """What the public page says: never a path, an address or a setting (those go to the server log)."""
    if isinstance(exc, QueueFull):
        return texts.queue_full(exc.retry_after)
    if isinstance(exc, InputError) and "is empty" in str(exc):
        return empty_message(faq_profile(IngestSettings.from_env()))
    if isinstance(exc, FaqbotError):
        log.warning("the public chat could not answer: %s", exc, exc_info=exc)
        return texts.UNAVAILABLE
    log.exception("unexpected error in the public chat")
    return GENERIC_ERROR


def wait_for_turn(config: UiConfig, slot: Any) -> Ticket:
    """A place in the shared answer queue; while waiting, the visitor reads where they are."""
    queue = get_queue(config.chat.backend)
    ticket = queue.enter(session_client())

    def show(position: int) -> None:
        slot.markdown(f'<div class="faq-queue">{texts.queue_place(position)}</div>', unsafe_allow_html=True)

    try:
        queue.wait_turn(ticket, show)
    except BaseException:
        ticket.release()
        raise
    slot.empty()
    return ticket
