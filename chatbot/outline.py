"""A question asking for the items a FAQ section lists as its subheadings, and those headings as its quotes.

A FAQ often answers « Quelles sont les valeurs du club ? » with one subheading per value and prose under each
(`ingest.chunker.section_outline`). The headings are the answer, yet they are no sentences: the sentence ranking
passes them over (`evidence.is_sentence`), and the model's list of them, one citation an item, is no sentence of one
source. When a question asks for the list the section's own question names (« Quelles sont les X … ? »), its headings
are quoted: under the model's answer when it leaves them out, or as the answer when the model's fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chatbot.claims import in_family
from chatbot.context import Context
from chatbot.counted import cognate
from chatbot.evidence import COVERED, MAX_QUOTES, coverage, to_quote
from chatbot.numbers import ORDINAL_WORDS
from chatbot.question import FIGURE_KINDS, Question
from index.retriever import Evidence, Hit
from ingest.normalize import fold, stem, tokens

OUTLINE_ANSWERS = True  # kept for measurement (docs/quality.md, « A section's outline »)

# translates(word, noun) -> whether an English `word` is the French `noun` in the other language (the embedder's
# restatement test at its calibrated bar: « values » / « valeurs » score 0.96, « principles » 0.74).
Translates = Callable[[str, str], bool]

# A quoted line is checked word for word only from this length (`evidence._QUOTE`): a shorter heading (« Santé : »)
# is a label, not an item to quote.
MIN_ITEM = 12
# Adjectives French puts before the noun (« les grandes dates »): the noun is the word after them.
_BEFORE_NOUN = frozenset("grand grande grands grandes principal principale principaux principales differents "
                         "differentes nouveaux nouvelles petits petites premiers premieres derniers dernieres autres "
                         "main key".split())
# A section's own question asking for a list: « Quelles sont les X … ? », « Quels X … ? », "What are the X …?".
_LIST_TITLE = re.compile(r"^\W*(?:quel(?:le)?s\s+(?:sont|seront|etaient)\s+(?:les|ses|leurs|nos|vos)\s+"
                         r"|quel(?:le)?s\s+(?!sont\b|seront\b|etaient\b)"
                         r"|what\s+are\s+(?:the|its|their|our)\s+)([a-z][a-z-]+)(?:\s+([a-z][a-z-]+))?")
# Where a question names what it asks for: the words after its question word (« quelles sont les valeurs du … »,
# « sur quelles valeurs … », « c'est quoi les … », "what are the group's values", "which values …"), after a verb
# asking for a list (« cite-moi les … », « donne la liste des … », « peux-tu résumer les … », "list …", "name …"), or
# after an ordinal (« la deuxième valeur »: one item of the list). Each read on its own: « explain … what … » holds two.
_WINDOW = r"((?:[\w'-]+\s+){0,3}[\w'-]+)"
_ORDINALS = "|".join(sorted((w for w in ORDINAL_WORDS if w.isascii()), key=len, reverse=True))
_SLOTS = tuple(re.compile(pattern) for pattern in (
    r"\b(?:quel(?:le)?s?|lesquel(?:le)?s)\s+(?:(?:sont|est|etaient|seront|seraient)\s+)?" + _WINDOW,
    r"\bc'est quoi\s+" + _WINDOW,
    r"\b(?:cite[rsz]?|citez|liste[rsz]?|listez|enumere[rsz]?|enumerez|nomme[rsz]?|nommez|donne[rsz]?|donnez|"
    r"resume[rsz]?|resumez|rappelle[rsz]?|rappeler|rappelez|presente[rsz]?|presentez|decri(?:re|s|vez)|"
    r"explique[rsz]?|expliquez)(?:-moi|-nous)?\s+" + _WINDOW,
    r"\b(?:what|which)\s+(?:(?:are|were|is|was)\s+)?" + _WINDOW,
    r"\b(?:list|name|give me|tell me|summari[sz]e|describe|explain)\s+" + _WINDOW,
    r"\b(?:" + _ORDINALS + r")\s+([\w'-]+)",
))
# An English request put as a question (« Can you list … ? », “Could you explain … ?”) asks for the list, not yes or no.
_REQUEST = re.compile(r"(?:^|[.!?]\s+)(?:can|could|would|will) you (?:please )?(?:list|name|give|tell|explain|"
                      r"summari[sz]e|describe|share)\b")
# A question on why or how asks for reasons or a process, not the list (« Pourquoi ces valeurs ? »); « how many »
# asks a figure (`Question.asks`).
_WHY_HOW = re.compile(r"\b(?:pourquoi|comment|why|how(?! (?:many|much|long|old|often)\b))\b")
# Kinds of fact other than a list: a figure, a person, an age, a place.
_OTHER_FACTS = FIGURE_KINDS | {"people", "age", "place"}
# A terse question (« Valeurs principales ? », "Core values?") names what it asks for in its few words.
TERSE_WORDS = 3


def list_nouns(title: str) -> frozenset[str]:
    """The folded noun a section's question asks the list of (« Quelles sont les valeurs du club ? »: valeurs), with
    the adjective before it when there is one (« les grandes dates »); empty for any other question."""
    match = _LIST_TITLE.match(fold(title))  # apostrophes folded too
    if not match:
        return frozenset()
    first, second = match.group(1), match.group(2)
    return frozenset({second} if first in _BEFORE_NOUN and second else {first})


# Determiners that make the noun after them plural in speech (« les valeur » typed without its « s »).
_PLURAL_DETERMINERS = frozenset("les des ses vos tes nos leurs ces mes".split())


def _listed(words: Sequence[str], *, one_item: bool = False) -> list[str]:
    """The words of `words` naming a list: in the plural (its mark, or a plural determiner before it), or any word
    after an ordinal (`one_item`: « la deuxième valeur » asks one item of the list); « la valeur des locaux », “the
    value of”, ask no list."""
    out = []
    for i, word in enumerate(words):
        word = re.sub(r"'s$", "", word)
        plural = (len(word) > 3 and word[-1] in "sx") or (i > 0 and words[i - 1] in _PLURAL_DETERMINERS)
        if one_item or plural:
            out.append(word)
    return out


def _slot_words(question: Question, ignore: frozenset[str]) -> list[str]:
    """The words naming a list where `question` says what it asks for (`_SLOTS`, `_listed`); all its words naming
    one when it is terse."""
    text = question.normalized  # apostrophes folded (`ingest.normalize.fold`)
    ordinal = _SLOTS[-1]
    words = [w for slot in _SLOTS for m in slot.finditer(text)
             for w in _listed(tokens(m.group(1), keep_stopwords=True), one_item=slot is ordinal)]
    content = {t for t in question.terms if t not in ignore}
    if len(content) <= TERSE_WORDS:
        words += _listed(question.words)
    return words


def asks_list_of(question: Question, nouns: frozenset[str], *, ignore: frozenset[str] = frozenset(),
                 translates: Translates | None = None) -> bool:
    """Whether `question` asks for the list of one of `nouns` (folded French nouns, `list_nouns`): an open question
    naming it where it says what it asks for, not a yes/no question, nor one asking a figure, a person, a place, a
    reason or a process (unless another part of it does); `ignore`: the organisation's own name."""
    if not nouns or not question.in_remit or (question.polar and not _REQUEST.search(question.normalized)):
        return False
    # In two parts, the other part may ask the figure, the reason or the process.
    if question.parts < 2 and (question.asks & _OTHER_FACTS or _WHY_HOW.search(question.normalized)):
        return False
    stems = frozenset(stem(n) for n in nouns)
    for word in _slot_words(question, ignore):
        if in_family(stem(word), stems):
            return True
        if question.language != "fr" and any(cognate(word) == cognate(n) or (translates and translates(word, n))
                                              for n in nouns if len(word) > 3):
            return True
    return False


def outline_asked(question: Question, ranked: Sequence[Hit], *, k: int, ignore: frozenset[str] = frozenset(),
                  translates: Translates | None = None) -> list[Evidence]:
    """The headings of the section whose list `question` asks for, among the sections of the `k` passages ranked
    first, each with the passage that holds it (the best-ranked one); empty when it asks for none."""
    if not OUTLINE_ANSWERS:
        return []
    for hit in ranked[:k]:
        chunk = hit.chunk
        if not chunk.outline or any(len(item) < MIN_ITEM for item in chunk.outline):
            continue
        if not asks_list_of(question, list_nouns(chunk.title), ignore=ignore, translates=translates):
            continue
        items = []
        for heading in chunk.outline:
            holder = next((h for h in ranked if h.chunk.section == chunk.section
                           and heading in h.chunk.text.splitlines()), None)
            if holder is None:
                return []  # a heading no passage holds cannot be cited
            items.append(Evidence(heading, holder, holder.score))
        return items
    return []


def with_outline(context: Context, outline: Sequence[Evidence]) -> Context:
    """`context` with the passages holding the outline's headings among its sources (not its prompt: the model reads
    the passages it was given; the headings are quoted and must be cited)."""
    return context.cited([item.hit for item in outline])


def quotes_for(answer: str, evidence: Sequence[Evidence], outline: Sequence[Evidence]) -> list[Evidence]:
    """The quotes under `answer`: the outline's headings it leaves out, then the best sentences it does not cover yet
    (`evidence.to_quote`), MAX_QUOTES in all unless the headings alone are more."""
    missing = [item for item in outline if coverage(item.text, answer) < COVERED]
    said = " ".join([answer, *(item.text for item in missing)])
    return missing + to_quote(said, evidence)[: max(0, MAX_QUOTES - len(missing))]
