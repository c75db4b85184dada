"""The staff page (`/equipe`, only with `faqbot ui --staff`): press drafts, answer settings and the index, and the
review that turns visitors' ratings into regression cases.

Access: with FAQBOT_STAFF_TOKEN set, the page asks for it; without one, `faqbot ui` serves the staff page only
on 127.0.0.1 (this page refuses otherwise, in case it is started some other way).
"""

from __future__ import annotations

import hmac
import json
import os
from datetime import datetime
from pathlib import Path

import streamlit as st

from chatbot import BACKENDS, ChatSettings
from chatbot.settings import DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL
from index import IndexSettings, read_manifest
from index.models import ALIASES, QWEN_05B, QWEN_15B
from ingest import IngestSettings
from ingest.errors import FaqbotError
from ui import feedback, texts
from ui.app_draft import draft_page
from ui.app_html import esc
from ui.app_state import UiConfig, error_message, warmup_caption

LLAMA_MODELS = {"qwen-1.5b": QWEN_15B.name, "qwen-0.5b": QWEN_05B.name}
LENGTH_LABELS = {"court": "court", "developpe": "développé"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SHOWN_RATINGS = 30


def _default_llama_model(configured: str) -> int:
    name = ALIASES.get(configured, configured)
    return 1 if name == QWEN_05B.name else 0


def staff_access() -> bool:
    """True when this session may see the staff page (token given, or served on this machine only)."""
    token = os.environ.get("FAQBOT_STAFF_TOKEN", "").strip()
    if not token:
        # `faqbot ui` says where it listens; a page started any other way gets no staff access without a token.
        if os.environ.get("FAQBOT_UI_HOST", "").strip() in LOOPBACK:
            return True
        st.error(texts.STAFF_NEEDS_TOKEN)
        return False
    if st.session_state.get("staff_ok"):
        return True
    given = st.text_input(texts.STAFF_TOKEN_PROMPT, type="password", key="staff_token")
    if not given:
        return False
    if hmac.compare_digest(given.strip().encode(), token.encode()):
        st.session_state["staff_ok"] = True
        return True
    st.error(texts.STAFF_TOKEN_WRONG)
    return False


def settings_sidebar(base: ChatSettings) -> dict:
    """The answer settings the staff's drafts use: backend, model, k, length."""
    bar = st.sidebar
    bar.title("faqbot — équipe")
    bar.subheader("Réglages")
    backends = list(BACKENDS)
    if base.backend not in backends:  # a plugin backend named in FAQBOT_LLM (module:Class)
        backends.insert(0, base.backend)
    backend = bar.selectbox("Moteur (backend)", backends, index=backends.index(base.backend), key="backend")
    if backend == "llamacpp":
        choice = bar.selectbox("Modèle", list(LLAMA_MODELS), index=_default_llama_model(base.model), key="llama_model")
        model = LLAMA_MODELS[choice]
    else:
        default = {"ollama": DEFAULT_OLLAMA_MODEL, "openai": DEFAULT_OPENAI_MODEL}.get(backend, "")
        model = bar.text_input("Modèle", value=base.model if backend == base.backend and base.model else default,
                               key=f"model_{backend}").strip()
    k = bar.slider("Nombre de passages (k)", 1, 8, min(max(base.k, 1), 8), key="k")
    length = bar.radio("Longueur des réponses", list(LENGTH_LABELS), format_func=LENGTH_LABELS.get,
                       index=list(LENGTH_LABELS).index(base.length), horizontal=True, key="length")
    bar.caption("Ces réglages valent pour vos brouillons ; le public est servi avec ceux du serveur.")
    return {"backend": backend, "model": model, "k": int(k), "length": length}


def index_panel(index: IndexSettings) -> tuple[str, str | None]:
    """The index's manifest in the sidebar; returns (build stamp, error message if the index is unusable)."""
    bar = st.sidebar
    bar.subheader("Index")
    try:
        manifest = read_manifest(index.index_dir)
    except FaqbotError as exc:
        message = error_message(exc)
        bar.warning(message)
        return "", message
    faq = manifest.get("faq", {})
    built = str(manifest.get("built_at", ""))
    try:
        when = datetime.fromisoformat(built).strftime("%d/%m/%Y %H:%M UTC")
    except ValueError:
        when = built or "inconnu"
    rows = [
        ("FAQ", str(faq.get("path", "?")).rsplit("/", 1)[-1]),
        ("Version de la FAQ", str(faq.get("sha256", ""))[:12] or "?"),
        ("Passages", str(manifest.get("chunk_count", "?"))),
        ("Construit le", when),
        ("Embeddings", " ".join(str(manifest.get("embedder", {}).get(k, "")) for k in ("name", "dtype")).strip()
         or "?"),
    ]
    bar.markdown("  \n".join(f"**{label}** : {value}" for label, value in rows))
    bar.caption(f"Dossier : {index.index_dir}")
    return built, None


def review_panel() -> None:
    """Pending ratings, newest first: accept (the case goes to the file named here) or set aside."""
    st.caption(texts.REVIEW_CAPTION)
    note = st.session_state.pop("review_note", None)
    if note:
        st.success(note)
    target = Path(st.text_input("Fichier des cas de test", value=str(feedback.cases_file()), key="review_cases"))
    waiting = feedback.pending()
    if not waiting:
        st.info(texts.REVIEW_NOTHING)
        return
    st.caption(f"{len(waiting)} avis en attente" + (f" (les {SHOWN_RATINGS} plus récents ci-dessous)"
                                                     if len(waiting) > SHOWN_RATINGS else ""))
    for record in waiting[:SHOWN_RATINGS]:
        rid = record["id"]
        verdict = "👍" if record.get("rating") == feedback.UP else f"👎 {record.get('reason') or ''}"
        with st.container(border=True):
            st.markdown(f'<div class="faq-review"><b>{esc(verdict)}</b> · {esc(str(record.get("timestamp", "")))}'
                        f'<br><i>{esc(str(record.get("question", "")))}</i><br>{esc(str(record.get("answer", "")))}'
                        "</div>", unsafe_allow_html=True)
            case = feedback.case_of(record)
            if case is None:
                st.caption("Ce motif ne donne pas de cas automatique (la bonne réponse n'est pas connue) : "
                           "écrivez le cas à la main si besoin.")
            else:
                st.code(json.dumps(case.to_dict(), ensure_ascii=False, indent=1), language="json")
            left, right = st.columns(2)
            if case is not None and left.button("Accepter comme cas de test", key=f"accept-{rid}", type="primary"):
                try:
                    feedback.decide(record, feedback.ACCEPTED, cases=target)
                except OSError as exc:
                    st.error(f"Le cas n'a pas pu être écrit dans {target} : {exc.strerror}.")
                    continue
                st.session_state["review_note"] = f"Cas `{case.id}` ({case.kind}) ajouté à {target}."
                st.rerun()
            if right.button("Écarter", key=f"reject-{rid}"):
                feedback.decide(record, feedback.REJECTED)
                st.session_state["review_note"] = "Avis écarté."
                st.rerun()


def staff_page() -> None:
    """Draw the staff page."""
    if not staff_access():
        return
    st.title(texts.STAFF_TITLE)
    st.caption(texts.STAFF_CAPTION)
    try:
        base = ChatSettings.from_env()
        ingest, index = IngestSettings.from_env(), IndexSettings.from_env()
    except FaqbotError as exc:
        st.error(error_message(exc))
        return
    choice = settings_sidebar(base)
    stamp, index_error = index_panel(index)
    config: UiConfig | None = None
    config_error: str | None = index_error
    if not index_error:
        try:
            chat = ChatSettings.from_env(backend=choice["backend"], model=choice["model"] or None, k=choice["k"],
                                         length=choice["length"])
            config = UiConfig(ingest, index, chat, stamp)
        except FaqbotError as exc:
            config_error = error_message(exc)
    drafts, reviews = st.tabs(["Brouillon de réponse presse", texts.REVIEW_TITLE])
    with drafts:
        draft_page(config, config_error)
    with reviews:
        review_panel()
    if config is not None:
        try:  # how far the background warm-up of the FAQ's sections has got (the draft page loaded the bot)
            caption = warmup_caption(config)
        except Exception:
            caption = None
        if caption:
            st.sidebar.caption(caption)


staff_page()
