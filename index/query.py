"""The gate every user question passes before retrieval: cleaned, bounded, never empty."""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass

from ingest.errors import InputError

MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Question:
    """A cleaned question and, when it had to be shortened, a notice for the user."""

    text: str
    notice: str | None = None


def clean_question(raw: str, max_chars: int = MAX_QUESTION_CHARS) -> Question:
    """Strip control characters and extra spaces, refuse an empty question, truncate a huge one with a notice."""
    text = unicodedata.normalize("NFC", raw)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if not text:
        raise InputError("the question is empty: type a question about the FAQ")
    notice = None
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        original = len(text)
        text = text[: cut if cut > max_chars // 2 else max_chars].rstrip()
        notice = (f"question tronquée à {len(text):,} caractères (elle en comptait {original:,})"
                  .replace(",", "\u202f"))
    return Question(text, notice)


def read_stdin_question() -> str:
    """The question piped on standard input, refusing bytes that are not UTF-8."""
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("no question given: pass it as an argument or pipe it on standard input")
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"standard input is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
                         "send the question as UTF-8 text") from None
