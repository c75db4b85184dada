"""The faqbot Streamlit app (`faqbot ui`): the public chat, and the staff page when it is enabled.

The public page is the chat and nothing else: it answers with the server's settings (the `FAQBOT_*`
environment, which `faqbot ui` fills from its flags), never shows a backend, a model, k or a path, and a
rating only goes to the capped log. Press drafts, settings and the review of ratings live on the staff page
(`/equipe`), registered only with `faqbot ui --staff` (FAQBOT_STAFF=1) and never linked from the public page.
"""

from __future__ import annotations

import os

import streamlit as st

from chatbot import ChatSettings
from index import IndexSettings, read_manifest
from ingest import IngestSettings, Profile
from ingest.errors import FaqbotError
from ui import texts
from ui.app_chat import chat_page
from ui.app_html import CSS
from ui.app_state import UiConfig, get_bot, public_failure
from ui.organisation import faq_profile, page_title, public_title

STAFF_PAGE = "app_staff.py"


def staff_enabled() -> bool:
    """True when `faqbot ui --staff` turned the staff page on."""
    return os.environ.get("FAQBOT_STAFF", "").strip().lower() in ("1", "true", "yes", "on")


def public_config() -> tuple[UiConfig | None, str | None]:
    """The server's settings for the public chat, or the message to show when they cannot work."""
    try:
        ingest, index = IngestSettings.from_env(), IndexSettings.from_env()
        stamp = str(read_manifest(index.index_dir).get("built_at", ""))
        return UiConfig(ingest, index, ChatSettings.from_env(), stamp), None
    except FaqbotError as exc:
        return None, public_failure(exc)


def public_page() -> None:
    """The public chat."""
    config, error = public_config()
    chat_page(config, error, _profile())
    if config is not None:
        # Load the models now, while the visitor reads the page, rather than inside the first answer.
        try:
            with st.spinner(texts.LOADING):
                get_bot(config)
        except Exception as exc:  # the UI boundary: the public gets a short message, the log the details
            st.error(public_failure(exc))


def _profile() -> Profile:
    """The organisation of the configured FAQ (a generic one when the settings are unusable: reported below)."""
    try:
        return faq_profile(IngestSettings.from_env())
    except FaqbotError:
        return Profile()


def main() -> None:
    """Register the pages and draw the one asked for."""
    profile = _profile()
    st.set_page_config(page_title=page_title(profile), page_icon="💬", layout="centered")
    st.markdown(CSS, unsafe_allow_html=True)
    pages = [st.Page(public_page, title=public_title(profile), default=True)]
    if staff_enabled():
        pages.append(st.Page(STAFF_PAGE, title=texts.STAFF_TITLE, url_path="equipe"))
    st.navigation(pages, position="hidden").run()


main()
