"""Which language a question is in: French unless it is clearly English."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ingest.normalize import fold, tokens

# Function words only one of the two languages has ("a", "an", "on" are words of both).
_EN = set("the what how why who is are does do did can could of and to in for with about your you it its when where "
          "which was were has have had been will would should any this that there their they from by at up "
          "not no yes or but if so than then into over under after before many much more most some other our we us "
          "he she his her him my me am be these those own only also very just each".split())
_FR = set("le la les des du de est et que qui quoi pourquoi comment quel quelle sont il elle pour avec un une "
          "au aux ce cet cette ces son sa ses leur leurs nous vous je tu ne pas plus dans sur par ou en y mon ma mes "
          "ton ta tes notre votre nos vos lui eux moi toi quand combien quels quelles sans chez donc mais".split())
# Letters English words never carry: one of them in a question settles it as French.
_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
# Words shorter than this say little about a language (acronyms, "mjc", "ong").
_MIN_WORD = 3


def _plain(word: str) -> str:
    """A word without its plural mark, so "refuges" meets the FAQ's "refuge"."""
    return word[:-1] if len(word) > _MIN_WORD and word[-1] in "sx" else word


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", fold(text)) if len(w) >= _MIN_WORD]


@dataclass(frozen=True)
class Lexicon:
    """The words of a French FAQ (accents folded, plural marks dropped) and the words of its names.

    A terse question made of the FAQ's own words is French even without a function word or an accent
    ("Strategie Cap 2030 ?"); a name says nothing about the language it is asked in. Surface words, not
    the retriever's stems: a stem conflates "tariffs" with "tarif"."""

    words: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    # The FAQ's questions by number (its section titles), which a question may name (`chatbot.numbered`).
    questions: tuple[tuple[int, str], ...] = ()
    # Every word the FAQ writes, its headings, alternative questions and name too: what a misspelt word may stand
    # for (`chatbot.spelling`); empty: `words` and `names`.
    vocabulary: frozenset[str] = frozenset()


def lexicon_of(texts: Iterable[str], names: Iterable[str] = (), questions: Iterable[tuple[int, str]] = (),
               headings: Iterable[str] = ()) -> Lexicon:
    """The Lexicon of a FAQ's texts, `names` (the organisation's) set apart, and its numbered `questions`; its
    `headings` (titles, alternative questions) join the texts' words in its vocabulary only."""
    words = frozenset(_plain(w) for text in texts for w in _content_words(text))
    named = frozenset(_plain(w) for name in names for w in _content_words(name))
    return Lexicon(words, named, tuple(sorted(dict(questions).items())),
                   words | named | frozenset(_plain(w) for text in headings for w in _content_words(text)))


def faq_lexicon(chunks: Iterable, org_terms: Iterable[str]) -> Lexicon:
    """The Lexicon the chatbot reads questions with (`chatbot.question.parse_question`): the words of the FAQ's
    passages, its organisation's name (`org_terms`) apart, its numbered questions, and its headings' words."""
    from chatbot.numbered import numbered_questions

    chunks = list(chunks)
    return lexicon_of((c.text for c in chunks), org_terms, questions=numbered_questions(chunks),
                      headings=[h for c in chunks for h in (c.title, *c.aliases)])


@cache
def _identifier():
    """py3langid's character n-gram model restricted to French and English (loaded once, about 0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["fr", "en"])
    return identifier


# Words rarer than this (Zipf 2: once in ten million words) are left out of the lists: they weigh at most 2 in the
# vote, and keeping them would triple the entries kept (about 100 000 per language instead of 300 000).
RARE = 1e-7


@cache
def _frequencies(language: str) -> dict[str, float]:
    """wordfreq's frequency of every word of `language` (accents folded, the commonest spelling's frequency
    kept, so « activites » typed without its accent meets « activités »); loaded once, at the first terse question."""
    from wordfreq import get_frequency_dict

    folded: dict[str, float] = {}
    for word, frequency in get_frequency_dict(language).items():
        if frequency < RARE:
            continue
        key = fold(word)
        if frequency > folded.get(key, 0.0):
            folded[key] = frequency
    return folded


def known_word(word: str) -> bool:
    """True when wordfreq's French or English list holds `word` (folded, lower case) at RARE or more."""
    return _frequencies("fr").get(word, 0.0) >= RARE or _frequencies("en").get(word, 0.0) >= RARE


def plain_form(word: str) -> str:
    """`word` as a Lexicon holds it: without its plural mark (`_plain`)."""
    return _plain(word)


def preload() -> None:
    """Load the readers of a terse question's language now (wordfreq's lists, py3langid's model: about a second and
    90 MB on 2 cores), so that no visitor's first terse question waits for them; a long-running command calls it."""
    _frequencies("fr")
    _frequencies("en")
    _identifier()


def _zipf(frequency: float) -> float:
    """A frequency on the Zipf scale (log10 of occurrences per billion words; 0 for a word never seen)."""
    return math.log10(frequency * 1e9 + 1)


def frequency_vote(words: Iterable[str]) -> float:
    """How much more French than English `words` are (folded, lower case): the sum over them of their Zipf
    frequency in French minus that in English, from wordfreq's lists of many texts of both languages. Positive:
    French; negative: English; 0 when no word is known to either list (names, typos)."""
    french, english = _frequencies("fr"), _frequencies("en")
    return sum(_zipf(french.get(w, 0.0)) - _zipf(english.get(w, 0.0)) for w in words)


def _without_function_words(text: str, lexicon: Lexicon) -> str:
    """The language of a question with no function word of either language ("Fondation Lumière shareholders?").

    How common its words are in each language decides (« Lobbying, plaidoyers ? » is French by « plaidoyers »,
    « Commercial activities? » English by « activities »: the share of FAQ words misreads a French word the FAQ
    never uses, « Notoriete faible ? », and an English word it borrowed). When no word is in either list, the share
    of its words the FAQ uses decides; at one half, or with no lexicon, a character n-gram model trained on many
    texts of both languages does."""
    typed = [w for w in _content_words(text) if _plain(w) not in lexicon.names]  # as typed, for the word lists
    words = [_plain(w) for w in typed]
    if not words:
        return "fr"
    vote = frequency_vote(typed)
    if vote:
        return "fr" if vote > 0 else "en"
    unknown = sum(w not in lexicon.words for w in words)
    if lexicon.words and unknown * 2 != len(words):
        return "en" if unknown * 2 > len(words) else "fr"
    return "en" if _identifier().classify(text)[0] == "en" else "fr"


def detect(text: str, lexicon: Lexicon | None = None) -> str:
    """`en` when English function words clearly outnumber French ones, else `fr`.

    A short question may hold a single English function word ("Does Fondation Lumière pay dividends?"): it is English
    when it holds no French function word and no letter only French uses. One with no function word at all is
    read from its words (`lexicon`: the FAQ's, see lexicon_of)."""
    words = tokens(text, keep_stopwords=True)
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR for w in words)
    if en >= 2 and en > 1.5 * fr:
        return "en"
    if _FRENCH_LETTERS.search(text) or fr:
        return "fr"
    return "en" if en == 1 else _without_function_words(text, lexicon or Lexicon())


# Words that settle which language a sentence is in: the function words of either language and the answer particles
# (« Non [1]. » answers in French). A text without one ("12 refuges", an e-mail address) is in no language to check.
_TELLING = _EN | _FR | {"oui", "non", "yes", "no"}
# Quotations of the FAQ keep its language inside an answer given in another one.
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”")


def tells_language(text: str) -> bool:
    """True when `text` holds a word that settles its language (a function word, oui/non/yes/no): a terse
    question without one ("Refuges, horaires ?") is only guessed at, and its answer's language not held to it."""
    return any(w in _TELLING for w in tokens(text, keep_stopwords=True))


def outside_quotations(text: str) -> str:
    """`text` without its « … » and “ … ” quotations (of the FAQ, in an answer): what is in its own words."""
    return _QUOTED.sub(" ", text)


def answer_language(text: str) -> str | None:
    """The language an answer is written in, judged outside its quotations of the FAQ; None when its words do not
    tell (see tells_language)."""
    own = outside_quotations(text)
    return detect(own) if tells_language(own) else None
