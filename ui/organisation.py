"""How the pages, the terminal and the exports name the organisation, from the FAQ's profile (ingest/profile.py)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ingest import IngestSettings, Profile, ingest, profile_path
from ingest.errors import FaqbotError


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _profile(settings: IngestSettings, stamps: tuple[float, float]) -> Profile:
    try:
        return ingest(settings).profile
    except FaqbotError:
        return Profile()  # the FAQ itself is unusable: the page says so where the index is checked


def faq_profile(settings: IngestSettings) -> Profile:
    """The organisation of the configured FAQ (re-read when the FAQ or its profile file changes); a generic
    profile when the FAQ cannot be read (that error is reported elsewhere)."""
    return _profile(settings, (_stamp(settings.faq_path), _stamp(profile_path(settings.faq_path))))


def page_title(profile: Profile) -> str:
    """The browser tab's title."""
    return f"faqbot — FAQ {profile.of_name}"


def public_title(profile: Profile) -> str:
    """The chat page's title."""
    return f"Questions {profile.about_name}"


def public_caption(profile: Profile) -> str:
    """What the chat page says under its title."""
    return (f"Les réponses viennent uniquement de la FAQ officielle {profile.of_name}, avec leurs sources. "
            "Tout reste sur cette machine.")


def chat_placeholder(profile: Profile) -> str:
    """The empty chat box's invitation."""
    return f"Posez votre question {profile.about_name}…"


def empty_message(profile: Profile) -> str:
    """The answer to an empty message."""
    return f"Votre message est vide : écrivez une question sur la FAQ {profile.of_name}."


def draft_placeholder(profile: Profile) -> str:
    """An example journalist's question in the press page's empty box."""
    return f"Bonjour, pourriez-vous me confirmer le chiffre d'activité {profile.of_name} ?"


def terminal_banner(profile: Profile) -> str:
    """The first line of `faqbot chat`."""
    return (f"faqbot — posez vos questions sur la FAQ {profile.of_name}. /questions pour les voir toutes, "
            "/nouveau pour recommencer, /quitter pour sortir.")
