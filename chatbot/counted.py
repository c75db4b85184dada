"""What an English figure counts: « The club employs 12 people » is not what « Sur 300 clubs employeurs de la région,
le club en a repris 12 » says, though the verb shares a cognate with the sentence around the figure.

An English answer translates a French source, so its words are matched by cognates and the figure by its value;
neither says that the figure counts the same thing. The noun a figure counts is the word a wrong translation
changes, so it is read on its own: it must share a cognate with the source sentence that gives the figure
(« 12 regional sections » from « 12 sections régionales »), or single it out among all the FAQ's sentences, as a
cross-lingual quote must (« 30 countries » for « présent dans 30 pays »; « 12 people » singles out nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chatbot.numbers import ENGLISH_NUMBER_WORDS
from chatbot.question import EN_PHRASE_END, english_head
from ingest.normalize import fold, tokens

# singles_out(words, texts) -> for each text, whether `words` single it out among all the FAQ's sentences.
SinglesOut = Callable[[str, Sequence[str]], Sequence[bool]]
# counts_persons(sentence, values) -> whether a figure of the sentence (of these values; any, for None) counts holders
# of a role (« 3 vice-présidentes », « 4 délégués »): what « people » or « members » counts in English.
CountsPersons = Callable[[str, "frozenset[float] | None"], bool]
# Nouns that count persons whatever their role: « 3 people sit on the bureau » for « 3 vice-présidentes » (folded).
PERSONS = frozenset("people persons individuals members personnes individus membres gens".split())
# Units a figure measures rather than things it counts: the source writes them in its own words (« 12 ans »).
UNITS = frozenset("year years month months week weeks day days hour hours minute minutes euro euros dollar dollars "
                   "pound pounds million millions billion billions thousand thousands percent per cent times "
                   "hectare hectares ton tons tonne tonnes kilometre kilometres km".split())
_YEAR = re.compile(r"(?:19|20)\d\d")
# The words right after a figure, up to the end of its clause: its noun phrase is read from them.
_AFTER = re.compile(r"[ \u00a0]+((?:[A-Za-zÀ-ÿ][\w’'.-]*[ \u00a0]*){1,6})")
# Two stems of the same family share this many leading letters (`defini` / `definit`, `presid` / `president`).
FAMILY_PREFIX = 5


def cognate(word: str) -> str:
    """The key an English word shares with its French cognate (`independent` / `indépendant`): its first letters."""
    # An English final « y » is a French « i » or « ie » (« party » / « parti »; longer words lose it to the prefix).
    return (word[:-1] + "i" if word.endswith("y") else word)[:FAMILY_PREFIX]


def _keys(noun: str) -> set[str]:
    """The cognate keys of a noun's parts long enough to tell (« vice-presidents »: `vice` and `presi`)."""
    return {cognate(part) for part in re.split(r"[-’']", noun) if len(part) >= 4}


def _nouns(after: str, *, units: bool = False) -> tuple[str, ...]:
    """The counted noun of the words after a figure, and the noun after « of » (« 2 kinds of activities »); a unit of
    measure only when `units`."""
    words = [w.strip(".’'") for w in fold(after).split()]
    head = english_head(" ".join(words)) if words and words[0] not in EN_PHRASE_END | {"out"} else ""
    if not head or (head in UNITS and not units):
        return ()
    rest = words[words.index(head) + 1:] if head in words else []
    if rest[:1] == ["of"]:
        tail = [w for w in rest[1:] if w not in ("the", "a", "an", "its", "their", "our")]
        if tail:
            return head, english_head(" ".join(tail))
    return (head,)


def counted_nouns(text: str, *, units: bool = False) -> list[tuple[frozenset[float], tuple[str, ...]]]:
    """For each figure of an English `text` followed by what it counts (not a year, a rank, nor a unit of measure
    unless `units`): the values it may mean and the noun it counts (with the noun after « of », when one follows)."""
    from chatbot.verify import figures, strip_references

    text = strip_references(text)
    out = []
    at = 0
    for figure in figures(text):
        where = text.find(figure.text, at)
        if where < 0 or _YEAR.fullmatch(figure.text.strip()):
            continue
        at = where + len(figure.text)
        if not (any(c.isdigit() for c in figure.text) or fold(figure.text) in ENGLISH_NUMBER_WORDS):
            continue  # a rank in words (« the first player ») ranks, it does not count
        match = _AFTER.match(text, at)
        nouns = _nouns(match.group(1), units=units) if match else ()
        if nouns:
            out.append((figure.values | figure.raw, nouns))
    return out


def counts_the_same(noun: str, sentences: Sequence[str], singles_out: SinglesOut | None, *,
                    persons: CountsPersons | None = None, values: frozenset[float] | None = None) -> bool:
    """Whether `noun` (or a word of it) shares a cognate with `sentences`, or singles one of them out among the FAQ's
    sentences (True when no sentence index is at hand); a noun of `PERSONS`, whether a figure of theirs (of `values`)
    counts role holders."""
    if persons is not None and fold(noun) in PERSONS and any(persons(s, values) for s in sentences):
        return True
    held = {cognate(w) for s in sentences for w in tokens(s) if len(w) >= 4}
    if _keys(fold(noun)) & held:  # folded as the sentence's tokens are (« réunions » / « reunions »)
        return True
    return singles_out is None or any(singles_out(noun, list(sentences)))


def counts_asked(text: str, noun: str, sentences: Sequence[str], singles_out: SinglesOut | None, *,
                 persons: CountsPersons | None = None) -> str:
    """What the figures of English `text` count or measure instead of `noun`, the thing the question asks the number
    of (« 1.2 million euros » for « How many donors…? »); "" when one of them counts it (its own noun a cognate of
    `noun`, or the source sentence giving it counting `noun`: `counts_the_same`), when none is followed by a noun,
    or when `noun` is itself a unit of measure."""
    from chatbot.verify import giving

    if fold(noun) in UNITS:
        return ""
    asked = _keys(fold(noun))
    counts = counted_nouns(text, units=True)
    for values, nouns in counts:
        if any(_keys(n) & asked for n in nouns):
            return ""
        holders = giving(sentences, values)
        if holders and counts_the_same(noun, holders, singles_out, persons=persons, values=values):
            return ""
    return counts[0][1][0] if counts else ""


def miscounted(text: str, sentences: Sequence[str], singles_out: SinglesOut | None, *,
               persons: CountsPersons | None = None) -> str:
    """The first noun a figure of English `text` counts that the source sentences giving that figure do not count
    (`counts_the_same`), "" when every figure keeps what it counts."""
    from chatbot.verify import giving

    for values, nouns in counted_nouns(text):
        holders = giving(sentences, values)
        if holders and not any(counts_the_same(noun, holders, singles_out, persons=persons, values=values)
                               for noun in nouns):
            return nouns[0]
    return ""
