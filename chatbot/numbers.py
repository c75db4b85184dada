"""Numbers written in words, French and English: one table for the figure checks (`chatbot.verify`) and the
duration rule (`chatbot.scope`); and a figure a small model splits after its thousands separator, shown whole."""

from __future__ import annotations

import re

from ingest.normalize import fold

# « un », « une » and « one » are left out: they are articles and pronouns far more often than figures (a duration
# reads them, « un an », where the unit follows).
FRENCH_NUMBER_WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
}
ENGLISH_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100,
}
NUMBER_WORDS = FRENCH_NUMBER_WORDS | ENGLISH_NUMBER_WORDS
ARTICLE_NUMBERS = ("un", "une", "one")

# A small model writes « 250 000 » in English as « 250, 000 »: the separator it learnt followed by the space it saw.
# At most three digits before the comma (« In 2019, 130 … » is a year then a count) and exactly three after, in no
# list of numbers (« 12, 345, 678 »).
_SPLIT_THOUSANDS = re.compile(r"(?<![\w.,])(?<!\d, )(\d{1,3}), (\d{3})(?![\d,.])")


def mended_thousands(text: str, separator: str) -> str:
    """`text` with each figure written « 250, 000 » joined into one, its digit groups split by `separator`."""
    return _SPLIT_THOUSANDS.sub(lambda m: m.group(1) + separator + m.group(2), text)


# Ranks in words, French and English (« deuxième », "third"), as the figure checks and the rank questions read them;
# each also written without its accents.
ORDINAL_WORDS = {
    "premier": 1, "première": 1, "premiers": 1, "premières": 1, "deuxième": 2, "second": 2, "seconde": 2,
    "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
    "dixième": 10, "first": 1, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10,
}
ORDINAL_WORDS |= {fold(word): value for word, value in ORDINAL_WORDS.items()}
# A rank in figures, on folded text: « 1er », « 2e », « 2eme », « 2nd », "3rd", "10th"; and a rank in figures or words.
RANK_FIGURE = r"\d{1,2}\s?(?:er|re|ere|e|eme|nd|nde|st|rd|th)"
RANK_TOKEN = rf"(?:{RANK_FIGURE}|{'|'.join(sorted({fold(w) for w in ORDINAL_WORDS}, key=len, reverse=True))})"


def ordinal_value(word: str) -> int | None:
    """The rank a word states (« 5e », « cinquième », "fifth" give 5), or None when it states none."""
    folded = fold(word)
    if folded in ORDINAL_WORDS:
        return ORDINAL_WORDS[folded]
    return int(re.match(r"\d+", folded).group(0)) if re.fullmatch(RANK_FIGURE, folded) else None
