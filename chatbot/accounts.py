"""An organisation's headline accounts, in the two families questions and answers confuse: its size (turnover,
budget, revenue) and its result (profit, surplus, loss).

A FAQ that gives one year's turnover and another year's result writes both years: « Quel était le chiffre d'affaires
en 2019 ? » is not answered by « le résultat 2019 est de … », nor « What was the profit in 2023? » by « En 2023, le
chiffre d'activité atteint … ». The words are a class of the language (French and English accounting), not any
FAQ's.
"""

from __future__ import annotations

import re

from ingest.normalize import fold

_FAMILIES = {
    "size": r"chiffres? d'(?:affaires?|activites?)|budgets?|recettes|revenus?|turnover|revenues?|sales",
    "result": r"resultats?|benefices?|benef|profits?|excedents?|deficits?|pertes?|surplus|loss(?:es)?|net income|"
              r"results?|earnings",
}
_KIND = {name: re.compile(rf"\b(?:{words})\b") for name, words in _FAMILIES.items()}
_ANY = "|".join(f"(?:{words})" for words in _FAMILIES.values())
# An account a share is taken of is its base, not what is asked: « quelle part du chiffre d'affaires le résultat
# représente-t-il ? » asks the result.
_BASE = re.compile(rf"\b(?:pourcentage|part|proportion|pour ?cent|percentage|share|percent|%)\s+"
                   rf"(?:du|de la|de l'|des|d'|de|of the|of its|of)\s*(?:{_ANY})\b")


def account_kinds(text: str) -> frozenset[str]:
    """The account families (`size`, `result`) `text` asks about (an account a share is taken of left out)."""
    folded = _BASE.sub(" ", fold(text).replace("’", "'"))
    return frozenset(name for name, pattern in _KIND.items() if pattern.search(folded))


def dated_kinds(year: str, sentence: str) -> frozenset[str]:
    """The account families `sentence` gives for `year`: an account written just before the year (« le résultat
    2019 », « turnover for 2023 ») or as the subject of the clause the year opens (« En 2023, le chiffre d'activité
    … »)."""
    folded = fold(sentence).replace("’", "'")
    before = re.finditer(rf"\b({_ANY})(?:\s+[\w']+){{0,2}}?\s+{year}\b", folded)
    opening = re.finditer(rf"\b(?:en|in)\s+{year}\s*,?\s+(?:[\w']+\s+){{0,3}}?({_ANY})\b", folded)
    return frozenset(name for m in (*before, *opening) for name, pattern in _KIND.items()
                     if pattern.fullmatch(m.group(1)))


def other_account(year: str, sentence: str, asked: frozenset[str]) -> bool:
    """True when `sentence` gives `year` for an account of another family than the `asked` ones (and for none of
    them): its year does not answer the question."""
    dated = dated_kinds(year, sentence)
    return bool(asked and dated and not dated & asked)
