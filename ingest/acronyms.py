"""Acronyms a FAQ spells out without writing them: « ECL » for « économie circulaire et locale ».

A reader asks « La fondation fait-elle partie de l'ECL ? » where the FAQ only ever writes the words. The phrase is found
from the FAQ's own text: a run of at least MIN_LETTERS content words (function words such as « de », « et », « l' »
skipped, content words of four letters or more) whose initials spell the acronym, written at least MIN_COUNT
times (a run met once is as often a coincidence, « repas sans allergènes » for « RSA », as an abbreviation).
Two-letter initials are left out for the same reason (« CA » would be « chiffre d'affaires » as much as « conseil
d'administration »). A coincidence is still possible, so the phrase is only added to a query (`expand_acronyms`),
never taken as a name the FAQ writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ingest.normalize import fold

MIN_LETTERS = 3
MIN_COUNT = 2
MAX_LETTERS = 6
# Skipped inside a phrase: they take no initial (« maison des jeunes et de la culture » is MJC).
FUNCTION_WORDS = frozenset({"de", "du", "des", "d'", "et", "la", "le", "les", "l'", "a", "au", "aux", "en", "pour",
                            "sur", "par", "of", "and", "the", "for"})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
_CLAUSE = re.compile(r"[.!?;:,()\[\]\n«»\"*]+")
_ACRONYM = re.compile(rf"\b[A-Z]{{{MIN_LETTERS},{MAX_LETTERS}}}s?\b")


def spelled_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Lower-case initials -> the phrase of `texts` they abbreviate (as written, the most frequent one), for the
    initials `texts` never write as a word themselves."""
    counts: Counter[tuple[str, str]] = Counter()
    surface: dict[str, str] = {}
    written: set[str] = set()
    for text in texts:
        # A phrase stays within a clause: « … de la fondation. Quelle est … » abbreviates nothing.
        for clause in _CLAUSE.split(text):
            words = _words(clause)
            written.update(folded for folded, _ in words)
            for start, (first, _) in enumerate(words):
                if not _content(first):
                    continue
                initials = ""
                for end in range(start, len(words)):
                    folded = words[end][0]
                    if folded in FUNCTION_WORDS:
                        continue
                    if not _content(folded) or len(initials) == MAX_LETTERS:
                        break
                    initials += folded[0]
                    if len(initials) >= MIN_LETTERS:
                        key = " ".join(f for f, _ in words[start:end + 1])
                        counts[(initials, key)] += 1
                        surface.setdefault(key, _joined(words[start:end + 1]))
    best: dict[str, tuple[int, str]] = {}
    for (initials, key), n in counts.items():
        if n >= MIN_COUNT and initials not in written and n > best.get(initials, (0, ""))[0]:
            best[initials] = (n, surface[key])
    return {initials: phrase for initials, (_, phrase) in best.items()}


def expand_acronyms(text: str, acronyms: dict[str, str]) -> str:
    """`text` with the phrase of each acronym it uses that the FAQ spells out (`spelled_acronyms`) added in
    parentheses after it: « l'ECL (économie circulaire et locale) »."""
    def spell(match: re.Match[str]) -> str:
        phrase = acronyms.get(match.group(0).lower().removesuffix("s")) or acronyms.get(match.group(0).lower())
        return f"{match.group(0)} ({phrase})" if phrase else match.group(0)

    return _ACRONYM.sub(spell, text) if acronyms else text


def _content(word: str) -> bool:
    # Short words are mostly grammar (« est », « une », « ses »): an abbreviated phrase is made of full words.
    return len(word) >= 4 and word.isalpha() and word not in FUNCTION_WORDS


def _words(clause: str) -> list[tuple[str, str]]:
    """(folded, as written) for each word of `clause`, elided articles apart (« l'économie »: « l' », « économie »)."""
    out = []
    for word in _WORD.findall(clause.replace("’", "'")):
        head, _, tail = word.rpartition("'")
        if head:
            out.append((fold(head) + "'", head + "'"))
        out.append((fold(tail), tail))
    return out


def _joined(words: list[tuple[str, str]]) -> str:
    """The words as written, an elided article joined to the next word."""
    return "".join(w if w.endswith("'") else w + " " for _, w in words).strip()
