"""The currency an amount is given in, French and English: « 4,2 millions d'euros » is not « 4.2 million dollars ».

The figure checks compare values; the currency is a word beside the figure, which the word checks of an English claim
(cognates, a weak signal only used to pick the source sentence) do not hold to the source. A claim naming a currency
its source sentence does not name, where that sentence names another, misstates the amount (`chatbot.claims`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.normalize import fold

# Each currency by the words French and English write it with (folded), then by its sign. « livre » alone is a book,
# « franc » alone may be the French franc or a frank answer: only their currency phrases count; « pound » is a currency
# beside a figure far more often than a weight in an answer about an organisation. In order: a longer phrase first
# (« dollars canadiens » is CAD, not USD).
_WORDS = (
    ("CAD", r"dollars? canadiens?|canadian dollars?|cad"),
    ("CHF", r"francs? suisses?|swiss francs?|chf"),
    ("FRF", r"francs? francais|french francs?|frf"),
    ("GBP", r"livres? sterling|pounds?(?: sterling)?|gbp"),
    ("USD", r"dollars?(?: americains?| us)?|usd"),
    ("EUR", r"euros?|eur"),
    ("JPY", r"yens?|jpy"),
    ("CNY", r"yuans?|renminbi|cny"),
)
_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
_PATTERN = re.compile("|".join(f"(?P<{code}>\\b(?:{words})\\b)" for code, words in _WORDS))


@lru_cache(maxsize=512)  # each source sentence is read once, not once per claim
def currencies(text: str) -> frozenset[str]:
    """The currencies `text` names (ISO codes: EUR, USD…), by word or sign."""
    folded = fold(text)
    return frozenset(m.lastgroup for m in _PATTERN.finditer(folded) if m.lastgroup) | frozenset(
        code for sign, code in _SIGNS.items() if sign in folded)


def other_currency(claim: str, source: str) -> str:
    """Why `claim` gives an amount in another currency than `source` does ("" when it names none, names the source's,
    or the source names none)."""
    said, given = currencies(claim), currencies(source)
    if not said or not given or said <= given:
        return ""
    return f"the source gives the amount in {', '.join(sorted(given))}, not {', '.join(sorted(said - given))}"
