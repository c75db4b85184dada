"""French-aware text normalisation shared by retrieval, verification and evaluation.

DESIGN.md fixes the matching form: lower case, accents removed, typographic apostrophes and guillemets
folded, spaces inside numbers removed (`12 000` -> `12000`), decimal comma -> point (`2,5` -> `2.5`),
whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‹": '"', "›": '"'})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# Thousands separators seen in French text: plain, no-break, narrow no-break and thin spaces.
_GROUPED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)")
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f\u2009]")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SPACES = re.compile(r"\s+")
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
_WORD = re.compile(r"[a-z0-9]+(?:[.][0-9]+)?")

# Function words that carry no topic; kept short on purpose (negations such as "pas", "aucun" stay).
STOPWORDS = frozenset(
    """a au aux avec ce ces cet cette dans de des du elle elles en est et etre eu il ils je la le les leur
    leurs lui ma mais me meme mes moi mon ni nos notre nous on ou par pour qu que qui sa se ses son sur ta te
    tes toi ton tu un une vos votre vous y the of and to is in what how why who does do are it its for on
    t quel quelle quels quelles sont ont fait faire""".split()
)


def fold(text: str) -> str:
    """Lower-case `text`, strip accents and fold typographic apostrophes, guillemets and ligatures."""
    text = text.translate(_LIGATURES).translate(_APOSTROPHES).translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalize(text: str) -> str:
    """Return the DESIGN.md matching form of `text` (folded, French numbers unified, spaces collapsed)."""
    text = fold(text)
    text = _GROUPED_NUMBER.sub(lambda m: _GROUP_SPACE.sub("", m.group(0)), text)
    text = _DECIMAL_COMMA.sub(".", text)
    return _SPACES.sub(" ", text).strip()


def stem(word: str) -> str:
    """Light French stemmer (after Lucene's FrenchMinimalStemmer, plus common derivational endings)."""
    if word.isdigit() or len(word) < 5:
        return word
    for suffix, replacement in (
        ("issements", "ir"), ("issement", "ir"), ("ements", ""), ("ement", ""), ("ations", "at"),
        ("ation", "at"), ("itions", "it"), ("ition", "it"), ("ites", ""), ("ite", ""), ("euses", "eu"),
        ("euse", "eu"), ("eux", "eu"), ("ives", "if"), ("ive", "if"), ("ifs", "if"), ("aux", "al"),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    for ending in ("s", "x", "r", "e"):
        if word.endswith(ending) and len(word) > 4:
            word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2]:
        word = word[:-1]
    return word


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Words of `text` in matching form, elisions (l', d', qu'...) removed, stop words dropped."""
    text = _ELISION.sub("", normalize(text))
    words = _WORD.findall(text)
    if keep_stopwords:
        return words
    return [w for w in words if w not in STOPWORDS]


def terms(text: str) -> list[str]:
    """Stemmed content words of `text`: what the lexical retriever indexes and matches."""
    return [stem(w) for w in tokens(text)]
