"""The faqbot Streamlit app (`faqbot ui`): public chat and press-officer drafts over an organisation's FAQ.

Settings come from the `FAQBOT_*` environment (which `faqbot ui` fills from its flags) and the sidebar.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from chatbot import BACKENDS, ChatSettings
from chatbot.settings import DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL
from index import IndexSettings, read_manifest
from index.models import ALIASES, QWEN_05B, QWEN_15B
from ingest import IngestSettings, Profile
from ingest.errors import FaqbotError
from ui.app_chat import chat_page, new_conversation
from ui.app_draft import draft_page
from ui.app_html import CSS
from ui.app_state import UiConfig, describe_failure, error_message, get_bot
from ui.organisation import faq_profile, page_title

CHAT, DRAFT = "Questions sur la FAQ", "Brouillon de réponse presse"
LLAMA_MODELS = {"qwen-1.5b": QWEN_15B.name, "qwen-0.5b": QWEN_05B.name}
LENGTH_LABELS = {"court": "court", "developpe": "développé"}


def _default_llama_model(configured: str) -> int:
    name = ALIASES.get(configured, configured)
    return 1 if name == QWEN_05B.name else 0


def sidebar(base: ChatSettings) -> dict:
    """Mode, conversation reset and the answer settings (backend, model, k, length)."""
    bar = st.sidebar
    bar.title("faqbot")
    mode = bar.radio("Mode", [CHAT, DRAFT], key="mode")
    if mode == CHAT and bar.button("Nouvelle conversation", key="new_conversation", icon=":material/add:"):
        new_conversation()
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
    return {"mode": mode, "backend": backend, "model": model, "k": int(k), "length": length}


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
        ("Embeddings", str(manifest.get("embedder", {}).get("name", "?"))),
    ]
    bar.markdown("  \n".join(f"**{label}** : {value}" for label, value in rows))
    bar.caption(f"Dossier : {index.index_dir}")
    return built, None


def main() -> None:
    """Draw the page for this run."""
    try:
        profile = faq_profile(IngestSettings.from_env())
    except FaqbotError:
        profile = Profile()  # bad settings: reported just below
    st.set_page_config(page_title=page_title(profile), page_icon="💬", layout="centered")
    st.markdown(CSS, unsafe_allow_html=True)
    config: UiConfig | None = None
    config_error: str | None = None
    try:
        base = ChatSettings.from_env()
        ingest, index = IngestSettings.from_env(), IndexSettings.from_env()
    except FaqbotError as exc:
        st.error(error_message(exc))
        return
    choice = sidebar(base)
    stamp, index_error = index_panel(index)
    try:
        chat = ChatSettings.from_env(backend=choice["backend"], model=choice["model"] or None, k=choice["k"],
                                     length=choice["length"])
        config = UiConfig(ingest, index, chat, stamp)
    except FaqbotError as exc:
        config_error = error_message(exc)
    if index_error:
        st.error(index_error)
        config, config_error = None, index_error
    if choice["mode"] == DRAFT:
        draft_page(config, config_error, profile)
    else:
        chat_page(config, config_error, profile)
    if config is not None:
        # Load the models now, while the visitor reads the page, rather than inside the first answer.
        try:
            with st.spinner("Chargement des modèles (la première fois, une vingtaine de secondes)…"):
                get_bot(config)
        except Exception as exc:  # the UI boundary: expected errors get their message, others are logged
            st.error(describe_failure(exc))


main()
