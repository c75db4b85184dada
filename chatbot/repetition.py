"""An answer that loops: a small model decoding greedily may repeat a phrase or a sentence until its token budget.

Each copy is true to the FAQ when the first one was, so the claim checks pass it, and the reader gets the same line
five times (« Pour … ; [2] » over and over) or a list that never ends. `loop` names the repeated phrase, so the
answer is rejected like an unsupported one; `without_repeats` drops the sentences said already, which leaves an
answer that says each thing once when the loop was whole sentences.
"""

from __future__ import annotations

import re

from chatbot.markers import CITATION
from ingest.chunker import split_sentences
from ingest.normalize import fold

# A block of words said three times back to back (« de l'association de l'association de l'association »), a run of
# LONG_RUN words said LONG_TIMES times anywhere (a list item or a clause the model cycles through), a sentence of
# SENTENCE_WORDS words or more said twice, or one of CONTAINED_WORDS or more said again inside a longer one. The FAQs'
# own longest repeated runs are said twice, never three times (a list of activities written in two places); a
# heading or a signature is shorter than CONTAINED_WORDS, and the sentence after a heading may well begin with it.
BACK_TO_BACK = 3
LONG_RUN = 8
LONG_TIMES = 3
SENTENCE_WORDS = 6
CONTAINED_WORDS = 12
MAX_BLOCK = 16  # longer blocks said back to back are caught as a long run said three times
# A looping answer's repeated sentences are dropped, and the rest verified again (kept for measurement).
REPEATS_DROPPED = True

_WORD = re.compile(r"\w+")
# A sentence ends at a line break, or after its citation marker when a capital follows (« … mutualisées... [5] Pour
# cette vision … »; not « La fondation [1] indique … »).
_SEGMENT = re.compile(r"\n+|(?<=\])\s+(?=[A-ZÀ-ÖØ-Þ«\"“])")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*])\s+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(CITATION.sub(" ", text)))


def _contains(run: list[str], words: list[str]) -> bool:
    n = len(run)
    return any(words[i:i + n] == run for i in range(len(words) - n + 1))


def sentences(text: str) -> list[str]:
    """The sentences of `text` as written, a line or a citation marker ending one too."""
    return [s for segment in _SEGMENT.split(text) for s in split_sentences(segment) if s.strip()]


def _back_to_back(words: list[str]) -> str:
    for size in range(2, MAX_BLOCK + 1):
        for i in range(len(words) - size * BACK_TO_BACK + 1):
            block = words[i:i + size]
            if all(words[i + k * size:i + (k + 1) * size] == block for k in range(1, BACK_TO_BACK)):
                return " ".join(block)
    return ""


def _long_run(words: list[str]) -> str:
    starts: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - LONG_RUN + 1):
        starts.setdefault(tuple(words[i:i + LONG_RUN]), []).append(i)
    for run, positions in starts.items():
        said, end = 0, -1
        for p in positions:  # copies that do not overlap
            if p >= end:
                said, end = said + 1, p + LONG_RUN
        if said >= LONG_TIMES:
            return " ".join(run)
    return ""


def _said_again(parts: list[str]) -> list[int]:
    """The indexes of the sentences whose words another sentence says already (an earlier copy, or a longer sentence
    holding it); of two equal ones the later goes."""
    words = [_words(_LIST_MARK.sub("", p)) for p in parts]
    again = []
    for i, w in enumerate(words):
        if len(w) < SENTENCE_WORDS:
            continue
        for j, other in enumerate(words):
            if j == i or j in again:
                continue
            if (other == w and j < i) or (len(w) >= CONTAINED_WORDS and len(other) > len(w) and _contains(w, other)):
                again.append(i)
                break
    return again


def loop(text: str) -> str:
    """The phrase `text` repeats as a looping model does ("" when it says each thing once)."""
    words = _words(text)
    found = _back_to_back(words) or _long_run(words)
    if found:
        return found
    parts = sentences(text)
    again = _said_again(parts)
    return CITATION.sub("", parts[again[0]]).strip() if again else ""


def without_repeats(text: str) -> str | None:
    """`text` without the sentences it says a second time (None when it says none twice): each line keeps its
    layout, a line left empty goes."""
    again = set(_said_again(sentences(text)))
    if not again:
        return None
    lines, index = [], 0
    for line in text.splitlines():
        parts = sentences(line)
        kept = [s for k, s in enumerate(parts, start=index) if k not in again]
        index += len(parts)
        if kept or not line.strip():
            lines.append(line if len(kept) == len(parts) else " ".join(kept))
    return "\n".join(lines).strip()
