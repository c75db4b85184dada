"""Mutation self-test of the answer checks: corrupt correct answers and count how many corruptions are caught.

A correct, passing answer is turned into deterministic *mutants* of eight kinds, each a plausible way for a
small model to be wrong while sounding right:

- ``number``: one figure changed, French format kept (``2,5 millions`` -> ``2,6 millions``,
  ``12 000`` -> ``13 000``);
- ``year``: a year changed, to one no source writes (``2023`` -> ``2020``) or to another year of the sources
  (``2023`` -> ``2019``: the figure given for the wrong year);
- ``negation``: polarity flipped, either a negation inserted (``est`` -> ``n'est pas``, ``peut`` ->
  ``ne peut pas``) or an existing one removed (``ne peut en aucun cas faire`` -> ``peut faire``,
  ``n'a aucun`` -> ``a un``);
- ``name``: a name of the answer replaced by one the FAQ never mentions, and by one the FAQ mentions
  elsewhere but not in the passages the answer rests on;
- ``role``: a role noun swapped for another role (``Présidente du Bureau`` -> ``Trésorière du Bureau``);
- ``entity``: a name swapped for another name of the same sources (the Comité for the Bureau);
- ``echo``: to a yes/no question the verified answer denies, "Oui, <the question's assertion>";
- ``endorsement``: a call to vote or an accusation added to the answer's first sentence.

The organisation's own name is read from the FAQ (`chatbot.claims.organisation_terms`), never swapped.
Each kind is reported and gated on its own (`mutants_caught_<kind>` in eval/thresholds.toml).

A mutant is *caught* when the judge (by default: `chatbot.verify.verify` against the record's source
passages, plus the case's `must_include` / `must_not_include`) says the mutated answer fails. The share of
mutants caught is the `mutants_caught` metric; the uncaught ones say which checks are blind to what.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from chatbot.claims import Entails, Restates
from chatbot.evidence import QUOTE_HEAD
from chatbot.numbers import FRENCH_NUMBER_WORDS
from eval.cases import Case
from eval.checks import exclude_check, include_check
from ingest.errors import InputError
from ingest.normalize import fold, normalize

KINDS = ("number", "year", "negation", "name", "role", "entity", "echo", "endorsement", "currency")

# At most this many names per answer get swapped, so that one long answer does not outweigh the others.
MAX_NAMES = 3
MAX_NEGATION_INSERTS = 3


@dataclass(frozen=True)
class Mutant:
    """One corrupted version of a correct answer: its kind, the answer before and after, and what changed."""

    kind: str
    original: str
    mutated: str
    description: str
    pattern: str = ""  # finer than `kind`: which rule made it (e.g. "remove:ne-aucun"), for the report


# --- numbers ------------------------------------------------------------------------------------------------

# Citation markers and "question 3" references are not facts: never mutate them.
_NOT_FIGURES = re.compile(r"\[\d{1,2}\]|\b(?:question|section)\s+n?°?\s*\d{1,2}\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[+-]?)(?P<int>\d{1,3}(?:(?P<sep>[ \u00a0\u202f])\d{3})+|\d+)"
    r"(?:(?P<dec_sep>[.,])(?P<dec>\d+))?"
    # Ordinals (1er, 2ème) are ranks written as words: a changed "2er" would not be French.
    r"(?![\d\w])"
)
_YEAR_STEPS = (-3, 3, -7, 7, -11, 11)
# "neuf" (also "new") and "cent" (in "pour cent") are left out: too often not a figure.
_WORD_NUMBERS = {word: value for word, value in FRENCH_NUMBER_WORDS.items() if word not in ("neuf", "cent")}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b(?!-)", re.IGNORECASE)


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NOT_FIGURES.finditer(text)]


def _inside(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _number_values(texts: Iterable[str]) -> set[float]:
    """Raw values of every number (digits and number words) in `texts`, scale words ignored on purpose:
    a mutated figure must differ from every number the sources write, whatever its unit."""
    values: set[float] = set()
    for text in texts:
        for m in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", m.group("int"))
            values.add(float(f"{digits}.{m.group('dec')}" if m.group("dec") else digits))
        values |= {float(_WORD_NUMBERS[w.lower()]) for w in _WORD_NUMBER.findall(text)}
    return values


def _format_number(units: int, decimals: int, sep: str | None, dec_sep: str | None) -> str:
    """Write `units` (an integer in steps of 10**-decimals) back in the original French format."""
    whole, frac = divmod(units, 10**decimals) if decimals else (units, 0)
    text = f"{whole:,}".replace(",", sep) if sep else str(whole)
    if decimals:
        text += f"{dec_sep or ','}{frac:0{decimals}d}"
    return text


def _number_candidates(m: re.Match[str]) -> list[tuple[str, str]]:
    """Replacements for one number, most natural first, each with the rule that made it."""
    int_digits = re.sub(r"\D", "", m.group("int"))
    dec = m.group("dec") or ""
    sep, dec_sep = m.group("sep"), m.group("dec_sep")
    units, decimals = int(int_digits + dec), len(dec)
    out: list[tuple[str, str]] = []
    if not dec and not sep and len(int_digits) == 4 and 1900 <= units <= 2099:
        out += [(str(units + step), "year") for step in _YEAR_STEPS]
    significant = len(str(units)) if units else 1
    # +1 on the second significant digit changes the figure visibly (2,5 -> 2,6; 12 000 -> 13 000)
    # while keeping its magnitude, which is what a model misreading a figure does.
    out.append((_format_number(units + 10 ** max(significant - 2, 0), decimals, sep, dec_sep), "second-digit"))
    out.append((_format_number(units + 1, decimals, sep, dec_sep), "last-digit"))
    out.append((_format_number(units * 10, decimals, sep, dec_sep), "times-ten"))
    return out


def _value(text: str) -> float:
    digits, _, dec = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".").partition(".")
    return float(f"{digits}.{dec}" if dec else digits)


def number_mutants(answer: str, sources: Sequence[str]) -> list[Mutant]:
    """One mutant per figure of `answer`: the figure changed to a value no source writes, format kept."""
    taken = _number_values(sources)
    excluded = _excluded_spans(answer)
    found: list[Mutant] = []
    for m in _NUMBER.finditer(answer):
        if _inside(m.span(), excluded):
            continue
        start, end = m.span("int")[0], m.end()
        old = answer[start:end]
        for new, rule in _number_candidates(m):
            # A value that the sources write elsewhere is a misattributed figure, not an invented one:
            # a different error, which value checks cannot see by design, so it is not generated here.
            if _value(new) in taken:
                continue
            found.append(Mutant("year" if rule == "year" else "number", answer, answer[:start] + new + answer[end:],
                                f"figure {old} → {new}", rule))
            break
    words = list(_WORD_NUMBERS)
    for m in _WORD_NUMBER.finditer(answer):
        word = m.group(1)
        later = [w for w in words[words.index(word.lower()) + 1:] + words
                 if w != word.lower() and float(_WORD_NUMBERS[w]) not in taken]
        if not later:
            continue
        new = later[0].capitalize() if word[0].isupper() else later[0]
        found.append(Mutant("number", answer, answer[:m.start()] + new + answer[m.end():],
                            f"figure {word} → {new}", "word-number"))
    return found


# --- negations ----------------------------------------------------------------------------------------------

# Verbs (3rd person, the forms FAQ answers use) that take "ne ... pas" around them. A list rather than a
# tagger: it keeps the mutants grammatical and the test free of models.
_VERBS = """est sont a ont était étaient fut sera seront peut peuvent doit doivent dispose disposent reçoit
reçoivent perçoit perçoivent fait font mène mènent rachète rachètent verse versent compte comptent permet
permettent constitue constituent appartient appartiennent existe existent ressort établit représente
représentent emploie emploient gère gèrent agit propose proposent revendique revendiquent accompagne
accompagnent engage engagent participe participent contribue contribuent prend prennent choisit choisissent
appuie repose reposent finance financent vise visent développe développent""".split()
_CLITICS = r"(?:(?:se|le|la|les|lui|leur|en|y)\s+|[sl]['’])"
_VERB = re.compile(
    r"(?<![\w'’-])(?P<clitic>" + _CLITICS + r")?(?P<verb>" + "|".join(sorted(_VERBS, key=len, reverse=True))
    + r")(?![\w'’-])",
    re.IGNORECASE,
)
_ALREADY_NEGATED_BEFORE = re.compile(r"(?:\bne\s+|\bn['’])\s*$", re.IGNORECASE)
_NEGATION_AFTER = re.compile(r"^\s+(?:\S+\s+)?(?:pas|plus|jamais|aucun|aucune|rien|point|guère)\b",
                             re.IGNORECASE)
_ENGLISH = {"is": "is not", "are": "are not", "was": "was not", "were": "were not", "can": "cannot",
            "will": "will not", "has": "does not have", "have": "do not have"}
_ENGLISH_VERB = re.compile(r"\b(" + "|".join(_ENGLISH) + r")\b(?!\s+not\b|n't)", re.IGNORECASE)

# The verb group between "ne" and "pas": the verb, maybe with a pronoun, an adverb or a noun ("n'y a donc
# aucun", "n'est le relais d'aucun"); at most three words, never across punctuation.
_NE = r"\b(?:ne\s+|n['’])"
_GROUP = r"(?P<verb>[^\s.,;:]+(?:\s+[^\s.,;:]+){0,2}?)"
_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]]

# Removal rules, most specific first; an occurrence matched by an earlier rule is not matched again.
_REMOVALS: tuple[_Rule, ...] = (
    ("remove:ne-en-aucun-cas", re.compile(_NE + r"(?P<verb>\S+)\s+en\s+aucun\s+cas\b", re.IGNORECASE),
     lambda m: m.group("verb")),
    ("remove:ne-ni", re.compile(_NE + r"(?P<verb>\S+)\s+ni\s+(?P<a>[^.;:]+?)\s+ni\b", re.IGNORECASE),
     lambda m: f"{m.group('verb')} {m.group('a')} et"),
    ("remove:ne-aucun", re.compile(_NE + _GROUP + r"\s+(?P<d>d['’])?aucun(?P<e>e?)\b", re.IGNORECASE),
     lambda m: f"{m.group('verb')} {m.group('d') or ''}un{m.group('e')}"),
    ("remove:ne-jamais", re.compile(_NE + _GROUP + r"\s+jamais\b", re.IGNORECASE),
     lambda m: f"{m.group('verb')} toujours"),
    ("remove:ne-pas", re.compile(_NE + _GROUP + r"\s+(?:pas|plus|point)\b", re.IGNORECASE),
     lambda m: m.group("verb")),
    # "Aucun refuge n'est vendu": the subject's "aucun" and the verb's "ne" go together.
    ("remove:aucun-ne", re.compile(r"\b(?P<a>[Aa])ucun(?P<e>e?)\b(?P<mid>[^.;:]*?)" + _NE),
     lambda m: f"{'U' if m.group('a') == 'A' else 'u'}n{m.group('e')}{m.group('mid')}"),
    ("remove:aucun", re.compile(r"\b(?P<a>[Aa])ucun(?P<e>e?)\b"),
     lambda m: f"{'U' if m.group('a') == 'A' else 'u'}n{m.group('e')}"),
    ("remove:sans", re.compile(r"\b(?P<s>[Ss])ans\b"), lambda m: "Avec" if m.group("s") == "S" else "avec"),
    ("remove:non-", re.compile(r"\b[Nn]on[- ](?=[a-zà-ÿ]{4,})"), lambda m: ""),
    ("remove:not", re.compile(r"\s+not\b|n't\b", re.IGNORECASE), lambda m: ""),
    ("remove:cannot", re.compile(r"\bcannot\b", re.IGNORECASE), lambda m: "can"),
)


def _negate(clitic: str, verb: str) -> str:
    """`verb` (with its clitic pronoun, if any) inside "ne ... pas", eliding "ne" before a vowel or h."""
    head = clitic + verb
    upper = head[:1].isupper()
    if upper:
        head = head[:1].lower() + head[1:]
    ne = "n'" if fold(head[:1]) in "aeiouyh" else "ne "
    return f"{ne.capitalize() if upper else ne}{head} pas"


_ENGLISH_MARKERS = re.compile(r"\b(?:the|is|are|was|and|of|has|its)\b", re.IGNORECASE)
_FRENCH_MARKERS = re.compile(r"\b(?:le|la|les|est|et|des|du|une|sont)\b", re.IGNORECASE)


def _looks_english(text: str) -> bool:
    """Answers to English questions are in English, where "a" is an article, not the verb avoir."""
    return len(_ENGLISH_MARKERS.findall(text)) > len(_FRENCH_MARKERS.findall(text))


def negation_mutants(answer: str) -> list[Mutant]:
    """Mutants with one polarity flip each: a negation put around a verb, or an existing negation removed."""
    found: list[Mutant] = []
    inserted = 0
    english = _looks_english(answer)
    for m in ([] if english else _VERB.finditer(answer)):
        if inserted >= MAX_NEGATION_INSERTS:
            break
        before, after = answer[:m.start()], answer[m.end():]
        if _ALREADY_NEGATED_BEFORE.search(before) or _NEGATION_AFTER.match(after) or after.startswith("-t-"):
            continue
        new = _negate(m.group("clitic") or "", m.group("verb"))
        found.append(Mutant("negation", answer, before + new + after, f"negation inserted: {m.group(0)} → {new}",
                            f"insert:{fold(m.group('verb'))}"))
        inserted += 1
    for m in (_ENGLISH_VERB.finditer(answer) if english else []):
        if inserted >= MAX_NEGATION_INSERTS:
            break
        new = _ENGLISH[m.group(1).lower()]
        found.append(Mutant("negation", answer, answer[:m.start()] + new + answer[m.end():],
                            f"negation inserted: {m.group(0)} → {new}", f"insert:{m.group(1).lower()}"))
        inserted += 1
    used: list[tuple[int, int]] = []
    for name, pattern, replace in _REMOVALS:
        for m in pattern.finditer(answer):
            if any(m.start() < end and start < m.end() for start, end in used):
                continue
            used.append(m.span())
            new = replace(m)
            mutated = re.sub(r"[ ]{2,}", " ", answer[:m.start()] + new + answer[m.end():])
            found.append(Mutant("negation", answer, mutated, f"negation removed: {m.group(0)} → {new or '∅'}",
                                name))
    return found


# --- names --------------------------------------------------------------------------------------------------

# Invented for the test, checked at run time not to occur in the FAQ: by type, so that the swap reads well.
OUTSIDE_NAMES = {
    "person": ("Philippe Durand", "Claire Lefebvre", "Antoine Girard", "Nathalie Roux"),
    "acronym": ("UNIOPSS", "FEHAP", "CNAF", "APHP"),
    "organisation": ("Croix-Rouge française", "Fondation Abbé Pierre", "Secours populaire", "Emmaüs France"),
}
# A dot inside a word is kept ("Vice-Président.e.s"), one ending it is a full stop; runs never cross a
# line break, which in FAQ text separates headings and list items.
_WORD = r"(?:[LlDd]['’])?[A-ZÀ-ÖØ-Ý](?:[\wÀ-ÖØ-öø-ÿ'’-]|\.(?=\w))*"
_CONNECTOR = r"(?:de\s+la|de\s+l['’]|à\s+l['’]|à\s+la|de|du|des|d['’])"
_NAME_RUN = re.compile(rf"{_WORD}(?:(?:[ \u00a0]+|[ \u00a0]+{_CONNECTOR}[ \u00a0]*|-){_WORD})*")
# Capitalised words that open sentences or are not names; stripped from the front of a run.
_NOT_NAMES = {fold(w) for w in """Le La Les L Un Une Des Du De D Au Aux En Et Ou Il Ils Elle Elles On Nous
Vous Je Ce Cet Cette Ces Cela Son Sa Ses Leur Leurs Notre Nos Votre Vos Oui Non Selon Depuis Dans Pour Par
Sur Sous Avec Sans Entre Parmi Chaque Tout Tous Toute Toutes Aucun Aucune Ainsi Enfin Toutefois Cependant
Mais Donc Car Or Si Comme Lorsque Quand Alors Aussi Plusieurs Certaines Certains Grâce Concernant Quant
Voici Voilà Bonjour Madame Monsieur Cordialement Merci Question Questions Source Sources Extrait Extraits
Aujourd'hui The A An It Its This These Those Yes No In On At For By With According I We They He She There
Our""".split()}
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…]\s+|\n\s*(?:[-•*]\s*)?|\(\s*|«\s*)$")


def _strip_article(word: str) -> str:
    return re.sub(r"^[LlDd]['’]", "", word)


def names(text: str, org_terms: frozenset[str] = frozenset()) -> list[str]:
    """Names in `text` as whole units ("Marie Dubois", "Maison des Familles", "MJC"), in order.

    The organisation's own name (its folded words, `org_terms`) is left out, and so is a lone capitalised word
    opening a sentence.
    """
    # Blank out citations with as many characters, so that runs stop there and offsets stay the answer's; and the
    # headings the bot writes over its quotes (« The FAQ states (in French): »): no model wrote their names.
    text = _NOT_FIGURES.sub(lambda m: "|" * len(m.group(0)), QUOTE_HEAD.sub(lambda m: "|" * len(m.group(0)), text))
    found: list[str] = []
    for m in _NAME_RUN.finditer(text):
        start, words = m.start(), m.group(0).split()
        # Drop leading non-names ("La Présidente du Bureau" -> "Présidente du Bureau").
        while words and (fold(_strip_article(words[0]).strip("'’")) in _NOT_NAMES
                         or fold(words[0]) in {"de", "du", "des", "d'", "la", "l'", "a"}):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        if not words:
            continue
        start = text.index(words[0], start)
        # Sliced from the text rather than re-joined, so that it matches it again (no-break spaces kept).
        name = _strip_article(text[start:m.end()]).rstrip(".’'-")
        if len(words) == 1 and _SENTENCE_START.search(text[:start]) and not name.isupper():
            continue
        if len(name) < 2 or (org_terms and set(re.findall(r"[a-z0-9]+", fold(name))) <= org_terms):
            continue
        if fold(name) not in {fold(n) for n in found}:
            found.append(name)
    return found


def name_type(name: str) -> str:
    """"acronym", "person" or "organisation", to pick a replacement that reads like the original."""
    if re.fullmatch(r"[A-ZÀ-Ý]{2,}", name):
        return "acronym"
    words = name.split()
    if len(words) == 2 and all(re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?", w) for w in words) \
            and "-" in words[0]:
        return "person"
    return "organisation"


def _mentions(haystack: str, name: str) -> bool:
    needle = re.sub(r"[^a-z0-9]+", " ", normalize(name)).strip()
    return bool(needle) and f" {needle} " in haystack


def _haystack(texts: Iterable[str]) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", normalize(" ".join(texts))) + " "


def name_mutants(answer: str, sources: Sequence[str], faq_texts: Sequence[str] = ()) -> list[Mutant]:
    """Swaps of each name of `answer`: to a name absent from the FAQ, and to one absent from the sources.

    The second swap takes a name from `faq_texts` (the whole FAQ) that the sources do not mention; there is
    none without `faq_texts`. At most MAX_NAMES names per answer are swapped.
    """
    org = _organisation([*faq_texts] or list(sources))
    in_sources = _haystack(sources)
    in_faq = _haystack([*faq_texts, *sources])
    faq_names = [n for n in names("\n".join(faq_texts), org) if not _mentions(in_sources, n)]
    found: list[Mutant] = []
    for name in names(answer, org)[:MAX_NAMES]:
        kind = name_type(name)
        # A stable pick per name (crc32, not hash(), which changes between runs) spreads the swaps over the
        # pools instead of always taking their first entry.
        i = zlib.crc32(name.encode("utf-8"))
        outside = [n for n in OUTSIDE_NAMES[kind] if not _mentions(in_faq, n)]
        if outside:
            new = outside[i % len(outside)]
            found.append(Mutant("name", answer, answer.replace(name, new),
                                f"name {name} → {new} (not in the FAQ)", "outside-faq"))
        same = [n for n in faq_names if name_type(n) == kind and fold(n) != fold(name)]
        other = same or [n for n in faq_names if fold(n) != fold(name)]
        # Among those, names as long as the original read most like it ("Maison des Familles" for
        # "Présidente du Bureau"); the sort is stable, so FAQ order breaks ties.
        other.sort(key=lambda n: abs(len(n.split()) - len(name.split())))
        if other:
            new = other[i % len(other)]
            found.append(Mutant("name", answer, answer.replace(name, new),
                                f"name {name} → {new} (in the FAQ, not in the sources)", "faq-not-sources"))
    return found


def _organisation(texts: Sequence[str]) -> frozenset[str]:
    from chatbot.claims import organisation_terms

    return organisation_terms(list(texts))


# --- years, roles, entities, echoes, endorsements ---------------------------------------------------------------

_YEAR_IN_TEXT = re.compile(r"(?<![\d.])(?<!\d,)(?:19|20)\d{2}(?!\d|[.,]\d)")


def year_mutants(answer: str, sources: Sequence[str]) -> list[Mutant]:
    """A year of the answer replaced by another year the sources write: a figure given for the wrong year (the
    value-only checks cannot see it: the year exists in the sources)."""
    written = sorted({y for s in sources for y in _YEAR_IN_TEXT.findall(s)})
    excluded = _excluded_spans(answer)
    for m in _YEAR_IN_TEXT.finditer(answer):
        if _inside(m.span(), excluded):
            continue
        others = [y for y in written if y != m.group(0)]
        if others:
            new = others[zlib.crc32(answer.encode("utf-8")) % len(others)]
            return [Mutant("year", answer, answer[:m.start()] + new + answer[m.end():],
                           f"year {m.group(0)} → {new} (another year of the sources)", "from-sources")]
    return []


# Role nouns, a class of the language: each swapped for one of another role, in the same form (gender, number).
_ROLE_SWAPS = {"président": "trésorier", "présidente": "trésorière", "présidé": "conseillé", "préside": "conseille",
               "vice-président": "directeur", "vice-présidente": "directrice", "directeur": "porte-parole",
               "directrice": "porte-parole", "directeurs": "administrateurs", "directrices": "administratrices",
               "administrateurs": "salariés", "administratrices": "salariées", "bénévoles": "salariés",
               "représentant": "directeur", "représentants": "directeurs", "fondateur": "président",
               "fondatrice": "présidente", "salariés": "bénévoles", "membres": "dirigeants"}
_ROLE_WORD = re.compile(r"(?<![\w-])(" + "|".join(sorted(_ROLE_SWAPS, key=len, reverse=True)) + r")(?:\.e\.s)?(?![\w-])",
                        re.IGNORECASE)


def role_mutants(answer: str) -> list[Mutant]:
    """A role noun of the answer swapped for another role ("Présidente du Bureau (X)" -> "Trésorière…")."""
    for m in _ROLE_WORD.finditer(answer):
        word = m.group(1)
        new = _ROLE_SWAPS[word.lower()]
        new = new[0].upper() + new[1:] if word[0].isupper() else new
        return [Mutant("role", answer, answer[:m.start()] + new + answer[m.end():], f"role {m.group(0)} → {new}",
                       "swap")]
    return []


def entity_mutants(answer: str, sources: Sequence[str], faq_texts: Sequence[str] = ()) -> list[Mutant]:
    """A name of the answer swapped for another name of its own sources (the Comité for the Bureau): both
    names are in the passages, so only a check that binds what is said to whom can see it."""
    org = _organisation([*faq_texts] or list(sources))
    pool = [n for n in names("\n".join(sources), org)]
    said = names(answer, org)
    # An acronym and its translation (« OTAN » for "NATO", « UE » for "EU") name the same thing: putting one
    # where the answer names the other, or beside it ("NATO/UN" made "NATO/OTAN"), mutates nothing.
    translated = {"".join(sorted(fold(n))) for n in said}
    for name in said[:MAX_NAMES]:
        kind = name_type(name)
        others = [n for n in pool if name_type(n) == kind and fold(n) != fold(name) and fold(n) not in fold(name)
                  and fold(name) not in fold(n) and "".join(sorted(fold(n))) not in translated]
        if others:
            new = others[zlib.crc32(name.encode("utf-8")) % len(others)]
            return [Mutant("entity", answer, answer.replace(name, new), f"entity {name} → {new} (in the sources)",
                           "in-sources")]
    return []


_INVERTED = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)\b", re.IGNORECASE)


def echo_mutants(answer: str, question: str) -> list[Mutant]:
    """When the verified answer says no to a yes/no question, its opposite: "Oui, <the question's assertion>". The
    answer's own words say no, not the FAQ quotes under them (« Oui, … réinvestit … » above « aucune succursale »)."""
    from chatbot.evidence import prose
    from chatbot.negation import has_negation

    q = question.strip()
    if not q.endswith("?") or not (_INVERTED.search(q) or re.match(r"(?i)est-ce qu", q)) or has_negation(q) \
            or not _denies_asked(prose(answer), q) or _looks_english(answer):
        return []
    assertion = re.sub(r"(?i)^est-ce qu(?:e\s+|')", "", _INVERTED.sub("", q.rstrip(" ?"))).strip()
    assertion = assertion[:1].lower() + assertion[1:]
    cites = re.findall(r"\[\d{1,2}\]", answer)
    return [Mutant("echo", answer, f"Oui, {assertion} {cites[0] if cites else ''}".rstrip() + ".",
                   "the question's assertion answered yes", "yes")]


def _denies_asked(said: str, question: str) -> bool:
    """`said` denies what the yes/no `question` asks: the clause holding most of its predicate's words is negated (in
    « Le club n'a aucun salarié, et est une association laïque », the « n' » does not deny « laïque »); any negation
    when no clause holds one of them."""
    from chatbot.claims import asked
    from chatbot.negation import clauses, has_negation
    from ingest.normalize import stem, tokens

    predicate = asked(question).asserted  # the stems of what it asks to confirm
    held = [(sum(stem(w) in predicate for w in tokens(c)), c) for c in clauses(said)]
    best = max((n for n, _ in held), default=0)
    if not best:
        return has_negation(said)
    return any(has_negation(c) for n, c in held if n == best)


_ENDORSEMENTS = (("et appelle à voter pour les candidats qui le soutiennent", "call-to-vote"),
                 ("et dénonce publiquement l'action des pouvoirs publics", "accusation"))


def endorsement_mutants(answer: str) -> list[Mutant]:
    """The answer's first cited sentence with a call to vote or an accusation added, which no FAQ sentence makes."""
    if _looks_english(answer):
        return []
    m = re.search(r"\s*(\[\d{1,2}\])\s*\.?", answer)
    if not m:
        return []
    head = answer[:m.start()].rstrip(" .")
    text, pattern = _ENDORSEMENTS[zlib.crc32(answer.encode("utf-8")) % len(_ENDORSEMENTS)]
    return [Mutant("endorsement", answer, f"{head}, {text} {m.group(1)}." + answer[m.end():],
                   f"added: {text}", pattern)]


# A currency written in the answer, and the one that replaces it in the same grammatical form: the figure's value
# unchanged, its currency another (euros become dollars; any other currency becomes euros).
_CURRENCY_SWAPS = ((r"d['’]euros\b", "de dollars"), (r"d['’]euro\b", "de dollar"), (r"\beuros\b", "dollars"),
                   (r"\beuro\b", "dollar"), (r"€", "$"), (r"\bdollars\b", "euros"), (r"\$", "€"),
                   (r"\b(?:livres sterling|pounds)\b", "euros"))


def currency_mutants(answer: str) -> list[Mutant]:
    """The answer's first currency (not inside a citation marker, a link or a contact detail) replaced by another:
    the same figure in the wrong currency (« 4.2 million dollars » for « 4,2 millions d'euros »), which value checks
    alone cannot see."""
    excluded = _excluded_spans(answer)
    found = []
    for pattern, new in _CURRENCY_SWAPS:
        m = next((m for m in re.finditer(pattern, answer, re.IGNORECASE) if not _inside(m.span(), excluded)), None)
        if m:
            found.append((m.start(), m.end(), new))
    if not found:
        return []
    start, end, new = min(found)
    return [Mutant("currency", answer, answer[:start] + new + answer[end:], f"currency {answer[start:end]} → {new}",
                   f"currency:{new}")]


def mutants(answer: str, sources: list[str], faq_texts: Sequence[str] = (), question: str = "") -> list[Mutant]:
    """Every mutant of a correct `answer`: figures and years changed, polarity flipped, names, roles and entities
    swapped, the question echoed, an endorsement added, a currency changed.

    `sources` are the passages the answer rests on; `faq_texts` (the whole FAQ) supply names found
    elsewhere in the FAQ and the organisation's own name. The result is deterministic and has no duplicate.
    """
    found = [*number_mutants(answer, sources), *year_mutants(answer, sources), *negation_mutants(answer),
             *name_mutants(answer, sources, faq_texts), *role_mutants(answer),
             *entity_mutants(answer, sources, faq_texts), *echo_mutants(answer, question),
             *endorsement_mutants(answer), *currency_mutants(answer)]
    # Two rules can produce the same text; a mutant identical to the answer tests nothing.
    unique: dict[str, Mutant] = {}
    for m in found:
        if m.mutated != answer and m.mutated not in unique:
            unique[m.mutated] = m
    return list(unique.values())


# --- running the test ---------------------------------------------------------------------------------------

# judge(record, answer) -> True or the names of the failed checks when `answer` fails; False or [] otherwise.
JudgeFn = Callable[[dict[str, Any], str], bool | Sequence[str]]


def case_from_record(record: Mapping[str, Any]) -> Case:
    """The case a record was judged with, as far as the record tells.

    Records from `run_case` carry id, question and kind; `must_include` / `must_not_include` are used when
    the record has them (normalised as in `load_cases`), and are empty otherwise.
    """
    include = record.get("must_include") or []
    exclude = record.get("must_not_include") or []
    return Case(
        id=str(record.get("id", "")), question=str(record.get("question", "")),
        kind=str(record.get("kind", "answer")),
        must_include=tuple(tuple(normalize(str(a)) for a in group) for group in include),
        must_not_include=tuple(normalize(str(a)) for a in exclude),
    )


def source_passages(record: Mapping[str, Any], source_texts: Mapping[str, str]) -> list[str]:
    """The texts of the record's sources, in order (citation [n] is the n-th); InputError if one is unknown."""
    ids = [str(s.get("chunk_id")) for s in record.get("sources") or []]
    unknown = [i for i in ids if i not in source_texts]
    if unknown:
        raise InputError(f"case {record.get('id')}: source chunks {', '.join(unknown)} are not in the FAQ "
                         "index: rebuild it with `faqbot index` or rerun the answers")
    return [source_texts[i] for i in ids]


def faq_organisation(source_texts: Mapping[str, str]) -> frozenset[str]:
    """The organisation's name as the bot reads it from the whole FAQ (`chatbot.claims.organisation_terms`)."""
    from chatbot.claims import organisation_terms

    key = id(source_texts)
    if _ORG_CACHE.get("key") != key:
        _ORG_CACHE.update(key=key, terms=organisation_terms(list(source_texts.values())))
    return _ORG_CACHE["terms"]  # type: ignore[return-value]


_ORG_CACHE: dict[str, object] = {}


def default_judge(record: Mapping[str, Any], answer: str, source_texts: Mapping[str, str],
                  cases: Mapping[str, Case] | None = None, restates: Restates | None = None,
                  entails: Entails | None = None) -> list[str]:
    """Names of the checks `answer` fails for this record (empty: it passes).

    The checks are `chatbot.verify.verify` against the record's source passages (in order, as the bot
    numbered them) with the question the bot answered (and the bot's restatement test and claim judge), then
    `include_check` / `exclude_check` with the case from `cases` by id, or else rebuilt from the record by
    `case_from_record`.
    """
    from chatbot.verify import verify

    question = str(record.get("standalone_question") or record.get("question") or "")
    verification = verify(answer, source_passages(record, source_texts), question,
                          org_terms=faq_organisation(source_texts), restates=restates, entails=entails)
    failed = [f"verify:{c.name}" for c in verification.checks if not c.passed]
    case = (cases or {}).get(str(record.get("id"))) or case_from_record(record)
    if not include_check(answer, case)["passed"]:
        failed.append("must_include")
    if not exclude_check(answer, case)["passed"]:
        failed.append("must_not_include")
    return failed


@dataclass(frozen=True)
class MutantResult:
    """One mutant of one case's answer, and whether the judge caught it (and by which checks)."""

    case_id: str
    mutant: Mutant
    caught: bool
    caught_by: tuple[str, ...] = ()


@dataclass
class MutationReport:
    """Outcome of the mutation test: every mutant judged, and the records that could not be used."""

    results: list[MutantResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case id, why)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Kind -> (caught, total), every kind listed."""
        out = {kind: (0, 0) for kind in KINDS}
        for r in self.results:
            caught, total = out.get(r.mutant.kind, (0, 0))
            out[r.mutant.kind] = (caught + r.caught, total + 1)
        return out

    def pattern_counts(self) -> dict[str, tuple[int, int]]:
        """Rule -> (caught, total): which figure, negation and name rules the checks are blind to."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.results:
            key = f"{r.mutant.kind}/{r.mutant.pattern}"
            caught, total = out.get(key, (0, 0))
            out[key] = (caught + r.caught, total + 1)
        return dict(sorted(out.items()))

    @property
    def total(self) -> int:
        """Number of mutants judged."""
        return len(self.results)

    @property
    def caught(self) -> int:
        """Number of mutants the judge rejected."""
        return sum(r.caught for r in self.results)

    @property
    def share(self) -> float | None:
        """Share of all mutants caught (None when no mutant could be made)."""
        return round(self.caught / self.total, 4) if self.results else None

    def share_of(self, kind: str) -> float | None:
        """Share of the mutants of one kind caught."""
        caught, total = self.counts().get(kind, (0, 0))
        return round(caught / total, 4) if total else None

    @property
    def uncaught(self) -> list[MutantResult]:
        """The mutants that passed the judge: wrong answers the checks would let through."""
        return [r for r in self.results if not r.caught]

    def metrics(self) -> dict[str, float | int | None]:
        """Summary metrics: the number of mutants, and the share caught per kind (each gated on its own: a blended
        share would let a kind the checks are blind to hide behind the easy ones)."""
        out: dict[str, float | int | None] = {"mutants": self.total}
        out.update({f"mutants_caught_{kind}": self.share_of(kind) for kind in KINDS})
        return out

    def to_dict(self) -> dict[str, object]:
        """JSON form (for mutation.json beside results.jsonl)."""
        return {
            **self.metrics(),
            "counts": {k: {"caught": c, "total": t} for k, (c, t) in self.counts().items()},
            "patterns": {k: {"caught": c, "total": t} for k, (c, t) in self.pattern_counts().items()},
            "uncaught": [{"id": r.case_id, "kind": r.mutant.kind, "pattern": r.mutant.pattern,
                          "description": r.mutant.description, "mutated": r.mutant.mutated}
                         for r in self.uncaught],
            "skipped": [{"id": i, "why": why} for i, why in self.skipped],
        }

    def to_markdown(self) -> str:
        """Markdown section: catch rate by kind, then each uncaught mutant with the answer it produced."""
        lines = ["## Mutation test", ""]
        lines.append(f"{self.total} mutants of the passing answers; the share caught is reported and gated per kind.")
        lines += ["", "| kind | caught | total | share |", "|---|---:|---:|---:|"]
        for kind, (caught, total) in self.counts().items():
            lines.append(f"| {kind} | {caught} | {total} | {caught / total:.1%} |" if total
                         else f"| {kind} | 0 | 0 | – |")
        if self.uncaught:
            lines += ["", "### Uncaught mutants", ""]
            for r in self.uncaught:
                lines.append(f"- `{r.case_id}` ({r.mutant.kind}, {r.mutant.pattern}): {_md(r.mutant.description)}"
                             f"  \n  > {_md(r.mutant.mutated)}")
        if self.skipped:
            lines += ["", "### Cases not used", ""]
            lines += [f"- `{case_id}`: {_md(why)}" for case_id, why in self.skipped]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """The same section as HTML, every answer text escaped."""
        e = html.escape
        parts = ["<h2>Mutation test</h2>",
                 f"<p>{self.total} mutants of the passing answers; the share caught is reported and gated per kind.</p>",
                 "<table><tr><th>kind</th><th>caught</th><th>total</th><th>share</th></tr>"]
        for kind, (caught, total) in self.counts().items():
            parts.append(f"<tr><td>{e(kind)}</td><td class=num>{caught}</td><td class=num>{total}</td>"
                         f"<td class=num>{f'{caught / total:.1%}' if total else '–'}</td></tr>")
        parts.append("</table>")
        if self.uncaught:
            parts.append("<h3>Uncaught mutants</h3><ul>")
            parts += [f"<li><code>{e(r.case_id)}</code> ({e(r.mutant.kind)}, {e(r.mutant.pattern)}): "
                      f"{e(r.mutant.description)}<blockquote>{e(r.mutant.mutated)}</blockquote></li>"
                      for r in self.uncaught]
            parts.append("</ul>")
        if self.skipped:
            parts.append("<h3>Cases not used</h3><ul>")
            parts += [f"<li><code>{e(case_id)}</code>: {e(why)}</li>" for case_id, why in self.skipped]
            parts.append("</ul>")
        return "\n".join(parts) + "\n"


def _md(text: str) -> str:
    """Inline Markdown-safe text (no accidental emphasis, tables or raw HTML), on one line."""
    return re.sub(r"([\\`*_~=<>|])", r"\\\1", " ".join(text.split()))


def _failures(verdict: bool | Sequence[str]) -> tuple[bool, tuple[str, ...]]:
    if isinstance(verdict, bool):
        return verdict, ("judge",) if verdict else ()
    return bool(verdict), tuple(str(v) for v in verdict)


def run_mutation_test(records: Iterable[Mapping[str, Any]], source_texts: Mapping[str, str],
                      judge_fn: JudgeFn | None = None) -> MutationReport:
    """Mutate every passing, non-abstained answer and count the mutants `judge_fn` rejects.

    `judge_fn(record, answer)` returns True, or the names of the failed checks, when `answer` fails for
    that record; False or an empty list when it passes. Default: `default_judge` over `source_texts`
    (chunk_id -> passage text). A record whose own answer already fails the judge is skipped, since its
    mutants could be "caught" for the original's fault.
    """
    judge: JudgeFn = judge_fn or partial(default_judge, source_texts=source_texts)
    faq_texts = list(source_texts.values())
    report = MutationReport()
    seen: set[tuple[str, str]] = set()
    for record in records:
        if not record.get("passed") or record.get("abstained") or not record.get("answer"):
            continue
        case_id, answer = str(record.get("id")), str(record["answer"])
        if (case_id, answer) in seen:  # the same answer twice (--repeat) would count its mutants twice
            continue
        seen.add((case_id, answer))
        try:
            passages = source_passages(record, source_texts)
        except InputError as exc:
            report.skipped.append((case_id, str(exc)))
            continue
        failed, by = _failures(judge(dict(record), answer))
        if failed:
            report.skipped.append((case_id, "its own answer fails the judge (" + ", ".join(by) + ")"))
            continue
        question = str(record.get("standalone_question") or record.get("question") or "")
        for mutant in mutants(answer, passages, faq_texts, question):
            caught, by = _failures(judge(dict(record), mutant.mutated))
            report.results.append(MutantResult(case_id, mutant, caught, by))
    return report
