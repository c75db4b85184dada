"""Negation in French (and English) text: whether a clause denies, and what the FAQ only ever denies.

A fact the FAQ only states under a negation ("Le club ne possède aucune succursale") answers a question
that presupposes it ("Combien de succursales le club a-t-il en Savoie ?") by correcting it, and must never be
stated plainly in an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ingest.chunker import passage_sentences
from ingest.normalize import fold, stem, tokens

# Negation, as grammar has it (French and English).
_NEGATION = re.compile(
    r"\b(?:ne|n')\s*\S*(?:\s+\S+){0,3}?\s+(?:pas|plus|jamais|aucun|aucune|rien|personne|ni|guere|point)\b"
    r"|\baucun(?:e)?\b|\ben aucun cas\b|\bjamais\b|\bsans\b|\bnon-\w|\bni\b.{1,60}\bni\b|\bnot\b|\bnever\b|\bn't\b"
    r"|\bno longer\b|\bwithout\b|\bno\s+(?!matter\b)\w+|\bnone\b|\bnobody\b|\bnothing\b|\bneither\b|\bcannot\b"
    # A denial by its subject: « Personne ne paie de cotisation … », « Rien ne justifie … », « Nul ne peut … ».
    r"|(?:^|[,;:.!?(]\s*|\b(?:et|mais|car|que|qu['’]|ou|où|si)\s+)(?:personne|rien|nul|nulle)\s+(?:ne\b|n['’])"
    # Spoken French drops « ne »: « Non, pas de succursales », « pas de refuge » (after « ne … pas » has been
    # read, its « pas » is taken: no second count).
    r"|\bpas\s+(?:de|d'|du|des)\b",
    re.IGNORECASE,
)
# Verbs of refraining: « hésiter à », « cesser de », « renoncer à »… deny what follows them (« le club a cessé de gérer
# des refuges »), and a negation of one affirms it (a litotes: « le club n'hésite pas à critiquer » criticises).
# French grammar's short list (folded stems, each with its preposition); no FAQ's words.
_A = r"(?:a|au|aux)\b"
_DE = r"d(?:e\b|'|u\b|es\b)"
_SELF = r"(?:se\s+|s')?"
_REFRAIN_VERBS = (rf"(?:hesit\w*\s+{_A}|renon[cç]\w*\s+{_A}|rechign\w*\s+{_A}|cess\w*\s+{_DE}|arret\w*\s+{_DE}"
                  rf"|oubli(?:e|es|ent|er|ons|ez|ait|aient)\s+{_DE}|(?:se\s+|s')priv\w*\s+{_DE})")
# Verbs whose negation affirms what follows, though alone they may say a noun (« le manque de fonds », « le refus des
# bailleurs », which an English claim translates with a verb) or nothing negative (« se contenter de gérer »).
_LITOTES_VERBS = (rf"(?:{_REFRAIN_VERBS}|refus\w*\s+{_DE}|manqu\w*\s+{_DE}|{_SELF}content\w*\s+{_DE}"
                  rf"|craind\w*\s+{_DE}|craint\w*\s+{_DE}|{_SELF}lass\w*\s+{_DE}|priv\w*\s+{_DE})")
_REFRAINING = re.compile(rf"\b{_REFRAIN_VERBS}|\bhesitat\w*\s+to\b")
_NOT = r"(?:pas|jamais|plus|guere|point)"
# A litotes, removed before negations are counted: a negated verb of refraining, in simple and compound tenses (« n'hésite
# pas à », « n'a jamais hésité à », « ne s'est pas privé de »), the literary « ne cesse de » without « pas », « il
# n'est pas rare », « non sans », and their English forms.
_LITOTES = re.compile(
    rf"\bn(?:e\s+|'){_SELF}(?:"
    rf"(?P<verb>\w+)\s+{_NOT}\s+(?P<prep>{_A}|{_DE})"  # checked in `_litotes`: the verb before « pas » is one of them
    rf"|\w+\s+{_NOT}\s+{_LITOTES_VERBS}"
    rf"|(?:\w+\s+)?cess\w*\s+{_DE})"
    r"|\bn'est\s+pas\s+rare\b|\bnon\s+sans\b|\bn'est\s+pas\s+sans\b"
    r"|\b(?:do|does|did|will|would|can|could)(?:\s+not|n't)\s+hesitate\s+to\b|\bnever\s+hesitat\w*\s+to\b"
    r"|\bnever\s+fail\w*\s+to\b|\b(?:do|does|did)(?:\s+not|n't)\s+fail\s+to\b|\bnot\s+uncommon\b|\bnot\s+without\b")
_LITOTES_VERB = re.compile(rf"{_LITOTES_VERBS}$")


def _litotes(match: re.Match[str]) -> str:
    """A litotes becomes a blank; « ne verse pas de … » (no verb of refraining before « pas ») stays as it is."""
    verb = match.group("verb")
    if verb is not None and not _LITOTES_VERB.match(f"{verb} {match.group('prep')}"):
        return match.group(0)
    return " "


NEGATION_WORDS = frozenset("ne pas plus jamais aucun aucune rien personne nul nulle ni non sans guere point not never no none "
                           "nobody nothing neither without cannot".split())
# A cause is a clause of its own (« … n'ouvre pas l'hiver parce qu'il ne dispose pas de gardien … »): two denials joined
# by it are two negative clauses, not one positive.
CLAUSE = re.compile(r"\s*[,;:()]\s*|\s+(?:et|mais|car|donc|or|and|but|because)\s+|\s+(?:parce\s+|puis)qu(?:e\s+|['’]\s*)")
# What a negation denies the existence of: the word after "aucun", "sans", "pas de"... ("aucune succursale").
_DENIED = re.compile(r"\b(?:aucun|aucune|sans|pas d[e']|plus d[e']|jamais d[e']|ni)\s*(?:l[ae']\s*|les\s+)?([a-z]{4,})")


def _denials(text: str) -> int:
    """How many negations `text` holds: grammar's, and verbs of refraining; a litotes is none."""
    folded = _LITOTES.sub(_litotes, fold(text).replace("’", "'"))
    return len(_NEGATION.findall(folded)) + len(_REFRAINING.findall(folded))


def has_negation(text: str) -> bool:
    """True when a French or English negation occurs in `text` (ne ... pas, n'... aucun, jamais, not, « hésite à »…),
    a litotes aside (« n'hésite pas à »)."""
    return _denials(text) > 0


_SANS = re.compile(r"\bsans\b", re.IGNORECASE)


def denies(text: str) -> bool:
    """`text` denies something: a negation, « sans » aside (« accueillir sans interruption » denies nothing; it is a
    preposition there more often than a denial)."""
    return has_negation(_SANS.sub(" ", text))


def negated(text: str) -> bool:
    """The polarity of a clause: an odd number of negations ("ne permet pas … de ne pas avoir" is positive)."""
    return _denials(text) % 2 == 1


def clauses(text: str) -> list[str]:
    """The clauses of a passage: its sentences cut at punctuation and coordinating conjunctions."""
    return [c for s in passage_sentences(text) for c in CLAUSE.split(s) if c.strip()]


def denied_terms(passages: Sequence[str], ignore: Iterable[str] = (), *, key: Callable[[str], str] = stem) -> set[str]:
    """Stems the passages only ever deny: after "aucun", "sans", "pas de"... and never in a clause without a
    negation ("Le Club Vélo Azur ne perçoit aucune cotisation" -> `cotisat`); `key=singular` gives the words."""
    denied, affirmed = set(), set()
    for clause in (c for p in passages for c in clauses(p)):
        folded = fold(clause).replace("’", "'")
        if has_negation(clause):
            denied.update(key(w) for w in _DENIED.findall(folded))
        else:
            affirmed.update(key(w) for w in tokens(clause))
    return denied - affirmed - {key(w) for w in ignore}


def singular(word: str) -> str:
    """A folded word without its plural mark (« succursales » -> « succursale »); unlike a stem it keeps words
    apart that only share a root (« capitale » is not « capital »)."""
    return word[:-1] if len(word) > 4 and word.endswith(("s", "x")) else word
