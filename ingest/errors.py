"""The one error family of faqbot.

It lives in `ingest`, the most upstream stage, so that every stage can raise it without importing upward.
Only the CLI and the UI turn these errors into messages for people.
"""

from __future__ import annotations


class FaqbotError(Exception):
    """An expected failure whose message tells the user what is wrong and how to fix it."""

    exit_code = 1


class InputError(FaqbotError):
    """Bad input from the user (a file, a question, a flag): exit code 2 in the CLI."""

    exit_code = 2
