"""Deciding, before any LLM call, whether the FAQ can answer a question, from evidence.

A small model answers off-topic questions and puts the budget where a head-count was asked if left to its
goodwill, so refusals rest on measurable signals about the retrieved passages, not on words of the question:
- the request is not a question (it tries to change the assistant's role, obtain its instructions, or asks for a
  poem, code or a translation): `Question.task`, a narrow grammatical class;
- retrieval finds nothing close (the score threshold is chosen on the `tune` cases);
- the question names something the FAQ never mentions ("le budget des Restos du cœur");
- the kind of fact asked (a count, an amount, a percentage, a date, who holds a role) is absent from the passages
  about the question, or is there only for another year than the one asked (the sentences that answer best
  carry 2023, the question asks for 2026).
A question that presupposes what the passages deny ("combien de succursales en Savoie ?" where the FAQ says
"le club n'a aucune succursale") is answered, by correcting it: `Decision.premise` names what is denied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from chatbot.accounts import other_account
from chatbot.claims import counts_persons, heads_named, in_family, roles, roles_heading, stems_of
from chatbot.counted import FAMILY_PREFIX, PERSONS, cognate
from chatbot.negation import denied_terms, singular
from chatbot.numbers import ARTICLE_NUMBERS, NUMBER_WORDS
from chatbot.question import EN_PHRASE_END, TASKS, Question, as_question, figure_clauses, name_runs
from chatbot.rankings import RankedLine, ranked_lines, stated_positions
from chatbot.reasons import Reason
from chatbot.settings import Thresholds
from index.retriever import Evidence, Hit
from ingest.chunker import passage_sentences
from ingest.normalize import STOPWORDS, fold, stem, tokens
from ingest.profile import contact_kinds

# A figure asked for a place or a body the FAQ never names is refused (kept switchable for measurement).
FIGURE_PLACES = True
# In a question of several parts, that figure is a caveat and the rest is answered (kept for measurement: off, the
# question is refused whole, as before 7 December).
PLACE_CAVEAT = True
CONTACT_HOLDERS = True  # a person's contact detail the FAQ's contact lines never give is refused (for measurement)
# Answerable questions score above the off-topic threshold unless they name one of the FAQ's own names; off-topic
# requests score below it. `faqbot calibrate` derives it from the `tune` cases (chatbot/settings.py: Thresholds).
OFF_TOPIC_SCORE = Thresholds().off_topic
# The sentences that answer a question with a year are those ranked within this cosine of the best one (at most
# YEAR_EVIDENCE of them): the year asked must be among theirs.
YEAR_EVIDENCE = 3
YEAR_MARGIN = 0.08

_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# How many words on either side of a noun a figure may stand and count it (« 12 refuges de montagne »).
COUNT_WINDOW = 4
_MONEY = re.compile(r"\b(?:euros?|eur|million|milliard|millions|milliards|k€|m€)\b|€")


@dataclass(frozen=True)
class Decision:
    """Whether to answer, and if not, why (a short machine-readable reason and a French explanation).

    `premise` holds the stems of what the question presupposes and the passages deny: the answer corrects it.
    `caveat` says what part of a question in several parts the FAQ does not answer."""

    answer: bool
    reason: str = ""
    detail: str = ""
    premise: tuple[str, ...] = ()
    caveat: str = ""  # what a question of several parts asks that the FAQ does not give (the rest is answered)
    missing: str = ""  # the kind of fact asked that the passages lack, when that is the refusal: percent, amount


_NAME_IN_FAQ = re.compile(r"(?:(?<=[\w,;:] )|(?<=\w-))[A-ZÀ-Ý][\wÀ-ÿ-]{3,}|\b[A-Z]{3,}\b")
_LOWER_WORD = re.compile(r"(?<![\wÀ-ÿ'’-])[a-zà-ÿ][\wà-ÿ]{3,}")


def faq_names(chunks: Sequence, org_terms: Iterable[str] = ()) -> frozenset[str]:
    """Stems of the FAQ's own names: words capitalised inside a sentence, and acronyms (minus the organisation's
    own name, which every question about it carries)."""
    words = {w for c in chunks for w in _NAME_IN_FAQ.findall(c.text)}
    # A word the FAQ also writes in lower case is a common noun capitalised by position ("Conseil", "Social").
    common = {stem(t) for c in chunks for w in _LOWER_WORD.findall(c.text) for t in tokens(w)}
    return frozenset(stem(t) for w in words for t in tokens(w) if len(t) > 3) - common - {stem(t) for t in org_terms}


# A name: capitalised words, maybe joined by the particles names use ("Amis du Rail", "Restos du Cœur").
_RUN = re.compile(r"\b[A-ZÀ-Ý][\wÀ-ÿ-]*(?:\s+(?:(?:de|du|des|de la|d'|et|&)\s*)?[A-ZÀ-Ý][\wÀ-ÿ-]*)+")


def organisation_terms(chunks: Sequence) -> frozenset[str]:
    """The words of the name the FAQ repeats most (its organisation: "Fondation Lumière"), folded: every question about
    it carries them, so they tell nothing about what is asked. (An organisation profile may name it instead.)"""
    counts: dict[str, int] = {}
    for text in [c.text for c in chunks] + sorted({c.title for c in chunks}):
        for run in _RUN.findall(text):
            words = tokens(run)
            for size in (2, 3):  # the organisation's name: the most repeated run of two or three name words
                for i in range(len(words) - size + 1):
                    key = " ".join(words[i : i + size])
                    counts[key] = counts.get(key, 0) + 1
    if not counts:
        return frozenset()
    best = max(counts, key=lambda k: (counts[k], len(k)))
    return frozenset(best.split())


def speaker_terms(profile_forms: Iterable[str], chunks: Sequence) -> frozenset[str]:
    """The organisation's own words: from its profile's name forms when it has a name, else read from the FAQ."""
    return frozenset(w for form in profile_forms for w in form.split()) or organisation_terms(chunks)


def retriever_terms(retriever) -> frozenset[str]:
    """`speaker_terms` of a retriever's FAQ: its index's profile (none in the tests' retrievers) and its chunks."""
    profile = getattr(retriever, "profile", None)
    return speaker_terms(profile.name_forms if profile else (), retriever.chunks)


# A follow-up is about another subject when more than this share of its content words, and at least this many, are
# foreign to the FAQ (the light stemmer misses some conjugations: "vendent", so one or two unknown words prove
# nothing).
FOREIGN_SHARE = 0.5
FOREIGN_MIN = 3
# Words of spoken French that carry no subject ("c'est quoi", "alors", "sinon").
_SPOKEN = {stem(w) for w in ("quoi", "alors", "sinon", "donc", "bref", "voila", "ok", "okay", "bon")}


# Words naming the document and the assistant themselves: « Que dit la FAQ sur … ? » speaks of no other subject,
# whether or not the FAQ ever writes its own name.
DOCUMENT_WORDS = frozenset(stem(w) for w in ("faq", "f.a.q", "foire", "questions", "document", "assistant",
                                             "chatbot", "bot"))


def faq_vocabulary(chunks: Sequence) -> frozenset[str]:
    """Every word stem the FAQ uses (text, titles and paraphrases), in matching form, and the words naming the FAQ
    itself (DOCUMENT_WORDS)."""
    return DOCUMENT_WORDS | frozenset(stem(w) for c in chunks for text in (c.text, c.title, *c.aliases)
                                      for w in tokens(text, keep_stopwords=True))


# A name after a preposition of place ("à Bordeaux", "en Gironde", "dans les Landes", "in Paris").
_PLACED = re.compile(r"\b(?:a|au|aux|en|dans|vers|pres de|sur|in|at|near)\s+(?:l'|la\s+|le\s+|les\s+)?([a-z][a-z-]+)")


def rare_term_match(question: Question, hits: Sequence[Hit], names: frozenset[str] | set[str]) -> bool:
    """True when the question names one of the FAQ's own names found in a retrieved passage: "ferrotheque c quoi"
    scores low by embedding, yet the FAQ answers it. (Rare common nouns do not count: "capitale" is in the
    FAQ, as in "capital social", which says nothing about the capital of Japan.)"""
    found = {stem(w) for h in hits for w in tokens(h.chunk.text)}
    # A place the question is set in is no subject: « Quel temps fera-t-il demain à Bordeaux ? » is not about the
    # FAQ's Bordeaux office.
    placed = set(_PLACED.findall(fold(question.text)))
    return any(stem(w) in names and stem(w) in found and w not in placed for w in question.words if len(w) > 3)


def unknown_places(question: Question, vocabulary: frozenset[str]) -> list[str]:
    """Names after a preposition of place (« à Marseille », "in Brussels") that the FAQ never uses in any form; a
    capitalised common word ("by Phone", "the Head Office") is no place, nor a lower-case word (« en ligne »)."""
    named = {fold(w) for name in question.names for w in tokens(name, keep_stopwords=True)}
    return [w.capitalize() for w in _PLACED.findall(fold(question.text)) if w in named and stem(w) not in vocabulary]


# Titles before a name or a role (« Monsieur Dupont », « Mme la présidente »): a way of speaking, not a subject.
HONORIFICS = frozenset({"monsieur", "madame", "mademoiselle", "messieurs", "mesdames", "mme", "mmes", "mlle", "mlles",
                        "mr", "mrs", "ms", "miss", "sir", "dr", "docteur", "maitre", "professeur", "pr"})


def _name_words(name: str) -> list[str]:
    """The words of a name that can tell it apart: folded, without digits, single letters and titles."""
    return [w for w in tokens(name, keep_stopwords=True) if len(w) > 1 and not w.isdigit() and w not in HONORIFICS]


def unknown_names(question: Question, vocabulary: frozenset[str], names: Sequence[str] | None = None) -> list[str]:
    """Names in the question (capitalised inside a sentence, or acronyms; `names` when given) that the FAQ never uses
    in any form: "le budget des Restos du cœur" is about another organisation, whatever retrieval scores."""
    out = []
    for name in question.names if names is None else names:
        words = _name_words(name)
        if words and not any(stem(w) in vocabulary for w in words):
            out.append(name)
    return out


@lru_cache(maxsize=8)
def cognate_keys(vocabulary: frozenset[str], min_len: int = 0) -> frozenset[str]:
    """The cognate keys (`cognate`: first FAMILY_PREFIX letters) of the FAQ's stems of `min_len` letters or more,
    read once per vocabulary (a frozenset keeps its hash)."""
    return frozenset(v[:FAMILY_PREFIX] for v in vocabulary if len(v) >= min_len)


def unknown_translated_names(question: Question, vocabulary: frozenset[str]) -> list[str]:
    """In a question in another language than the FAQ's, the names (runs of capitalised words: « Red Cross », « Doctors
    Without Borders ») none of whose words the FAQ uses, as written or as a cognate (its first letters, `cognate`):
    "Executive Board" translates the FAQ's « exécutif » and is known; "Oxfam" is another organisation."""
    keys = cognate_keys(vocabulary, 4)
    out = []
    for name in name_runs(question.text):
        words = _name_words(name)
        if words and not any(stem(w) in vocabulary or (len(w) >= 4 and cognate(w) in keys) for w in words):
            out.append(name)
    return out


# A capitalised word after an elided article or preposition (« gares d'Italie », « l'Océanie »), which the question's
# names (`Question.names`: after a space or a hyphen) leave out.
_ELIDED_NAME = re.compile(r"\b[dlDL]['’]([A-ZÀ-Ý][\wÀ-ÿ-]{2,})")


def unknown_figure_names(question: Question, vocabulary: frozenset[str]) -> list[str]:
    """What a question asking for a figure restricts it to that the FAQ never names: a place or a body (« combien de
    bénévoles en Savoie ? », « dans combien de gares d'Italie ? », "how many volunteers in Belgium?"), whose figure is not
    the FAQ's total. Only in the clauses asking the figure (`figure_clauses`: the scene set before it is no
    restriction); in French any such name, in another language only a place after a preposition (an English
    question capitalises the words it translates from the FAQ: "Executive Board")."""
    asking = figure_clauses(question.text)
    if not asking:
        return []
    if question.language != "fr":
        return [place for place in unknown_places(question, vocabulary) if fold(place) in fold(asking)]
    return unknown_names(question, vocabulary, [*name_runs(asking), *_ELIDED_NAME.findall(asking)])


# Capitalised words in a row, "de" allowed inside ("Maison d'Accueil Lumière"); not "du", which attaches a name
# to the organisation ("le SIRET du Club Azur").
_NAME_RUN = re.compile(r"\b[A-ZÀ-Ý][\wÀ-ÿ-]*(?:\s+(?:d['’]|de\s+)?[A-ZÀ-Ý][\wÀ-ÿ-]*)+")


# A step the user asks how to take himself that no sentence of the passages describes is refused (kept for measurement,
# see docs/quality.md, « The second stop of 8 December »): « Comment postuler … ? » is not answered by how associations
# join the organisation.
STEPS_DESCRIBED = True
# A comparison with another organisation the FAQ never names is refused (kept for measurement).
COMPARISONS_REFUSED = True
# What the organisation is compared with: the words after « plus / moins / mieux … que », « meilleur que »,
# « comparé à », « par rapport à », « contrairement à », "than", "compared to / with", "versus", up to the clause's end.
_COMPARED = re.compile(
    r"\b(?:plus|moins|aussi|autant|mieux|davantage|meilleure?s?|pire|supérieure?s?|inférieure?s?)\b[^?!.;]{0,80}?"
    r"\bqu(?:e\s+|['’])(?P<fr>[^?!.;,]{1,60})"
    r"|\b(?:comparée?s?|par rapport|contrairement)\s+(?:à|au|aux|avec)\s+(?P<also>[^?!.;,]{1,60})"
    r"|\b(?:than|compared (?:to|with)|versus|vs\.?)\s+(?P<en>[^?!.;,]{1,60})", re.IGNORECASE)
# A name in what is compared: capitalised words in a row (« Croix-Rouge », « Secours populaire » by its first word),
# or an acronym.
_COMPARED_NAME = re.compile(r"\b[A-ZÀ-Ý][\wÀ-ÿ-]+(?:\s+(?:d['’]|de\s+)?[A-ZÀ-Ý][\wÀ-ÿ-]+)*")


def compared_names(question: Question, vocabulary: frozenset[str]) -> list[str]:
    """The names the question compares the organisation with that the FAQ never uses, in any form (in another
    language, not even as a cognate): « Le club est-il plus grand qu'Emmaüs ? », "Is it larger than Oxfam?". The FAQ
    compares the organisation with none of them, whatever it says of its own size; a comparison with what the FAQ
    names (« … plus connu que les autres acteurs de l'économie sociale ? ») is a question like any other."""
    if not COMPARISONS_REFUSED:
        return []
    keys = cognate_keys(vocabulary, 4)
    out = []
    for match in _COMPARED.finditer(question.text):
        compared = match.group("fr") or match.group("also") or match.group("en")
        for name in _COMPARED_NAME.findall(compared):
            words = _name_words(name)
            known = any(stem(w) in vocabulary or (question.language != "fr" and len(w) >= 4 and cognate(w) in keys)
                        for w in words)
            if words and not known:
                out.append(name)
    return out


def other_organisations(question: Question, vocabulary: frozenset[str], org_terms: frozenset[str]) -> list[str]:
    """Names that hold a word of the organisation's name and a word the FAQ never uses: another organisation
    ("Lumière Voyages", "Lumière Santé" beside the Fondation Lumière), whose address or budget is not the FAQ's. The
    whole name with a word spelt in another language or mistyped is the organisation's (« Círculo Azur » for the
    Cercle Azur)."""
    out = []
    first = len(question.text) - len(question.text.lstrip(" \"'«“([-*"))  # where the question's first word starts
    for run in _NAME_RUN.finditer(question.text):
        # Stems, as `org_terms` and the vocabulary are.
        stems = [stem(w) for w in tokens(run.group(0), keep_stopwords=True) if len(w) > 1 and not w.isdigit()]
        if run.start() == first and len(stems) > 1 and set(stems[1:]) == org_terms:
            # The first word is capitalised as every question's is: before the organisation's whole name it is the
            # subject asked of it (« Naissance Club Azur ? »), not another organisation (« Voyages Azur » is one).
            stems = stems[1:]
        named = org_terms & set(stems)
        other = [s for s in stems if s not in org_terms and s not in vocabulary]
        if not named or not other:
            continue
        # The organisation's whole name with a word of it spelt in another language or mistyped is no other name.
        spelt = {_org_word_spelt(s, org_terms) for s in other}
        if None in spelt or named | spelt != org_terms:
            out.append(run.group(0))
    return out


def _skeleton(word: str) -> str:
    """A word's consonants, a doubled one once (« gruppo » -> « grp »): what stays when a name is spelt in another
    language or mistyped, its vowels changed (« grupo », « gruppe ») or a letter doubled."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", word))


def _org_word_spelt(word: str, org_terms: frozenset[str]) -> str | None:
    """The word of the organisation's name (a stem) that `word` (a stem) spells another way, None when none: the same
    first letter and consonants, four letters or more each (« Círculo », « Circolo » for « Cercle »; not « Cirque »,
    nor a short word such as an acronym, which must be exact)."""
    return next((term for term in sorted(org_terms) if len(word) >= 4 and len(term) >= 4 and term[0] == word[0]
                 and _skeleton(word) == _skeleton(term)), None)


def foreign_to_faq(question: Question, scope: Scope) -> bool:
    """True for a French question most of whose content words (at least three) the FAQ never uses: a follow-up such
    as "Ok. Et la météo à Lyon demain ?" asks about something else, whatever was said before, and is judged alone
    rather than joined to the conversation. (English questions are not judged: the FAQ's vocabulary is French.)"""
    if question.language != "fr" or not scope.vocabulary:
        return False
    focus = _focus(question, scope.org_terms) - _SPOKEN
    unknown = {t for t in focus if t not in scope.vocabulary}
    return len(unknown) >= FOREIGN_MIN and len(unknown) > FOREIGN_SHARE * len(focus)


def _focus(question: Question, org_terms: frozenset[str]) -> set[str]:
    """Stems of what the question is about: its content words, minus the organisation's own name and question
    words."""
    return _content(question.terms, org_terms)


def _content(terms: Iterable[str], org_terms: frozenset[str]) -> set[str]:
    """The stems of `terms` that say what is asked about (not the organisation's name, question words, digits)."""
    return {t for t in terms if len(t) > 2 and not t.isdigit()} - org_terms - _QUESTION_STEMS


def _who_focus(question: Question, org_terms: frozenset[str]) -> set[str]:
    """Stems of what a question asking who is about, read in its who-clause (`Question.who`): « Explique-moi comme
    à un enfant qui dirige le club » asks no role of a child."""
    if not question.who:
        return _focus(question, org_terms)
    return _content((stem(w) for w in tokens(question.who) if w not in STOPWORDS), org_terms)


_QUESTION_STEMS = {stem(w) for w in ("combien", "nombre", "quel", "quelle", "chaque", "annee", "an", "actuel",
                                     "aujourd'hui", "fois", "age", "moyenne", "what", "how", "many", "much", "which",
                                     "old", "average", "temps", "duree", "long")}
# An age in the passages: a year (of birth, of founding) or a number of years.
_AGE = re.compile(r"\b(?:19|20)\d{2}\b|\b\d+\s*(?:ans|years?)\b")
# A duration in the passages: a number of a unit of time, or a year bounding a period, where it starts (« depuis
# 1998 ») or ends (« jusqu'en 2030 », « d'ici 2030 »); a year alone dates an event (« en 2019, le club a ouvert deux
# antennes ») and says nothing of how long.
_DURATION = re.compile(r"\b(?:\d+|" + "|".join((*ARTICLE_NUMBERS, *NUMBER_WORDS)) + r")\s*"
                       r"(?:ans?|annees?|mois|semaines?|jours?|heures?|years?|months?|weeks?|days?|hours?)\b")
_SINCE_YEAR = re.compile(r"\b(?:depuis|des|since)\s+(?:\w+\s+)?(?:19|20)\d{2}\b")
_UNTIL_YEAR = re.compile(r"\b(?:jusqu'(?:en|a)|d'ici|until|till|through)\s+(?:\w+\s+)?(?:19|20)\d{2}\b")


def gives_duration(text: str, elapsed: bool | None = None) -> bool:
    """`text` states how long something lasts or has lasted (see `_DURATION`); a duration up to now (`elapsed`) is
    not given by where a period ends, nor one that is not (« combien de temps faut-il… ») by where one started."""
    folded = fold(text).replace("’", "'")
    return bool(_DURATION.search(folded) or (elapsed is not False and _SINCE_YEAR.search(folded))
                or (elapsed is not True and _UNTIL_YEAR.search(folded)))


def _about(sentence: str, focus: set[str]) -> bool:
    words = {stem(w) for w in tokens(sentence)}
    return bool(focus & words) or any(len(f) >= 5 and any(w.startswith(f) for w in words) for f in focus)


def _about_cognates(sentence: str, focus: set[str]) -> bool:
    """Whether a sentence holds a cognate of a focus word (`cognate`: « profits » and « profit »s, « invested » and
    « investis »), as a translated question names the FAQ's words."""
    words = {cognate(w) for w in tokens(sentence) if len(w) >= 4}
    return any(cognate(f) in words for f in focus if len(f) >= 4)


def _around(passages: Sequence[str], focus: set[str]) -> list[str]:
    """The sentences about `focus` and their neighbours in the same passage."""
    out: list[str] = []
    for passage in passages:
        sentences = passage_sentences(passage)
        keep = {j for i, s in enumerate(sentences) if _about(s, focus) for j in (i - 1, i, i + 1)}
        out.extend(s for j, s in enumerate(sentences) if j in keep)
    return out


def _noun_stem(noun: str) -> str:
    """The stem of the first word of a (maybe hyphenated) noun: `vice-présidents` -> `vice`."""
    words = tokens(noun, keep_stopwords=True)
    return stem(words[0]) if words else ""


def _noun_prefix(target: str) -> str:
    """The leading letters a word's stem shares with the noun stem `target` to be the same noun (plural, gender)."""
    return target[: max(4, len(target) - 2)]


def _mentions(sentence: str, target: str) -> bool:
    return any(stem(w).startswith(_noun_prefix(target)) for w in tokens(sentence, keep_stopwords=True))


# How many members (or people) a body has, asked where the FAQ gives its composition by role holders (« un président et 9
# vice-présidents »): a sentence naming the body the question names and counting holders of a role gives the count.
# Kept for measurement: off, such a question is refused when the FAQ speaks of members elsewhere without a figure.
PERSON_COUNTS = True


def _holders_counted(question: Question, noun: str, sentences: Sequence[str], org_terms: frozenset[str]) -> bool:
    """True when `noun` counts persons (« membres », "people") and one of `sentences` names a body the question names,
    the organisation's own name aside, and counts the holders of a role (`claims.counts_persons`)."""
    if not PERSON_COUNTS or fold(noun) not in PERSONS:
        return False
    named = {stem(fold(w)) for n in question.names for w in tokens(n)} - {stem(t) for t in org_terms} - set(org_terms)
    return bool(named) and any(named & {stem(w) for w in tokens(s)} and counts_persons(s) for s in sentences)


def _near_figures(sentences: Iterable[str], window: int = COUNT_WINDOW) -> frozenset[str]:
    """The stems of every word within `window` words of a figure in one of `sentences`: what they count."""
    near = set()
    for sentence in sentences:
        words = tokens(sentence, keep_stopwords=True)
        for i, word in enumerate(words):
            if _NUMBER.fullmatch(word):
                near.update(stem(w) for w in words[max(0, i - window) : i + window + 1])
    return frozenset(near)


def counted_stems(texts: Iterable[str]) -> frozenset[str]:
    """What a FAQ counts somewhere: the stems of the words near a figure in any sentence of `texts`."""
    return _near_figures(s for text in texts for s in passage_sentences(text))


def _counts(noun: str, near: frozenset[str]) -> bool:
    """Whether `noun` (a noun stem's forms: plural, gender) is among the stems `near` a figure (`_near_figures`)."""
    target = _noun_stem(noun)
    return bool(target) and any(s.startswith(_noun_prefix(target)) for s in near)


# A person's name: two or more capitalised words in a row ("Marie Dubois"), none of which the FAQ also writes
# in lower case (that would make it a title or a body: "Assemblée Générale", "Conseil Régional").
_PERSON = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?(?:\s+[A-ZÀ-Ý][a-zà-ÿ]{2,}){1,2}\b")


def people(sentence: str, lower: frozenset[str]) -> list[tuple[str, int]]:
    """The people named in a sentence, with where each name starts."""
    found = []
    for match in _PERSON.finditer(sentence):
        words = tokens(match.group(0), keep_stopwords=True)
        if not any(w in STOPWORDS or stem(w) in lower for w in words):
            found.append((match.group(0), match.start()))
    return found


# Verbs of leading and the plain words for "the one in charge" (a class of the language): « qui dirige
# l'association ? », « c'est qui le patron ? » ask for whoever leads, named with any role; « le patron des ateliers »
# still needs a person named with that role.
_LEAD_VERBS = {stem(w) for w in ("dirige", "preside", "gere", "pilote", "mene", "conduit", "run", "runs", "lead",
                                 "leads", "head", "heads", "chair", "chairs", "manage", "manages", "tete", "patron",
                                 "patronne", "chef", "cheffe", "boss", "dirigeant", "dirigeante")}
_NOT_ROLE = {stem(w) for w in ("qui", "est", "sont", "nom", "noms", "nommement", "who", "name", "names", "appelle",
                               "etait", "actuel", "actuellement", "aujourd'hui", "current", "currently")}
# Where the role given to a name stops: punctuation (but not the parenthesis that opens the name) or a conjunction.
_ROLE_STOP = re.compile(r"[.;:!?,)]|\bet\b|\band\b")


def role_holder_named(question: Question, sentences: Sequence[str], lower: frozenset[str],
                      org_terms: frozenset[str]) -> bool:
    """True when some sentence names a person with the role asked: the words right before the name (back to the
    previous clause) or right after it (to the next) hold most of the question's role words. "Présidente du
    bureau (Marie Dubois)" answers "qui préside le bureau ?", not "qui sont les vice-présidents ?"
    nor "qui est la directrice de la communication ?"."""
    # An English question names the role in English: the French FAQ cannot be matched word for word, so a person
    # it names will do when the person holds the role asked, read through the role nouns of both languages (« Who is
    # the treasurer? » is not answered by a president); any person, when the question names no role noun.
    role = set() if question.language != "fr" else _who_focus(question, org_terms) - _NOT_ROLE - _LEAD_VERBS
    keys = [] if question.language == "fr" else [(k, of) for k, of in roles_heading(question.text) if k != "membre"]
    for sentence in sentences:
        for name, start in people(sentence, lower):
            if keys and not any(heads_named(sentence, name, k, of, org_terms) for k, of in keys):
                continue
            before = _ROLE_STOP.split(sentence[:start].rstrip(" (").rstrip())[-1]
            rest = sentence[start + len(name):]
            after = _ROLE_STOP.split(rest.lstrip(" ,"), maxsplit=1)[0] if rest.lstrip().startswith(",") else ""
            stems = {stem(w) for w in tokens(f"{before} {after}")}
            found = sum(any(s[:5] == r[:5] for s in stems) for r in role)
            if found >= _needed(len(role)):
                return True
    return False


# The role words a name's own role must hold: more than half of them (kept for measurement; else half). Two role words
# are both needed: « directeur de la communication » is not held by a « Président du Directoire », whose role
# shares the root of one of them.
ROLE_MAJORITY = True


def _needed(words: int) -> int:
    """How many of a question's `words` role words the role given to a name must hold."""
    if not words:
        return 0
    return words // 2 + 1 if ROLE_MAJORITY else (words + 1) // 2


# Endings of a French verb's forms, after its root ("siég-ent", "compos-ée", "gèr-ent", "fond-é"): enough to find
# the verb of the question in a sentence without an inflection table.
_VERB_ENDINGS = ("e", "es", "ent", "ee", "ees", "ait", "aient", "ant", "er", "era", "eront", "ons", "ez", "i", "it",
                 "is", "issent")


def _verb_forms(verb: str) -> set[str]:
    """The forms of a folded French verb, given in the third person ("siege") or the infinitive ("valider",
    "mettre"): its root with each ending, and the bare root of « il met » (a doubled consonant made single)."""
    root = verb[:-2] if len(verb) > 4 and verb.endswith(("er", "ir", "re")) else verb.removesuffix("e")
    bare = root[:-1] if len(root) > 3 and root[-1] == root[-2] else root
    return {root + ending for ending in _VERB_ENDINGS} | {bare}


# The auxiliary before a passive participle, and the words that bring its agent (« composé de », « défini par »).
_PASSIVE_AUX = frozenset("ete est sont etait etaient fut furent sera seront".split())
_AGENT = frozenset(("par", "de", "d'", "du", "des"))


def _says_who(sentence: str, forms: set[str]) -> bool:
    """`sentence` carries one of the verb `forms` saying who acts: an active verb, or a passive one with its agent;
    « le club a été fondé en 1998 » dates the founding and names no founder."""
    words = re.findall(r"[\w-]+'?", fold(sentence).replace("’", "'"))
    return any(w in forms and not (i and words[i - 1] in _PASSIVE_AUX
                                   and (i + 1 >= len(words) or words[i + 1] not in _AGENT))
               for i, w in enumerate(words))


def actor_described(question: Question, sentences: Sequence[str], org_terms: frozenset[str]) -> bool:
    """True when a sentence about the question's subject carries the verb of « qui <verbe> … » saying who acts:
    « qui siège au conseil ? » is answered by « deux représentants, qui siègent au conseil », a body or a group that
    the FAQ describes rather than a person it names."""
    if not question.actor_verb:
        return False
    forms = _verb_forms(question.actor_verb)
    focus = _who_focus(question, org_terms) - _NOT_ROLE - {stem(question.actor_verb)}
    return any(_says_who(s, forms) and _about(s, focus) for s in sentences)


# « Qui gère les refuges ? », « qui s'occupe des écoles de voile ? »: who is asked of a field of activity, and the FAQ
# may answer by the body of the organisation it names beside that field (« … refuges… (Club Azur Montagne) »), no
# person. Kept for measurement (docs/quality.md).
BRANCH_ANSWERS = True
# The words that say someone is in charge (« s'occupe de », « en charge de », « responsable de »): not the field.
_CHARGE_WORDS = {stem(w) for w in ("occupe", "occupent", "charge", "chargee", "charges", "responsable", "responsables",
                                   "responsabilite", "prend", "prennent", "sein")}
# A run of capitalised words (« Club Azur Jeunesse »): one holding the organisation's name and another word is one of
# its bodies.
_CAPITALISED = re.compile(r"[A-ZÀ-Ý][\w’'.-]*(?:\s+[A-ZÀ-Ý][\w’'.-]*)+")


def branches(sentence: str, org_terms: frozenset[str]) -> list[set[str]]:
    """The bodies of the organisation `sentence` names (its name and more words, « Club Azur Jeunesse »), each as the
    stems of its own words (« jeunesse »)."""
    name = {stem(t) for t in org_terms}  # its words or their stems, as the caller holds them
    out = []
    for run in _CAPITALISED.findall(sentence):
        words = [fold(w) for w in re.findall(r"[\w-]+", run)]
        own = {stem(w) for w in words if stem(w) not in name and w not in STOPWORDS}  # « Le Club Azur » is no body
        if name and name <= {stem(w) for w in words} and own:
            out.append(own)
    return out


def branch_in_charge(question: Question, sentences: Sequence[str], org_terms: frozenset[str],
                     vocabulary: frozenset[str] | None = None) -> bool:
    """True when a question asking who, or which of the organisation's units, is in charge of a field, and naming no
    role (« Qui gère les refuges du club ? », « Quelle association du club gère … ? », not « Qui dirige Club Azur Mer ? »
    nor « qui est le trésorier ? »), is answered by a body of the organisation that a sentence names beside every word
    of that field, or whose name is the field itself (in any form of its word; in English, by cognates of the body's
    own name only). With the FAQ's `vocabulary`, a field holding a word the FAQ never uses has no body in it."""
    field = field_in_charge(question, org_terms, vocabulary)
    return bool(field) and any(body_named_for(s, field, org_terms, english=question.language != "fr")
                               for s in sentences)


def field_in_charge(question: Question, org_terms: frozenset[str],
                    vocabulary: frozenset[str] | None = None) -> frozenset[str]:
    """The field a question asks who, or which unit, is in charge of (`branch_in_charge`): its stems, their cognate
    keys in English; empty when the question asks no such thing, or the field holds a word the FAQ never uses."""
    english = question.language != "fr"
    if not BRANCH_ANSWERS or (english and not ENGLISH_FIELDS) or any(k != "responsable" for _, k in roles(question.text)):
        return frozenset()
    unit = unit_asked(question)
    if not unit and not _asks_in_charge(question):
        return frozenset()
    if english and not unit and {stem(w) for w in tokens(question.text)} & _EN_UNITS:
        # “Who is the head of the sailing branch?” names the body and asks who leads it, not which body is in charge
        # of a field (« Qui dirige Club Azur Mer ? » in French, set aside by its capitalised name).
        return frozenset()
    field = (_who_focus(question, org_terms) - _NOT_ROLE - _LEAD_VERBS - _CHARGE_WORDS - _bodies_named(question, org_terms)
             - {stem(t) for t in org_terms} - (unit | _BELONGS if unit else set()) - (_EN_CHARGE if english else set()))
    if english:
        # The French FAQ is read through cognates (“cultural” / « Culture », “nautical” / « nautiques »).
        field = {cognate(f) for f in field if len(f) >= 3}
        known = cognate_keys(vocabulary) if vocabulary else frozenset()
    if not field or (KNOWN_FIELDS and vocabulary and not all(
            f in known if english else _field_word_in(f, vocabulary) for f in field)):
        # « Qui gère les services informatiques ? »: a body named « Club Azur Services » is not in charge of a field
        # the FAQ never speaks of, though it shares a word with it.
        return frozenset()
    return frozenset(field)


def body_named_for(sentence: str, field: frozenset[str], org_terms: frozenset[str], *, english: bool = False) -> bool:
    """True when `sentence` names a body of the organisation in charge of `field` (`field_in_charge`): a body named
    after it, or named beside every word of it."""
    bodies = branches(sentence, org_terms)
    if not bodies:
        return False
    if english:
        # Only the body's own name: a field of one generic word (“IT services”, read “services”) stands in many a
        # sentence that names a body.
        return any({cognate(b) for b in body} & field for body in bodies)
    return any(_names_field(body, field) for body in bodies) or all(
        _about(sentence, {f}) or _field_word_in(f, {stem(w) for w in tokens(sentence)}) for f in field)


# Who, or which part of the organisation, is in charge of a field, asked in English (“Who is in charge of cultural
# activities?”, “Which branch deals with …?”): the field is read by cognates of the body's words. Kept for measurement.
ENGLISH_FIELDS = True
# English words saying someone is in charge and the units of an organisation asked of (a class of the language, stemmed
# as the question's words are), and the function words around them (`EN_PHRASE_END`): not the field.
_EN_UNIT_NOUNS = ("part", "branch", "department", "division", "unit", "section", "entity", "arm", "wing")
_EN_UNITS = {stem(w) for w in (*_EN_UNIT_NOUNS, "branches", "departments", "divisions", "units", "sections", "entities")}
_EN_CHARGE = _EN_UNITS | {stem(w) for w in ("charge", "responsible", "responsibility", "handle", "handles", "oversee",
                                            "oversees", "deal", "deals", "look", "looks", "after", "care", "cares",
                                            "take", "takes", "within", "which", "who", "association", "organisation",
                                            "organization", "group", "belong", "belongs", "depend", "depends", "under",
                                            *EN_PHRASE_END)}


# A field holding a word the whole FAQ never uses is answered by no body (kept for measurement: off, one word of the
# field shared with a body's name is enough).
KNOWN_FIELDS = True
# A body's name answers a field asked in another form of its word (« activités culturelles » / « Club Azur Culture »,
# « les montagnards » / « Club Azur Montagne »), kept for measurement: off, only the same stem does.
FIELD_FAMILIES = True
# How many letters the longer of two stems may have past their common beginning and still be a form of one word:
# « culturel » / « cultur » (2), « montagnard » / « montagn » (3); not « commun » / « communicat » (4).
VARIANT_TAIL = 3


def _variant(a: str, b: str) -> bool:
    """Two stems are forms of one word: one is the other stemmed once more (a body's word the stemmer leaves with a
    plural ending, « …es »), or they share a beginning of FAMILY_PREFIX letters or more that only VARIANT_TAIL
    letters of the longer pass."""
    if a == b:
        return True
    if a[:3] != b[:3]:
        return False  # neither test below can hold, and the FAQ's whole vocabulary may be read this way
    if stem(a) == b or stem(b) == a:
        return True
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return common >= FAMILY_PREFIX and max(len(a), len(b)) - common <= VARIANT_TAIL


def _field_word_in(word: str, stems: Iterable[str]) -> bool:
    """A word of the field asked is among `stems`, or, with FIELD_FAMILIES, a form of one of them (« nautisme » for
    « nautiques »)."""
    return word in stems or (FIELD_FAMILIES and any(_variant(word, s) for s in stems))


def _names_field(body: set[str], field: frozenset[str]) -> bool:
    """A body's own words (`branches`) name a word of the field asked, as it is or in another form (`_variant`)."""
    if not FIELD_FAMILIES:
        return bool(body & field)
    return any(_variant(b, f) for b in body for f in field)


# A name the question gives is set aside from the field only when a word of the organisation's name is in it (one of
# its bodies or former names, « Club Azur Mer », asked of a person): an acronym or another name is the field itself
# (« Qui gère les GEM ? »); and the question must say someone is in charge (« gère », « s'occupe de », « en charge
# de »), not who did something once (« Qui a créé … ? »). Kept for measurement: off, every name is set aside and any
# verb asks.
FIELD_ACRONYMS = True
_IN_CHARGE = _LEAD_VERBS | (_CHARGE_WORDS - {stem(w) for w in ("sein", "prend", "prennent")})


def _bodies_named(question: Question, org_terms: frozenset[str]) -> set[str]:
    """Stems of the words of the runs of capitalised words in `question` that hold a word of the organisation's name
    (its bodies), or of every name it gives when `FIELD_ACRONYMS` is off."""
    if not FIELD_ACRONYMS:
        return {stem(fold(w)) for n in question.names for w in tokens(n)}
    own = {stem(t) for t in org_terms} | set(org_terms)
    runs = [{stem(fold(w)) for w in re.findall(r"[\w-]+", run)} for run in _CAPITALISED.findall(question.text)]
    return {w for words in runs if own & words for w in words}


# Which of the organisation's bodies is in charge of a field, asked without « qui » (« Quelle association du club gère
# les refuges ? », « De quel pôle dépendent les écoles de voile ? »): the interrogative before a noun of the language for
# a unit of an organisation, and a verb saying someone is in charge or something belongs to it. Refused when no body
# the FAQ names is in charge of the field, and answered by the sentence naming it (kept for measurement: off, such a
# question is judged as any other).
BODY_QUESTIONS = True
_UNIT_NOUNS = frozenset("association associations asso assos branche branches pole poles entite entites structure "
                        "structures filiale filiales service services departement departements division divisions "
                        "organisme organismes section sections".split())
_WHICH_UNIT = re.compile(r"\bquel(?:le)?s?\s+([a-z]+(?:-[a-z]+)?)")
_WHICH_EN_UNIT = re.compile(rf"\bwhich\s+({'|'.join(_EN_UNIT_NOUNS)}|association|organi[sz]ation)s?\b")
_BELONGS = {stem(w) for w in ("releve", "relevent", "depend", "dependent", "rattache", "rattachee", "rattaches",
                              "rattachees")}


def unit_asked(question: Question) -> frozenset[str]:
    """Stems of the unit of the organisation a question asks which of is in charge of a field (« Quelle
    association-fondatrice du club gère les refuges ? »: « association », « fondatrice »; “Which branch … handles …?”:
    “branch”); empty when it asks none."""
    if not BODY_QUESTIONS:
        return frozenset()
    if question.language != "fr":
        match = _WHICH_EN_UNIT.search(fold(question.text)) if ENGLISH_FIELDS else None
        if not match or not {stem(w) for w in tokens(question.text)} & (_IN_CHARGE | _EN_CHARGE):
            return frozenset()
        return frozenset({stem(match.group(1))})
    match = _WHICH_UNIT.search(fold(question.text))
    if not match or match.group(1).split("-")[0] not in _UNIT_NOUNS:
        return frozenset()
    if not {stem(w) for w in tokens(question.text)} & (_IN_CHARGE | _BELONGS):
        return frozenset()
    return frozenset(stem(w) for w in tokens(match.group(1)))


def _asks_in_charge(question: Question) -> bool:
    """True when the question says someone is in charge (« gère », « s'occupe de », « en charge de »), or always when
    `FIELD_ACRONYMS` is off."""
    return not FIELD_ACRONYMS or any(stem(w) in _IN_CHARGE for w in tokens(question.who or question.text))


# A place in a sentence: a street address or postcode, "dans 12 pays", or a capitalised name after « en » or « à »
# ("en France", "à Lyon"); after "au", "aux" or an elision it is more often a body ("au CA", "à l'Assemblée").
_ADDRESS = re.compile(r"\b\d+,? (?:rue|avenue|av\.|boulevard|bd|place|allée|quai|chemin|impasse|cours)\b|\b\d{5} [A-ZÀ-Ý]",
                      re.IGNORECASE)
_PLACES_COUNTED = re.compile(r"\bdans \d+ (?:pays|villes|régions|départements|territoires|communes)\b")
_PLACE_NAME = re.compile(r"\b(?:à|en|près de|in|at)\s+([A-ZÀ-Ý][a-zà-ÿ][\wÀ-ÿ-]*)")


def gives_place(sentence: str, org_terms: frozenset[str] = frozenset()) -> bool:
    """True when `sentence` locates something: an address, a count of countries or towns, a place name."""
    if _ADDRESS.search(sentence) or _PLACES_COUNTED.search(sentence):
        return True
    return any(stem(fold(m.group(1))) not in org_terms and fold(m.group(1)) not in org_terms
               for m in _PLACE_NAME.finditer(sentence))


def other_names(question: Question, org_terms: frozenset[str]) -> set[str]:
    """Stems of the names the question mentions besides the organisation's own (« Ferrothèque », « Amitié »)."""
    return {stem(fold(n)) for n in question.names} - set(org_terms)


def organisation_contact(question: Question, org_terms: frozenset[str]) -> frozenset[str]:
    """The kinds of contact detail the question asks of the organisation itself: none when it names something else
    (« Où se trouve la plateforme Ferrothèque ? »: the organisation's address is not another's)."""
    return frozenset() if other_names(question, org_terms) else question.contact


def _naming(question: Question, sentences: Sequence[str], org_terms: frozenset[str]) -> list[str]:
    """The sentences that name what the question names (« Amis du Rail Savoie »: those with « Savoie »), the
    organisation's own name aside; [] when it names nothing else."""
    names = other_names(question, org_terms)
    return [s for s in sentences if names & {stem(w) for w in tokens(s, keep_stopwords=True)}] if names else []


def year_given(year: str, evidence: Sequence[Evidence], passages: Sequence[str], focus: set[str],
               accounts: frozenset[str] = frozenset()) -> bool:
    """True when the FAQ gives what is asked for `year`: the sentence that answers best carries the year, or one of
    the next best (within YEAR_MARGIN, at most YEAR_EVIDENCE) carries it and is about the question's subject.
    Without ranked sentences, a sentence of the passages about the subject must carry it. A sentence that gives the
    year for another family of `accounts` than the question's does not (« le résultat 2019 » to « le chiffre
    d'affaires en 2019 ? », `chatbot.accounts`)."""
    def carries(sentence: str) -> bool:
        return year in sentence and not other_account(year, sentence, accounts)

    if not evidence:
        return any(carries(s) and _about(s, focus) for p in passages for s in passage_sentences(p))
    best = evidence[0].score
    top = [e.text for e in evidence[:YEAR_EVIDENCE] if e.score >= best - YEAR_MARGIN]
    return carries(top[0]) or any(carries(s) and _about(s, focus) for s in top[1:])


def amount_unpriced(question: Question, priced: Sequence[str], org_terms: frozenset[str]) -> str | None:
    """What an amount question asks the amount of, when no sentence of the passages giving an amount speaks of it
    (« Quel budget consacre-t-il à sa communication ? » where the only amounts are the whole organisation's, « combien
    gagne le patron »: a person's pay); None when one does, or when the question only asks the organisation's own."""
    wanted = {w: {stem(t) for t in tokens(w)} - org_terms for w in question.amount_of}
    wanted = {w: stems for w, stems in wanted.items() if stems}
    if wanted and not any(_about(s, set().union(*wanted.values())) for s in priced):
        return next(iter(wanted))
    return None


def step_undescribed(question: Question, passages: Sequence[Hit], evidence: Sequence[Evidence],
                     org_terms: frozenset[str], close: float) -> str:
    """The step a user asks how to take himself (`Question.step`: « Comment postuler … ? ») when no sentence of the
    passages holds its words, by word family; "" when one does, or for any other question. Not judged: a contact
    detail asked (« Comment joindre … ? », the contact lines' to answer), an English question (no word shared with
    the FAQ's French), nor one whose best sentence answers closely (`close`, the calibrated overrule bar: the FAQ may
    describe the step in other words, « adhérer » for « rejoindre »)."""
    org = org_terms | {stem(t) for t in org_terms}
    keys = [k for k in question.step if k not in org]
    if not STEPS_DESCRIBED or not keys or question.contact or question.language != "fr":
        return ""
    if evidence and evidence[0].score >= close:
        return ""
    sentences = (s for h in passages for s in passage_sentences(h.chunk.text))
    if any(all(in_family(k, stems_of(s)) for k in keys) for s in sentences):
        return ""
    return question.step_text


def fact_available(question: Question | str, hits: Sequence[Hit], evidence: Sequence[Evidence] = (), *,
                   org_terms: frozenset[str] = frozenset(), lower: frozenset[str] = frozenset(),
                   counted: frozenset[str] | None = None, vocabulary: frozenset[str] | None = None) -> Decision:
    """Refuse when the question asks for a kind of fact that the retrieved passages do not hold; answer, by
    correcting it, a question that presupposes what they deny. A question in several parts is answered with a
    caveat for the part the FAQ lacks ("la FAQ ne donne pas de nombre d'hôpitaux"), not refused whole; `counted`:
    what the whole FAQ counts (`counted_stems`), unknown when None; `vocabulary`: the whole FAQ's stems."""
    question = as_question(question)
    decision = _fact_available(question, hits, evidence, org_terms=org_terms, lower=lower, counted=counted,
                               vocabulary=vocabulary)
    if not decision.answer and question.parts > 1 and decision.reason == "not_in_faq":
        return Decision(True, caveat=decision.detail)
    return decision


def _fact_available(question: Question, hits: Sequence[Hit], evidence: Sequence[Evidence], *,
                    org_terms: frozenset[str], lower: frozenset[str], counted: frozenset[str] | None,
                    vocabulary: frozenset[str] | None = None) -> Decision:
    passages = [h.chunk.text for h in hits]
    sentences = [s for p in passages for s in passage_sentences(p)]
    premise = tuple(sorted((question.terms | question.presumes) & denied_terms(passages, ignore=org_terms)))
    if premise and not question.polar:
        # "Combien de succursales le club a-t-il en Savoie ?": the FAQ says there are none. The answer is that
        # correction, whatever kind of fact was asked.
        return Decision(True, premise=premise)
    focus = _focus(question, org_terms)
    joined = " ".join(passages)
    for year in question.years:
        if year_given(year, evidence, passages, focus, question.accounts):
            continue
        if year not in joined:
            return Decision(False, "not_in_faq", Reason(f"la FAQ ne donne pas d'information pour l'année {year}",
                                                        f"the FAQ gives no information for the year {year}"))
        # The year is in the FAQ, but not with what is asked ("budget 2030" where 2030 is a plan's horizon):
        # name the years the best sentences do give, so the reader knows what the FAQ has.
        given = sorted({y for e in evidence[:YEAR_EVIDENCE] for y in _YEAR.findall(e.text)} - set(question.years))
        years = ", ".join(given)
        return Decision(False, "not_in_faq", Reason(
            f"la FAQ ne donne pas cette information pour {year}" + (f" (elle la donne pour {years})" if given else ""),
            # A semicolon, not parentheses: the English refusal puts its reason in parentheses already.
            f"the FAQ does not give this for {year}" + (f"; it gives it for {years}" if given else "")))
    question = question.confirmed()  # a figure put up for confirmation is asked like one asked for
    on_focus = [s for s in sentences if _about(s, focus)]
    # A fact is often stated next to the sentence that names the subject ("En 2023, le budget de la fondation atteint
    # 2,5 millions d'euros. Ce montant couvre les budgets de tous les refuges..."): look one sentence around.
    about = _around(passages, focus) or sentences
    if "count" in question.asks and question.count_noun:
        noun = question.count_noun
        target = _noun_stem(noun)
        # Only when the passages speak of that thing without ever counting it: a noun they never use may be a
        # synonym or another language ("countries" for "pays"), which the LLM can still match. In a French question
        # of several parts, also when the whole FAQ never counts it: the rest is answered and the caveat says so
        # (refused whole, « Combien de locomotives …, et quel est leur budget ? » lost the budget).
        never = (question.parts > 1 and question.language == "fr" and counted is not None and bool(target)
                 and not _counts(noun, counted))
        if ((never or any(_mentions(s, target) for s in sentences)) and not _counts(noun, _near_figures(sentences))
                and not _holders_counted(question, noun, sentences, org_terms)):
            return Decision(False, "not_in_faq", Reason(f"la FAQ ne donne pas de nombre de « {noun} »",
                                                        f"the FAQ gives no number of “{noun}”"))
    # A percentage must be about what is asked: a FAQ's only percentage may be about something else. A question in
    # another language names it in its own words: their cognates find it (« invested » / « investis »).
    if question.language != "fr":
        on_focus += [s for s in sentences if s not in on_focus and _about_cognates(s, focus)]
    if "percent" in question.asks and not any("%" in s for s in on_focus):
        return Decision(False, "not_in_faq", Reason("la FAQ ne donne pas ce pourcentage",
                                                    "the FAQ does not give this percentage"), missing="percent")
    if "amount" in question.asks:
        priced = [s for s in sentences if _NUMBER.search(s) and _MONEY.search(fold(s))]
        unpriced = amount_unpriced(question, priced, org_terms)
        if unpriced:
            return Decision(False, "not_in_faq", Reason(f"la FAQ ne donne pas de montant pour « {unpriced} »",
                                                        f"the FAQ gives no amount for “{unpriced}”"), missing="amount")
        if not priced:
            return Decision(False, "not_in_faq", Reason("la FAQ ne donne pas ce montant",
                                                        "the FAQ does not give this amount"), missing="amount")
    if "year" in question.asks and not any(_YEAR.search(s) for s in about):
        return Decision(False, "not_in_faq", Reason("la FAQ ne donne pas cette date", "the FAQ does not give this date"))
    # The organisation's address asked (« Où se trouve le siège ? »): its address line is the place, wherever it sits.
    address_given = ("address" in organisation_contact(question, org_terms)
                     and any("address" in contact_kinds(s) for s in sentences))
    if "place" in question.asks and not address_given and not any(
            gives_place(s, org_terms) for s in _naming(question, sentences, org_terms) or about):
        return Decision(False, "not_in_faq", Reason("la FAQ ne donne pas ce lieu", "the FAQ does not give this place"))
    if "duration" in question.asks and not any(gives_duration(s) for s in sentences):
        return Decision(False, "not_in_faq", Reason("la FAQ ne donne pas cette durée",
                                                    "the FAQ does not give this duration"))
    if "age" in question.asks and not any(_AGE.search(fold(s)) for s in about):
        return Decision(False, "not_in_faq", Reason("la FAQ ne donne pas cet âge", "the FAQ does not give this age"))
    if ("people" in question.asks and not role_holder_named(question, sentences, lower, org_terms)
            and not actor_described(question, sentences, org_terms)
            and not branch_in_charge(question, sentences, org_terms, vocabulary)):
        return Decision(False, "not_in_faq", Reason("la FAQ ne nomme pas la personne qui occupe ce rôle",
                                                    "the FAQ does not name who holds this role"), missing="people")
    if "people" not in question.asks and unit_asked(question) and not branch_in_charge(question, sentences, org_terms,
                                                                                       vocabulary):
        return Decision(False, "not_in_faq", Reason("la FAQ ne dit pas quelle entité en est chargée",
                                                    "the FAQ does not say which body is in charge of it"), missing="body")
    return Decision(True, premise=premise)


def out_of_remit(question: Question | str) -> Decision:
    """Refuse requests that are not questions about the FAQ: changing the assistant's role, obtaining its
    instructions, creative writing, code, translating a given text, abuse (see `Question.task`)."""
    question = as_question(question)
    if question.in_remit:
        return Decision(True)
    return Decision(False, "out_of_remit", TASKS[question.task])


@dataclass(frozen=True)
class Scope:
    """What the decision needs to know of the FAQ itself: its names, its vocabulary, its organisation's name."""

    names: frozenset[str] = frozenset()
    vocabulary: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()  # stems the FAQ writes in lower case
    org_terms: frozenset[str] = frozenset()
    off_topic: float = OFF_TOPIC_SCORE
    denied: frozenset[str] = frozenset()  # words the whole FAQ only ever denies, singular (« aucune succursale »)
    counted: frozenset[str] | None = None  # stems of what the whole FAQ counts somewhere (`counted_stems`)
    contact_words: frozenset[str] = frozenset()  # stems of the words on its lines giving a contact detail
    ranks: tuple[RankedLine, ...] = ()  # its ranked list lines, with their headings, in FAQ order
    positions: frozenset[int] = frozenset()  # every rank it states somewhere (`rankings.stated_positions`)
    close: float = Thresholds().overrule_min  # a sentence scoring this answers closely (the calibrated overrule bar)

    @classmethod
    def of(cls, chunks: Sequence, org_terms: Iterable[str] = (), off_topic: float = OFF_TOPIC_SCORE,
           close: float = Thresholds().overrule_min) -> Scope:
        """The scope of a FAQ's chunks."""
        org_terms = tuple(org_terms)
        org = frozenset(stem(t) for t in org_terms)
        lower = frozenset(stem(t) for c in chunks for w in _LOWER_WORD.findall(c.text) for t in tokens(w))
        denied = frozenset(denied_terms([c.text for c in chunks], ignore=org_terms, key=singular))
        counted = counted_stems(c.text for c in chunks)
        contact = frozenset().union(*(stems_of(line) for c in chunks for line in c.text.splitlines()
                                      if contact_kinds(line)))
        ranks = tuple(ranked_lines([c.text for c in sorted(chunks, key=lambda c: c.position)]))
        return cls(faq_names(chunks, org), faq_vocabulary(chunks), lower, org, off_topic, denied, counted, contact,
                   ranks, stated_positions([c.text for c in chunks]), close)


def decide(question: Question | str, hits: Sequence[Hit], passages: Sequence[Hit],
           evidence: Sequence[Evidence] = (), *, scope: Scope | None = None,
           names: frozenset[str] | set[str] | None = None, thresholds: Thresholds | None = None) -> Decision:
    """Answer or refuse, from the question, the best hits, the passages chosen for the prompt and the ranked
    sentences of those passages (no LLM).

    Off topic means a best score under the off-topic threshold: `thresholds.off_topic` when given (calibrated for
    the embedder and the FAQ), else the scope's."""
    question = as_question(question)
    scope = scope or Scope(names=frozenset(names or ()))
    off_topic = thresholds.off_topic if thresholds is not None else scope.off_topic
    remit = out_of_remit(question)
    if not remit.answer:
        return remit
    if not hits:
        return Decision(False, "out_of_scope", Reason("la FAQ ne contient rien sur ce sujet",
                                                      "the FAQ has nothing on this subject"))
    if hits[0].score < off_topic and not rare_term_match(question, hits, scope.names):
        return Decision(False, "out_of_scope", Reason("la question ne porte pas sur le contenu de la FAQ",
                                                      "the question is not about what the FAQ covers"))
    compared = compared_names(question, scope.vocabulary | scope.org_terms) if scope.vocabulary else []
    if compared:
        # The organisation compared with another it never names (« … plus grand qu'Emmaüs ? »): the FAQ's figures
        # are its own, and no comparison can be read from them.
        return Decision(False, "not_in_faq", Reason(
            f"la FAQ ne parle pas de « {compared[0]} » : elle ne permet pas cette comparaison",
            f"the FAQ does not mention “{compared[0]}”, so it cannot support this comparison"))
    if question.rank_given and scope.vocabulary and question.rank_given not in scope.positions:
        # The field asked for a rank the FAQ never states (« Dans quel domaine le club est-il 6e ? »): every field it
        # ranks holds another rank, which the answer would give as this one.
        return Decision(False, "not_in_faq", Reason("la FAQ ne donne ce rang dans aucun de ses classements",
                                                    "the FAQ gives this rank in none of its rankings"))
    if scope.vocabulary and question.language == "fr":
        # Another organisation named with the organisation's words ("Lumière Voyages") is another subject. A question
        # about the organisation may name others (a party, an index, a former job): the answer checks those.
        # Without the organisation, a name the FAQ never uses is another subject. (An English question capitalises
        # words it translates from the FAQ, "Executive Board": it is read by cognates, below.)
        unknown = other_organisations(question, scope.vocabulary, scope.org_terms) or (
            [] if question.terms & scope.org_terms else unknown_names(question, scope.vocabulary | scope.org_terms))
    elif scope.vocabulary and not question.terms & scope.org_terms:
        # In another language, a name with no word of the FAQ's, not even a cognate, asked about without the
        # organisation (« Who chairs the board of the Salvation Army? ») is another subject: the FAQ's answer for its
        # own organisation would be given as the other's.
        unknown = unknown_translated_names(question, scope.vocabulary | scope.org_terms)
    else:
        unknown = []
    if unknown:
        return Decision(False, "not_in_faq", Reason(f"la FAQ ne parle pas de « {unknown[0]} »",
                                                    f"the FAQ does not mention “{unknown[0]}”"))
    if question.contact and scope.vocabulary:
        # Contact details asked for a place the FAQ never names (« le numéro de l'antenne à Marseille », "the office
        # in Brussels"): the details the FAQ gives are those of another place.
        unknown = unknown_places(question, scope.vocabulary | scope.org_terms)
        if unknown:
            return Decision(False, "not_in_faq", Reason(f"la FAQ ne donne pas de coordonnées pour « {unknown[0]} »",
                                                        f"the FAQ gives no contact details for “{unknown[0]}”"))
    holder = question.contact_holder
    if CONTACT_HOLDERS and holder and scope.vocabulary and not stems_of(holder) <= scope.contact_words:
        # A person's contact detail (« l'e-mail du président », "the chairman's phone number") where the FAQ's contact
        # lines never name them: its details are the organisation's, and given as the person's they would mislead.
        return Decision(False, "not_in_faq", Reason(f"la FAQ ne donne pas les coordonnées personnelles de « {holder} »",
                                                    f"the FAQ gives no personal contact details for “{holder}”"))
    close = thresholds.overrule_min if thresholds is not None else scope.close
    step = step_undescribed(question, passages, evidence, scope.org_terms, close)
    if step:
        # « Comment postuler … ? »: how the reader can do something himself, which the passages' sentences on what
        # the organisation does (how associations join it) would answer as another question.
        return Decision(False, "not_in_faq", Reason(f"la FAQ ne décrit pas de démarche pour « {step} »",
                                                    f"the FAQ describes no step to “{step}”"), missing="step")
    if question.asks_figure and scope.vocabulary and FIGURE_PLACES:
        # The figure asked for a place or a body the FAQ never names: the FAQ's figure is its total, or another's.
        unknown = unknown_figure_names(question, scope.vocabulary | scope.org_terms)
        if unknown:
            missing = Reason(f"la FAQ ne donne pas de chiffre pour « {unknown[0]} »",
                             f"the FAQ gives no figure for “{unknown[0]}”")
            if question.parts < 2 or not PLACE_CAVEAT:
                return Decision(False, "not_in_faq", missing)
            # A question in several parts: that figure is the part the FAQ lacks, said in a caveat, and the rest is
            # judged as any question is (« Combien de bureaux à Lyon, et le club est-il lié à un parti ? »).
            decision = fact_available(question, passages, evidence, org_terms=scope.org_terms, lower=scope.lower,
                                      counted=scope.counted, vocabulary=scope.vocabulary)
            return replace(decision, caveat=decision.caveat or missing) if decision.answer else decision
    return fact_available(question, passages, evidence, org_terms=scope.org_terms, lower=scope.lower,
                          counted=scope.counted, vocabulary=scope.vocabulary)
