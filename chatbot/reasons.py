"""Why the assistant refuses or leaves part of a question unanswered, in French and in English.

A reason is the French sentence (a `str`, as the rules and the JSON output have always used it) carrying its English
rendering, so an English question gets an English refusal from end to end, not an English lead around a French reason.
"""

from __future__ import annotations


class Reason(str):
    """A reason in French (the string itself) with its English rendering in `en`."""

    en: str

    def __new__(cls, fr: str, en: str) -> Reason:
        """The reason `fr`, rendered `en` in English."""
        reason = super().__new__(cls, fr)
        reason.en = en
        return reason


def reason_in(detail: str, language: str) -> str:
    """`detail` in `language`: its English rendering for English when it has one, else the French text."""
    if language == "en":
        return getattr(detail, "en", detail)
    return str(detail)
