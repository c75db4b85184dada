"""The press-officer page: a journalist's question or e-mail in, a sourced draft reply in vouvoiement out."""

from __future__ import annotations

import streamlit as st

from chatbot.draft import LENGTHS, MAX_REQUEST_CHARS, TONES, Draft, Drafter
from index.query import clean_question
from ingest import Profile
from ui.app_html import abstention_html, appendix_html, draft_html, esc, flags_html
from ui.app_state import UiConfig, describe_failure, get_bot, wait_for_turn
from ui.export import draft_docx, draft_markdown
from ui.organisation import draft_placeholder

LENGTH_LABELS = {"court": "court", "developpe": "développé"}


def write_draft(request: str, tone: str, length: str, config: UiConfig) -> Draft:
    """Stream the draft into the page as it is written; return the checked draft."""
    clean_question(request, max_chars=MAX_REQUEST_CHARS)  # an empty message is refused before loading models
    with st.spinner("Chargement des modèles…"):
        bot = get_bot(config)
    live = st.empty()
    ticket = wait_for_turn(config, live)  # drafts take their turn with the public's answers
    text, draft = "", None
    items = Drafter(bot).stream(request, tone=tone, length=length)
    try:
        for item in items:
            if isinstance(item, Draft):
                draft = item
            else:
                text += item
                live.markdown(f'<div class="faq-draft" data-state="streaming">{esc(text)}</div>',
                              unsafe_allow_html=True)
    finally:
        items.close()  # a stopped run must not leave the generator holding the llama.cpp lock
        ticket.release()
    live.empty()
    assert draft is not None
    return draft


def show_draft(draft: Draft) -> None:
    """The checked draft: flagged sentences marked, sources appendix, copy and downloads."""
    if draft.abstained:
        st.markdown(abstention_html(draft.body, final=True), unsafe_allow_html=True)
        return
    st.subheader("Projet de réponse")
    st.markdown(draft_html(draft), unsafe_allow_html=True)
    if draft.flagged:
        st.markdown(flags_html(draft), unsafe_allow_html=True)
    else:
        st.caption("Chaque phrase factuelle a été retrouvée dans la source qu'elle cite.")
    st.markdown(appendix_html(draft), unsafe_allow_html=True)
    markdown = draft_markdown(draft)
    st.markdown("**À copier** (bouton de copie en haut à droite du bloc) :")
    st.code(markdown, language="markdown", wrap_lines=True)
    left, right = st.columns(2)
    left.download_button("Télécharger (.md)", markdown.encode("utf-8"), file_name="reponse-presse.md",
                         mime="text/markdown", key="draft_md", on_click="ignore")
    try:
        docx = draft_docx(draft)
    except Exception as exc:  # python-docx problems must not hide the draft itself
        right.error(describe_failure(exc))
    else:
        right.download_button(
            "Télécharger (.docx)", docx, file_name="reponse-presse.docx", key="draft_docx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def draft_page(config: UiConfig | None, config_error: str | None, profile: Profile | None = None) -> None:
    """The press-officer page."""
    st.title("Brouillon de réponse presse")
    st.caption("Collez la question ou l'e-mail d'un journaliste : faqbot rédige un projet de réponse en "
               "vouvoiement, chaque fait sourcé dans la FAQ. Les phrases introuvables dans les sources sont "
               "signalées ; relisez toujours avant d'envoyer.")
    request = st.text_area("Question ou e-mail du journaliste", key="draft_request", height=200,
                           placeholder=draft_placeholder(profile or Profile()))
    left, right = st.columns(2)
    tone = left.radio("Ton", list(TONES), index=1, horizontal=True, key="draft_tone")
    length = right.radio("Longueur", list(LENGTHS), format_func=LENGTH_LABELS.get, horizontal=True,
                         key="draft_length")
    if st.button("Rédiger le brouillon", type="primary", key="draft_go"):
        st.session_state.pop("draft", None)
        st.session_state.pop("draft_error", None)
        if config is None:
            st.session_state["draft_error"] = config_error or "Réglages invalides."
        else:
            try:
                st.session_state["draft"] = write_draft(request, tone, length, config)
            except Exception as exc:  # the UI boundary: expected errors get their message, others are logged
                st.session_state["draft_error"] = describe_failure(exc)
    if st.session_state.get("draft_error"):
        st.error(st.session_state["draft_error"])
    draft = st.session_state.get("draft")
    if draft is not None:
        show_draft(draft)
