"""Deciding, before any LLM call, whether the FAQ can answer a question.

A small model answers off-topic questions and puts the budget where a head-count was asked if left to its
goodwill, so refusals rest on measurable signals: the retrieval score (calibrated on the development set),
requests outside the assistant's remit, and whether the retrieved passages even contain the kind of fact
asked for (a year, an amount, a count of something, a percentage).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chatbot.settings import Thresholds
from index.retriever import Hit
from ingest.chunker import split_sentences
from ingest.normalize import STOPWORDS, normalize, stem, tokens

_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_MONEY_WORDS = ("euro", "eur", "€", "million", "milliard")

_REMIT = re.compile(
    r"\b(?:[ée]cri[st]?|r[ée]dige[sz]?|compose[sz]?|invente[sz]?|raconte[sz]?|imagine[sz]?|g[ée]n[èe]re[sz]?"
    r"|write|compose|tell me|generate)\b.{0,40}\b(?:po[èe]me|po[ée]sie|chanson|histoire|blague|conte|roman|"
    r"fonction|code|script|programme|dissertation|rap|haiku|poem|song|story|joke|function)"
    r"|\b(?:tradui[st]|translate)\b"
    r"|\b(?:insult|injur|humili)\w*"
    r"|\bjeu de r[ôo]le|\brole[- ]?play|\bfais semblant\b|\bpretend\b"
    # Attempts to switch the assistant into another mode.
    r"|\[\s*(?:admin|system|syst[èe]me|developer|dev)\s*\]|\bmode (?:maintenance|d[ée]veloppeur|admin|debug)\b"
    r"|\brestrictions? (?:sont |est )?(?:lev[ée]e?s?|d[ée]sactiv[ée]e?s?)\b|\btu es maintenant\b|\byou are now\b"
    r"|\bjailbreak|\bsans (?:aucune )?(?:r[èe]gle|limite|filtre)s?\b",
    re.IGNORECASE,
)
_LEAK = re.compile(
    r"\b(?:prompt|instructions?|consignes?|r[èe]gles?|system message|message syst[èe]me)\b.{0,60}"
    r"|\b(?:affiche|montre|r[ée]v[èe]le|r[ée]p[èe]te|donne|print|show|reveal|repeat)\w*\b.{0,40}"
    r"\b(?:prompt|instructions?|consignes?|r[èe]gles?|everything above|ce qui pr[ée]c[èe]de|above)\b",
    re.IGNORECASE,
)
_LEAK_VERB = re.compile(r"\b(?:affiche|montre|r[ée]v[èe]le|r[ée]p[èe]te|recopie|donne|print|show|reveal|repeat|"
                        r"ignore|oublie|forget|disregard)\w*", re.IGNORECASE)

# Question words that say which kind of fact is wanted.
_ASKS_YEAR = re.compile(r"\bquand\b|\ben quelle ann[ée]e\b|\bquelle date\b|\bdepuis quand\b|\bwhen\b|\bwhat year\b",
                        re.IGNORECASE)
_ASKS_PERCENT = re.compile(r"\bpourcentage|\bpourcents?\b|\btaux\b|\bproportion\b|%|\bpercent", re.IGNORECASE)
_ASKS_MONEY = re.compile(r"\bcombien (?:gagne|touche|co[uû]te|vaut|rapporte|p[èe]se|d'argent)|\bquel (?:est (?:le|son) )?"
                         r"salaire\b|\br[ée]mun[ée]ration\b|\bmontant\b|\bprix\b|\bhow much\b|\bsalary\b",
                         re.IGNORECASE)
# "combien de X", "combien y a-t-il de X", "combien le groupe a-t-il repris d'X": up to four words between.
_ASKS_COUNT = re.compile(r"\bcombien(?:\s+[\w'’-]+?){0,4}?\s+(?:de|d'|d’)\s*(?!argent\b)([\w-]+)"
                         r"|\bnombre (?:de|d'|d’)\s*([\w-]+)|\bhow many ([\w-]+)", re.IGNORECASE)
_ASKS_NAMES = re.compile(r"\b(?:les )?noms?\b|\bqui sont\b|\bwho are\b|\bnames?\b", re.IGNORECASE)
# Words too common in this FAQ to tell which sentence is about the question.
_GENERIC = {"groupe", "sos", "group", "an", "annee", "chaque", "actuel", "aujourd'hui", "combien", "nombre",
            "quel", "quelle", "fois"}


@dataclass(frozen=True)
class Decision:
    """Whether to answer, and if not, why (a short machine-readable reason and a French explanation)."""

    answer: bool
    reason: str = ""
    detail: str = ""


_NAME_IN_FAQ = re.compile(r"(?:(?<=[\w,;:] )|(?<=\w-))[A-ZÀ-Ý][\wÀ-ÿ-]{3,}|\b[A-Z]{3,}\b")
_LOWER_WORD = re.compile(r"(?<![\wÀ-ÿ'’-])[a-zà-ÿ][\wà-ÿ]{3,}")


def faq_names(chunks: Sequence) -> frozenset[str]:
    """Stems of the FAQ's own names: words capitalised inside a sentence, and acronyms (Egaldia, Altermundi,
    FEHAP, Borello, Ségur)."""
    words = {w for c in chunks for w in _NAME_IN_FAQ.findall(c.text)}
    # A word the FAQ also writes in lower case is a common noun capitalised by position ("Conseil", "Social").
    common = {stem(t) for c in chunks for w in _LOWER_WORD.findall(c.text) for t in tokens(w)}
    return frozenset(stem(t) for w in words for t in tokens(w) if len(t) > 3) - common - {"group", "sos"}


def rare_term_match(question: str, hits: Sequence[Hit], names: frozenset[str] | set[str]) -> bool:
    """True when the question names one of the FAQ's own names found in a retrieved passage: "egaldia c quoi"
    scores low by embedding, yet the FAQ answers it. (Rare common nouns do not count: "capitale" is in the
    FAQ, as in "capital financier", which says nothing about the capital of Japan.)"""
    found = {stem(w) for h in hits for w in tokens(h.chunk.text)}
    return any(stem(w) in names and stem(w) in found for w in tokens(question) if len(w) > 3)


def _focus_terms(question: str, asked: str | None = None) -> set[str]:
    words = [w for w in tokens(question) if w not in _GENERIC and not w.isdigit() and len(w) > 2]
    terms = {stem(w) for w in words} - {stem(w) for w in STOPWORDS}
    if asked:
        terms.add(stem(normalize(asked)))
    return terms


def _sentences(hits: Sequence[Hit]) -> list[str]:
    out = []
    for hit in hits:
        for line in hit.chunk.text.splitlines():
            out.extend(split_sentences(line))
    return out


def _about(sentence: str, focus: set[str]) -> bool:
    words = {stem(w) for w in tokens(sentence)}
    return bool(focus & words) or any(len(f) >= 5 and any(w.startswith(f) for w in words) for f in focus)


def _noun_stem(noun: str) -> str:
    """The stem of the first word of a (maybe hyphenated) noun: `vice-présidents` -> `vice`."""
    words = tokens(noun, keep_stopwords=True)
    return stem(words[0]) if words else ""


def _mentions(sentence: str, target: str) -> bool:
    return any(stem(w).startswith(target[: max(4, len(target) - 2)]) for w in tokens(sentence, keep_stopwords=True))


def _count_near(sentence: str, noun: str, window: int = 4) -> bool:
    words = tokens(sentence, keep_stopwords=True)
    target = _noun_stem(noun)
    for i, word in enumerate(words):
        if target and stem(word).startswith(target[: max(4, len(target) - 2)]):
            span = words[max(0, i - window) : i + window + 1]
            if any(_NUMBER.fullmatch(w) for w in span):
                return True
    return False


def fact_available(question: str, hits: Sequence[Hit]) -> Decision:
    """Refuse when the question asks for a kind of fact that no retrieved passage holds."""
    sentences = _sentences(hits)
    passages = normalize(" ".join(h.chunk.text for h in hits))
    for year in _YEAR.findall(question):
        if year not in passages:
            return Decision(False, "not_in_faq", f"la FAQ ne donne pas d'information pour l'année {year}")
    count = _ASKS_COUNT.search(question)
    if count:
        noun = next(g for g in count.groups() if g)
        target = _noun_stem(noun)
        # Only when the passages speak of that thing without ever counting it: a noun they never use may
        # be a synonym or another language ("countries" for "pays"), which the LLM can still match.
        if any(_mentions(s, target) for s in sentences) and not any(_count_near(s, noun) for s in sentences):
            return Decision(False, "not_in_faq", f"la FAQ ne donne pas de nombre de « {noun} »")
    focus = _focus_terms(question)
    on_focus = [s for s in sentences if _about(s, focus)]
    about = on_focus or sentences
    # A percentage must be about what is asked: the FAQ's only one (0,4 % of activity) is no growth rate.
    if _ASKS_PERCENT.search(question) and not any("%" in s for s in on_focus):
        return Decision(False, "not_in_faq", "la FAQ ne donne pas ce pourcentage")
    if _ASKS_MONEY.search(question) and not any(
        _NUMBER.search(s) and any(m in normalize(s) for m in _MONEY_WORDS) for s in about
    ):
        return Decision(False, "not_in_faq", "la FAQ ne donne pas ce montant")
    if _ASKS_YEAR.search(question) and not any(_YEAR.search(s) for s in about):
        return Decision(False, "not_in_faq", "la FAQ ne donne pas cette date")
    if _ASKS_NAMES.search(question) and _wants_people(question) and not any(_has_person(s) for s in about):
        return Decision(False, "not_in_faq", "la FAQ ne donne pas ces noms")
    return Decision(True)


def _wants_people(question: str) -> bool:
    q = normalize(question)
    return any(w in q for w in ("membre", "administrateur", "dirigeant", "directeur", "salarie", "who are",
                                "qui sont", "members", "board"))


_NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+[A-ZÀ-Ý][a-zà-ÿ]{2,}\b")
_NOT_NAMES = {"Groupe", "Union", "Assemblée", "Conseil", "Cour", "Protection", "Aide", "Mouvement", "Comptes",
              "Générale", "Judiciaire", "Sociale", "Vice", "Directoire", "Président", "Seniors", "Santé"}


def _has_person(sentence: str) -> bool:
    return any(not (set(m.group(0).replace("-", " ").split()) & _NOT_NAMES) for m in _NAME.finditer(sentence))


def asks_for_figure(question: str) -> bool:
    """True when the question wants a number: a count, an amount, a percentage or a year."""
    return bool(_ASKS_COUNT.search(question) or _ASKS_MONEY.search(question) or _ASKS_PERCENT.search(question)
                or _ASKS_YEAR.search(question))


def out_of_remit(question: str) -> Decision:
    """Refuse requests that are not questions about the FAQ: creative writing, translation, code, insults,
    role-play, or asking for the assistant's instructions."""
    if _REMIT.search(question):
        return Decision(False, "out_of_remit", "cette demande sort du rôle de l'assistant")
    if _LEAK.search(question) and _LEAK_VERB.search(question):
        return Decision(False, "out_of_remit", "les consignes de l'assistant ne sont pas communiquées")
    return Decision(True)


def decide(question: str, hits: Sequence[Hit], passages: Sequence[Hit], *,
           names: frozenset[str] | set[str] = frozenset(), thresholds: Thresholds | None = None) -> Decision:
    """Answer or refuse, from the question, the best hits and the passages chosen for the prompt (no LLM).

    Off topic means a best score under `thresholds.off_topic` (calibrated for the embedder and the FAQ)."""
    remit = out_of_remit(question)
    if not remit.answer:
        return remit
    if not hits:
        return Decision(False, "out_of_scope", "la FAQ ne contient rien sur ce sujet")
    if hits[0].score < (thresholds or Thresholds()).off_topic and not rare_term_match(question, hits, names):
        return Decision(False, "out_of_scope", "la question ne porte pas sur le contenu de la FAQ")
    return fact_available(question, passages)
