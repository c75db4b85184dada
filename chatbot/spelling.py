"""A misspelt word of a French question read as the FAQ word it was meant to be: « locomotivs » as « locomotives »,
« entretienent » as « entretiennent », « cotisasions » as « cotisations ».

The embedder reads most typos through, but not all: a key word misspelt can send retrieval to another section, and
the rules that read the question's words (a name the FAQ never mentions, the topic a quote must share) see a word
the FAQ does not use. A word is corrected only when no general word list of either language knows it (wordfreq's, so
« cliniques » is never made « critiques »), it is long enough for a typo to be told from another word, and exactly one
word of the FAQ lies closest within a small edit distance (a letter added, dropped, replaced, or two swapped). Names
(a capital inside the sentence) are left as typed: « Dumont » is someone else, not a misspelt « Dupont ».
"""

from __future__ import annotations

import re
from functools import lru_cache

from chatbot.language import Lexicon, known_word, plain_form
from ingest.normalize import fold

# Shorter words are left alone: one edit away from too many other words. From LONG_WORD letters on, two edits are
# allowed (« cotisasions » is one edit from « cotisations », « entretienen » two from « entretiennent »).
MIN_WORD = 5
LONG_WORD = 8
# Kept for measurement (docs/quality.md).
SPELLING = True

# A word's letters: an elided article or a compound's hyphen ends it (« l'atelier », « voitures-ateliers »).
_WORD = re.compile(r"[^\W\d_]+")
_FRENCH = re.compile(r"[a-zàâçéèêëîïôûùüÿœæ]+")


def edit_distance(a: str, b: str, limit: int) -> int:
    """The edits (insert, delete, replace, swap two neighbours) that make `a` into `b`; `limit` + 1 once it exceeds
    `limit` (optimal string alignment)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)
def _closest(plain: str, vocabulary: frozenset[str]) -> str | None:
    """The one word of `vocabulary` closest to `plain` within the edits its length allows; None when none is, or
    when two are equally close."""
    limit = 2 if len(plain) >= LONG_WORD else 1
    best, found = limit + 1, []
    for word in vocabulary:
        if abs(len(word) - len(plain)) > limit or len(word) < MIN_WORD:
            continue
        distance = edit_distance(plain, word, min(limit, best))
        if distance < best:
            best, found = distance, [word]
        elif distance == best and distance <= limit:
            found.append(word)
    return found[0] if len(found) == 1 and best <= limit else None


def correct_word(word: str, lexicon: Lexicon) -> str | None:
    """The FAQ word a misspelt `word` stands for (folded, with the typed plural mark kept), or None when `word` is
    known, too short, or no single FAQ word is close."""
    folded = fold(word)
    if len(folded) < MIN_WORD or not folded.isascii() or not _FRENCH.fullmatch(word.lower()):
        return None  # short, or written with a letter French does not use (« países »: another language)
    plain = plain_form(folded)
    vocabulary = lexicon.vocabulary or lexicon.words | lexicon.names  # built once by `lexicon_of`, not per word
    if plain in vocabulary or folded in vocabulary or known_word(folded) or known_word(plain):
        return None  # « téléthons »: the lists know « téléthon »
    closest = _closest(plain, vocabulary)
    if closest is None:
        return None
    return closest + folded[len(plain):]


def corrected(text: str, lexicon: Lexicon | None) -> str:
    """`text` with its misspelt words replaced by the FAQ words they stand for (`correct_word`); unchanged without a
    lexicon. Words with a capital inside the sentence (names) are kept as typed."""
    if not SPELLING or lexicon is None or not lexicon.words:
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if match.start() > 0 and word[:1].isupper():
            return word
        replacement = correct_word(word, lexicon)
        if replacement is None:
            return word
        return replacement[:1].upper() + replacement[1:] if word[:1].isupper() else replacement

    return _WORD.sub(fix, text)
