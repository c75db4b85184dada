"""Verification: every figure and proper noun of an answer must appear in the passages it cites.

French number formats are compared by value: `1,2 milliard`, `1 200 millions` and `1.2 milliards`
are the same figure; `12 000` is `12000`; `1er` is the rank 1; `0,8 %` is 0.8.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from chatbot.claims import ClaimVerdict, Entails, Restates, asked, counts_persons, judge_claims
from chatbot.counted import SinglesOut, counts_asked
from chatbot.evidence import prose
from chatbot.language import answer_language, detect
from chatbot.markers import CITATION, ELISION, SECTION_REF
from chatbot.negation import CLAUSE, NEGATION_WORDS, clauses, denied_terms, has_negation
from chatbot.numbers import NUMBER_WORDS, ORDINAL_WORDS
from chatbot.on_topic import check_on_topic
from chatbot.question import FIGURE_KINDS, Question, as_question
from chatbot.rankings import RankedLine, gives_rank, other_field
from chatbot.repetition import loop
from chatbot.scope import gives_duration
from ingest.chunker import passage_sentences, split_sentences
from ingest.normalize import fold, normalize, stem, tokens
from ingest.profile import contact_kinds, names_contact, without_contact_details

# A figure asked for is owed as a figure the question did not give itself (kept for measurement).
NEW_FIGURE = True
# An English count answered by a figure that counts what the question asks (`check_answers_question`).
COUNTS_ASKED = True
# A year asked is answered by a year or a span of time, not by another figure (kept switchable for measurement).
YEAR_ASKED = True
# A question asking for the organisation's phone number or e-mail address is not answered by prose without one (« Quel
# numéro composer pour parler au club ? » answered with a copied sentence of another passage the word « parler »
# brought in): the answer is rejected, and the contact lines among the sources answer (kept for measurement).
CONTACT_OWED = True
_STRING_DETAILS = frozenset({"phone", "email"})  # given only as strings; a place or a site may be named in prose
_YEAR_FIGURE = re.compile(r"(?:19|20)\d\d")
# A number: optional sign, digits with French thousands separators, optional decimals, then an optional
# scale word or percent sign; ordinals (1er, 2ème, 3e) are ranks. « 250, 000 » (an English separator followed by a
# space, as a small model writes « 250 000 » translated) is one figure, not 250 and 0: at most three digits before
# the comma (« In 2019, 130 … » stays a year and a count) and exactly three after.
_FIGURE = re.compile(
    r"(?<![\w.,])[+-]?(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}, \d{3}(?![\d,.])|\d+)(?:[.,](\d+))?"
    r"(?:\s*(%|pour ?cent|milliards?|millions?|mille|k€|m€|md€))?"
    r"(?:\s*(?:er|ère|re|ème|eme|e|nd|nde)\b)?",
    re.IGNORECASE,
)
_SCALES = {"milliard": 1e9, "milliards": 1e9, "million": 1e6, "millions": 1e6, "mille": 1e3, "k€": 1e3,
           "m€": 1e6, "md€": 1e9}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b(?!-)", re.IGNORECASE)
# A rank in words is the rank in figures (« le deuxième club de la région » is « 2e club »), after a determiner,
# a copula or a verb of ranking only (« classé cinquième », "ranked tenth"): « dans un premier temps », « en second
# lieu », « First, … » rank nothing.
_ORDINAL_WORD = "|".join(ORDINAL_WORDS)
_ORDINAL = re.compile(r"\b(?:le|la|les|l'|l’|ce|cet|cette|ces|sa|son|ses|leur|leurs|notre|nos|est|sont|reste|the|this|that|"
                      r"these|those|its|their|our|is|are|remains|classée?s?|classee?s?|se classe|arrive|arrives|ranks?|"
                      r"ranked|comes|finishes)\s+(" + _ORDINAL_WORD + r")\b(?!-)"
                      r"|\b(" + _ORDINAL_WORD + r")\s+(?:place|position|rang)s?\b", re.IGNORECASE)
# Capitalised words that are not names to check (sentence openers, the organisation itself, common nouns
# capitalised by convention).
_COMMON_CAPITALISED = set(fold(w) for w in """
Le La Les L Un Une Des Du De D Au Aux En Et Ou Il Ils Elle Elles On Nous Vous Je Ce Cet Cette Ces Cela Ceci
Son Sa Ses Leur Leurs Notre Nos Votre Vos Oui Non Selon Depuis Dans Pour Par Sur Sous Avec Sans Entre Parmi
Chaque Tout Tous Toute Toutes Aucun Aucune Ainsi Enfin Toutefois Cependant Mais Donc Car Or Si Comme Lorsque
Quand Alors Aussi Par ailleurs Plusieurs Certaines Certains Grâce Concernant Quant Voici Voilà Bonjour Madame
Monsieur Cordialement Merci Je Madame, FAQ Question Questions Source Sources Extrait Extraits Pas
The A An It Its This These Those Yes No In On At For By With According I We They He She There Our Their His Her
Your My You
""".split()) | {fold(w) for w in """
Cela Ceux Celle Celles Après Avant Lors Afin Pourtant Néanmoins Ensuite Puis Également Notamment Aujourd'hui
Actuellement Historiquement Concrètement Face Malgré Outre Dès Chacun Chacune Plus Moins Très Bien Sinon Parce
Puisque Enfin Ici Là Elle Nos Mes Tes Vos Nous Vous Ils Elles Leur Leurs Qui Que Quoi Dont Où Comment Pourquoi
Quel Quelle Quels Quelles Combien Est Sont Était Été Avoir Être Il Madame Monsieur Mesdames Messieurs Chère Cher
Personne Rien Nul Nulle Quiconque
""".split()}
# English answers capitalise translated titles ("Treasurer of the Executive Committee", "State Council"): role,
# institution and nationality words of the language, not names to find in a French FAQ.
_ENGLISH_COMMON = {fold(w) for w in """
president presidents vice vice-president vice-presidents chairman chairwoman chair chief officer director directors
executive executives manager managers treasurer secretary founder founders spokesperson member members board
committee council assembly general union federation federations association associations foundation company
government state ministry minister mayor court auditors office department agency french european english
""".split()} | {fold(w) for w in """
and but or so if since each every some many most all any both either neither here there however moreover furthermore
finally therefore thus hence also then today now currently indeed instead although though while when where why how
what which who whose as after before because from to of not only other such one first second third last next like
unlike despite through within between among once until unless whether whereas overall besides meanwhile nevertheless
nonetheless otherwise likewise similarly additionally consequently accordingly regarding concerning following given
nobody nothing none nowhere everyone everybody everything someone somebody something anyone anybody anything
""".split()}
# An English word opening a sentence that ends like an adverb or a gerund (« Historically, », « Doubling the impact »)
# is a word of the sentence, not a name: English capitalises it only for its position.
_ENGLISH_OPENER = re.compile(r"^[A-Z][a-z]{3,}(?:ly|ing)$")
# Answer particles: they open an answer, they are not what it states.
_ANSWER_WORDS = {"oui", "non", "yes", "no"}
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Ý][\wÀ-ÿ'’-]*")
_ACRONYM = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")
_POSSESSIVE = re.compile(r"['’]s$")
_ELIDED = re.compile(r"^(?:[DLJMNSTCdljmnstc]|Qu|qu|Jusqu|Lorsqu|Puisqu)['’](.+)$")


@dataclass(frozen=True)
class Figure:
    """A figure as written: `values` is what it asserts (scaled when it has a scale word), `raw` adds the
    number as written, which is what a figure without scale word in another text may refer to."""

    text: str
    values: frozenset[float]
    raw: frozenset[float]


@dataclass
class Check:
    """One verification check: its name, whether it passed, and the evidence."""

    name: str
    passed: bool
    checked: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON form for the `verification` field of `faqbot ask --json`."""
        return {"name": self.name, "passed": self.passed, "checked": self.checked, "unsupported": self.unsupported}


@dataclass
class Verification:
    """The outcome of all checks on one answer, and the verdict on each claim sentence of its own words."""

    checks: list[Check]
    claims: list[ClaimVerdict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    def problems(self) -> list[str]:
        """Human-readable list of what failed."""
        return [f"{c.name}: {', '.join(c.unsupported)}" for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, object]:
        """JSON form: `passed` and `checks` as before, and `claims` (verdict, reason, supporting sentences)."""
        return {"passed": self.passed, "checks": [c.to_dict() for c in self.checks],
                "claims": [c.to_dict() for c in self.claims]}


def strip_references(text: str) -> str:
    """The text without citation markers [n] and "question N" references (their numbers are not facts)."""
    return SECTION_REF.sub(" ", CITATION.sub(" ", text))


def _value(integer: str, decimals: str | None) -> float:
    digits = re.sub(r"\D", "", integer)
    return float(f"{digits}.{decimals}") if decimals else float(digits)


def figures(text: str) -> list[Figure]:
    """Every figure in `text` (digits, French number words, ranks in words), with the values it may mean."""
    text = strip_references(text)
    found: list[Figure] = []
    for match in _FIGURE.finditer(text):
        integer, decimals, unit = match.group(1), match.group(2), (match.group(3) or "").lower()
        value = _value(integer, decimals)
        asserted = {round(value * _SCALES[unit], 3)} if unit in _SCALES else {value}
        # « 12,000 » in English is « 12 000 » in French: three digits after the separator may group thousands, and
        # the figure asserts either reading.
        if decimals and len(decimals) == 3 and not unit:
            asserted.add(_value(integer + decimals, None))
        found.append(Figure(match.group(0).strip(), frozenset(asserted), frozenset(asserted | {value})))
    for match in _WORD_NUMBER.finditer(text):
        value = float(NUMBER_WORDS[match.group(1).lower()])
        found.append(Figure(match.group(0), frozenset({value}), frozenset({value})))
    for match in _ORDINAL.finditer(text):
        word = match.group(1) or match.group(2)
        value = float(ORDINAL_WORDS[word.lower()])
        found.append(Figure(word, frozenset({value}), frozenset({value})))
    return found


def gives_new_figure(answer: str, question: Question | str) -> bool:
    """True when `answer` holds a figure that `question` does not give itself (any figure when it gives none): «
    Avec 3,2 millions d'euros de budget, combien de bénévoles ? » is not answered by the 3,2 millions. A year answers
    only a question asking for a date or a duration (« depuis 1998 »): « En 2019, … » does not give an amount."""
    read = as_question(question)
    given = asked(read).values  # the question's figures as the claim checks read them (`claim.adds`)
    dates = bool(read.asks & {"year", "duration"})
    return any(not figure.values & given and (dates or not _YEAR_FIGURE.fullmatch(figure.text))
               for figure in figures(answer))


def asks_year_only(question: Question) -> bool:
    """True when the only figure `question` asks for is a year (« En quelle année … ? », « Depuis quand … ? »)."""
    return question.asks & FIGURE_KINDS == {"year"}


def gives_asked_year(answer: str, question: Question | str) -> bool:
    """True when `answer` gives a year that `question` does not give itself, or a span of time with such a figure
    (« depuis près de 30 ans » answers « Depuis quand … ? »): « présent dans 12 pays » does not say since when, nor
    « jusqu'en 2030 » when the plan « Cap 2030 » was written."""
    given = asked(as_question(question)).values
    span = gives_duration(answer)
    return any(not figure.values & given and (span or _YEAR_FIGURE.fullmatch(figure.text))
               for figure in figures(answer))


def supported_values(sources: Sequence[str]) -> set[float]:
    """Every value a figure of the sources may stand for."""
    values: set[float] = set()
    for source in sources:
        for figure in figures(source):
            values |= figure.raw
    return values


def giving(sentences: Sequence[str], values: frozenset[float]) -> list[str]:
    """The sentences holding a figure that may stand for one of `values` (those that give it)."""
    return [s for s in sentences if any(f.raw & values for f in figures(s))]


def check_figures(answer: str, sources: Sequence[str]) -> Check:
    """Each figure of the answer must stand for a value written in the sources ("10 milliards" is not
    supported by "10 millions"; "1 200 millions" is supported by "1,2 milliard")."""
    allowed = supported_values(sources)
    found = figures(answer)
    unsupported = [f.text for f in found if not (f.values & allowed)]
    return Check("figures", not unsupported, [f.text for f in found], unsupported)


def _organisation_word(word: str, org_terms: frozenset[str]) -> bool:
    """A word of the organisation's own name, or its English form ("Group" for "Groupe")."""
    folded = fold(word)
    return folded in org_terms or (len(folded) >= 5 and any(t[:5] == folded[:5] for t in org_terms if len(t) >= 5))


def proper_nouns(text: str, vocabulary: frozenset[str] | set[str] = frozenset(), *, english: bool = False,
                 org_terms: frozenset[str] = frozenset()) -> list[str]:
    """Names in `text`: runs of capitalised words ("Marie Dubois", "Fondation Lumière Savoie") and acronyms.

    Leading words that are common (usual sentence openers, or words the passages use in lower case) are
    not names; a capitalised word opening a sentence is a name unless it is common ("Secours populaire"
    opening a line is checked, "Cette" is not). The organisation's own name (`org_terms`, folded words) is not a
    name to check alone, but part of a longer one ("Fondation Lumière Jeunesse").
    """
    common = _COMMON_CAPITALISED | (_ENGLISH_COMMON if english else set())
    text = strip_references(text)
    names: list[str] = []
    for sentence in re.split(r"(?<=[.!?:;…])\s+|\n+|^\s*[-•]\s*|\(\s*", text):
        runs: list[list[str]] = []
        previous_end = -1
        for match in _CAPITALISED.finditer(sentence):
            word = _POSSESSIVE.sub("", match.group(0)).strip("'’-")  # "Fondation Lumière's" names the Fondation Lumière
            elided = _ELIDED.match(word)
            if elided:  # "D'après" is a word, "L'Harmonie" a name: judge what follows the elision
                word = elided.group(1)
                if not word[:1].isupper():
                    continue
            if len(word) < 2:
                continue
            if english and _ENGLISH_OPENER.match(word) and not sentence[: match.start()].strip(" *\"“«0123456789.)-•"):
                continue
            if runs and sentence[previous_end : match.start()].strip() == "":
                runs[-1].append(word)
            else:
                runs.append([word])
            previous_end = match.end()
        for run in runs:
            while run and fold(run[0]) in common and not _organisation_word(run[0], org_terms):
                run = run[1:]
            if not run or all(fold(w) in common or _organisation_word(w, org_terms) for w in run):
                continue  # "Le", "Fondation Lumière": nothing to check
            if len(run) == 1 and fold(run[0]) in vocabulary and not _ACRONYM.fullmatch(run[0]):
                continue  # a common word the passages use in lower case, capitalised by its position
            names.append(" ".join(run))
    return names


def name_in_sources(name: str, haystack: str, vocabulary: frozenset[str] | set[str],
                    org_terms: frozenset[str] = frozenset(), text: str = "") -> bool:
    """`name` occurs in the sources (`haystack`: words between spaces); or it is the organisation's name joined to a
    name the sources (`text`) write capitalised on its own ("Fondation Lumière Bureau": the Bureau of the
    Fondation Lumière; not "Fondation Lumière Savoie" from "Refuges Lumière Savoie")."""
    needle = re.sub(r"[^a-z0-9]+", " ", normalize(name)).strip()
    if not needle or f" {needle} " in haystack or f" {needle}s " in haystack:
        return True
    if _ACRONYM.fullmatch(_POSSESSIVE.sub("", name).removesuffix("s")) and any(
            _reordered(form, haystack) for form in {needle, needle.removesuffix("s")}):  # « NGOs »
        return True
    words = name.split()
    lead = 0
    while lead < len(words) and _organisation_word(words[lead], org_terms):
        lead += 1
    rest = words[lead:]
    if not lead or not rest or any(fold(w) in vocabulary for w in rest):
        return False
    for match in re.finditer(r"(?<![\w-])" + re.escape(" ".join(rest)) + r"(?![\w-])", text):
        before = text[: match.start()].split()
        if not before or not before[-1][:1].isupper():
            return True
    return False


def _reordered(acronym: str, haystack: str) -> bool:
    """An acronym translated between French and English keeps its letters in another order (« OTAN » / « NATO »,
    « ONG » / « NGO »): one of the sources' words has exactly its letters."""
    return "".join(sorted(acronym)) in _letter_keys(haystack, len(acronym))


@lru_cache(maxsize=512)
def _letter_keys(haystack: str, size: int) -> frozenset[str]:
    return frozenset("".join(sorted(w)) for w in haystack.split() if len(w) == size)


@lru_cache(maxsize=512)
def _names_haystack(sources: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """The sources in matching form (words between spaces) and the words they write in lower case."""
    joined = " ".join(sources)
    haystack = " " + re.sub(r"[^a-z0-9]+", " ", normalize(joined)) + " "
    return haystack, frozenset(fold(w) for w in re.findall(r"(?<![\w'’])[a-zà-ÿœæ][\w'’-]*", joined))


def check_proper_nouns(answer: str, sources: Sequence[str], *, org_terms: frozenset[str] = frozenset()) -> Check:
    """Each name or acronym of the answer must occur, as a whole phrase, in the sources (accents and case
    ignored); the organisation's own name (`org_terms`) is not checked alone."""

    haystack, vocabulary = _names_haystack(tuple(sources))
    found = proper_nouns(answer, vocabulary, english=detect(answer) == "en", org_terms=org_terms)
    text = "\n".join(sources)
    unsupported = [name for name in found if not name_in_sources(name, haystack, vocabulary, org_terms, text)]
    return Check("proper_nouns", not unsupported, found, sorted(set(unsupported), key=unsupported.index))


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def check_years(answer: str, passages: Sequence[str]) -> Check:
    """A figure stated for a year must come from a source sentence about that year: "En 2019, le chiffre
    d'activité est de 2,5 millions" is wrong when the FAQ gives 2,5 millions for 2023."""

    source_sentences = [s for p in passages for s in passage_sentences(p)]
    checked, unsupported = [], []
    for line in strip_references(answer).splitlines():
        for sentence in split_sentences(line):
            years = set(_YEAR.findall(sentence))
            if not years:
                continue
            for figure in figures(sentence):
                if figure.text.strip() in years:
                    continue
                holders = giving(source_sentences, figure.values)
                dated = [s for s in holders if _YEAR.search(s)]
                if holders and len(dated) == len(holders) and not any(years & set(_YEAR.findall(s))
                                                                          for s in dated):
                    unsupported.append(f"{figure.text} ({', '.join(sorted(years))})")
                checked.append(figure.text)
    return Check("years", not unsupported, checked, unsupported)


_YES = re.compile(r"^\W*(?:oui|yes)\b", re.IGNORECASE)


def check_polarity(answer: str, passages: Sequence[str], *, org_terms: frozenset[str] = frozenset()) -> Check:
    """A clause must not flip the polarity of the source clause it copies: no negation inserted or removed,
    no "Oui" in front of a source that says "ne ... en aucun cas", and nothing the sources deny ("aucune
    succursale") stated without a negation ("le club a des succursales")."""

    def stems(text: str) -> set[str]:
        return {stem(w) for w in tokens(text) if len(w) > 2} - ignore - _ANSWER_WORDS - NEGATION_WORDS

    ignore = {stem(w) for w in org_terms} | set(org_terms)

    checked, flipped = [], []
    for line in strip_references(answer).splitlines():

        for sentence in split_sentences(line):
            numbers = [n for n in cited_numbers(sentence) if 1 <= n <= len(passages)]
            source_clauses = [c for p in ([passages[n - 1] for n in numbers] or passages) for c in clauses(p)]
            if not source_clauses:
                continue
            yes = bool(_YES.match(sentence))
            denied = denied_terms([passages[n - 1] for n in numbers] or passages, org_terms)
            for clause in CLAUSE.split(_YES.sub("", sentence)):
                words = stems(clause)
                if not words:
                    continue
                if words & denied and not has_negation(clause):
                    checked.append(clause.strip())
                    flipped.append(clause.strip())
                    break
                best = max(source_clauses, key=lambda c: len(words & stems(c)))
                # Short clauses ("Le club n'est pas ouvert l'hiver") share one word with their source.
                if len(words & stems(best)) < (1 if len(words) <= 3 else 2):
                    continue
                checked.append(clause.strip())
                if has_negation(clause) != has_negation(best) or (yes and has_negation(best)):
                    flipped.append(clause.strip())
                    break
    return Check("polarity", not flipped, checked, flipped)


_QUOTED = re.compile(r"«\s*([^»]{12,})\s*»|“([^”]{12,})”")


def check_quotes(answer: str, passages: Sequence[str]) -> Check:
    """Text quoted between « » (or “ ”) must appear word for word in the passages (after a leading « […] »: the cut)."""
    haystack = normalize(" ".join(passages))
    quotes = [next(g for g in m.groups() if g).strip() for m in _QUOTED.finditer(answer)]
    missing = [q for q in quotes if normalize(q.removeprefix(ELISION)).strip().rstrip(". ") not in haystack]
    return Check("quotes", not missing, quotes, missing)


# An answer that repeats a phrase or a sentence as a looping model does is rejected (kept for measurement).
LOOPS_REJECTED = True


def check_repetition(answer: str) -> Check:
    """The answer's own words say each thing once: a looping answer (`chatbot.repetition.loop`) fails."""
    phrase = loop(answer) if LOOPS_REJECTED else ""
    return Check("repetition", not phrase, [], [f"« {phrase} » said again"] if phrase else [])


def check_language(answer: str, language: str | None) -> Check:
    """The answer's own words are in the question's `language` (None: not checked); an English question answered by
    French sentences copied from the FAQ fails, its quotations of the FAQ aside."""
    got = answer_language(answer) if language else None
    wrong = got is not None and got != language
    return Check("language", not wrong, [answer] if got else [], [f"{answer} (en {got}, question en {language})"]
                 if wrong else [])


def _only_contact_details(text: str) -> bool:
    """Whether `text` holds no word once its contact details and citation markers are set aside."""
    return not re.search(r"[^\W\d_]", CITATION.sub(" ", without_contact_details(text)))


def check_answers_question(answer: str, question: Question | str, *, figure_owed: bool = True,
                           sources: Sequence[str] = (), singles_out: SinglesOut | None = None,
                           passages: Sequence[str] = (), org_terms: frozenset[str] = frozenset(),
                           ranks: Sequence[RankedLine] | None = None) -> Check:
    """A question asking for a figure (count, amount, year, percentage) needs a figure in the answer, unless the
    figure is the part the FAQ lacks (`figure_owed` false), and a question in another language asking how many of
    something, a figure counting that (`counts_asked`, against the cited `sources`; `singles_out` finds a synonym's
    sentence); one asking for a kind of contact detail (a phone number, an address...) is not answered by a detail
    of another kind."""
    if not question:
        return Check("answers_question", True, [], [])
    read = as_question(question)  # the bot's typed question as it is; a string classified once here
    wanted = read.contact - {"any"}
    own = prose(answer)
    given = contact_kinds(own)
    if given and not read.contact and not names_contact(read.text) and _only_contact_details(own):
        # Nothing but a contact detail, to a question with no word of one (« Quel est le code du portail ? »
        # answered « contact@… [1] »): a detail copied from the FAQ, stated by it, answering nothing.
        return Check("answers_question", False, [read.text],
                     [f"the answer gives only {', '.join(sorted(given))} where the question asks for no contact detail"])
    if wanted and given and not wanted & given:
        return Check("answers_question", False, [read.text],
                     [f"the answer gives {', '.join(sorted(given))} where the question asks for "
                      f"{', '.join(sorted(wanted))}"])
    owed = wanted & _STRING_DETAILS
    if CONTACT_OWED and owed and not contact_kinds(answer) and not read.polar and not read.contact_holder:
        # A quoted contact line answers (the whole answer is read, quotes too). Not a yes/no question on the detail
        # itself (« Les appels sont-ils gratuits ? »), nor someone else's.
        return Check("answers_question", False, [read.text],
                     [f"no {' or '.join(sorted(owed))} in the answer where the question asks for one"])
    if figure_owed and read.asks_rank and not gives_rank(answer):
        # « Quelle place occupe le club parmi les refuges ? » answered with what the club is or does, true and cited,
        # answers another question (a yes/no question is answered by its « oui »).
        return Check("answers_question", False, [read.text], ["no rank in the answer where the question asks a position "
                                                              "in a ranking"])
    other = other_field(own, passages, read, org_terms | {stem(t) for t in org_terms}, ranks) if figure_owed else None
    if other and read.rank_given:
        # « Dans quel domaine le club est-il 5e ? » answered with the rank and another list's heading: the field holding
        # that rank is the line's own.
        return Check("answers_question", False, [read.text], [f"the answer does not name the field the passages give "
                                                              f"this rank: « {other.text} »"])
    if other:
        # « Pour la mobilité inclusive, quel classement ? » answered with the rank the FAQ gives for another field: true
        # of that field, cited, and not the rank asked, which the passages give in a line naming the field.
        return Check("answers_question", False, [read.text], [f"the answer gives the rank « {other.text} », where "
                                                              "the passages rank the field the question names"])
    if not figure_owed or not read.asks_figure:
        return Check("answers_question", True, [], [])
    # The figure owed is one the question did not give: restating the question's own figure answers nothing.
    has_figure = gives_new_figure(answer, read) if NEW_FIGURE else bool(figures(answer))
    if not has_figure:
        return Check("answers_question", False, [read.text], ["no figure in the answer besides the question's own"])
    if YEAR_ASKED and asks_year_only(read) and not gives_asked_year(answer, read):
        return Check("answers_question", False, [read.text], ["no year in the answer where the question asks one"])
    if COUNTS_ASKED and read.language != "fr" and "count" in read.asks and read.count_noun:
        # « How many volunteers…? » answered « 12 refuges »: a true count of something else. An English answer
        # to a French source shares no word with it, so only what its figure counts tells (`chatbot.counted`).
        other = counts_asked(own, read.count_noun, [s for p in sources for s in passage_sentences(p)], singles_out,
                             persons=counts_persons)
        if other:
            return Check("answers_question", False, [read.text],
                         [f"the answer counts “{other}” where the question asks the number of “{read.count_noun}”"])
    return Check("answers_question", True, [read.text], [])


def cited_numbers(answer: str) -> list[int]:
    """The source numbers cited as [n], in order of first appearance."""
    seen: list[int] = []
    for match in CITATION.finditer(answer):
        n = int(match.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def check_citations(answer: str, n_sources: int) -> Check:
    """Citations must point at passages that exist; an answer must cite at least one."""
    cited = cited_numbers(answer)
    invalid = [f"[{n}]" for n in cited if not 1 <= n <= n_sources]
    missing = [] if cited else ["no citation"]
    return Check("citations", not invalid and not missing, [f"[{n}]" for n in cited], invalid + missing)


# Which check reports a claim that fails for each reason (see chatbot.claims.ClaimVerdict).
_CHECK_OF_REASON = {"words": "support", "echo": "support", "figures": "figures", "names": "proper_nouns",
                    "role": "roles", "stance": "stance", "polarity": "polarity", "yes_no": "polarity",
                    "opener": "polarity", "year": "years"}


def verify(answer: str, passages: Sequence[str], question: Question | str = "", *,
           org_terms: frozenset[str] = frozenset(), figure_owed: bool = True,
           language: str | None = None, restates: Restates | None = None, entails: Entails | None = None,
           answers: Sequence[str] = (), answer_scores: Sequence[float] = (),
           ranks: Sequence[RankedLine] | None = None) -> Verification:
    """Run every check of `answer` against the passages it could cite (numbered from 1); `question`: the typed
    question the bot holds (a string is classified here); `figure_owed` false when the figure the question asks for
    is what the FAQ lacks (said apart, in a caveat); `language`: the question's, which the answer's own words must be
    in (None: not checked); `answers`: the passages' sentences ranked best first as the answer to the question (the
    retriever's ranking), which a Yes/No is read against when words cannot find it, and `answer_scores` their scores
    (the on-topic check compares the sentences an answer rests on with the best one, `chatbot.on_topic`);
    `restates` and `entails`: the sentence-similarity and language-model readings of claims whose words cannot be
    counted against the source's (`chatbot.claims`); `ranks`: the whole FAQ's ranked list lines (`Scope.ranks`),
    which tell the field a rank question names (else the passages' are read).

    Each sentence of the answer's own words (FAQ quote lines set aside) is judged as a claim against the
    sentences of the passages it cites (`chatbot.claims`); `org_terms` are the folded words of the
    organisation's own name, which prove nothing."""
    citations = check_citations(answer, len(passages))
    cited = [passages[n - 1] for n in cited_numbers(answer) if 1 <= n <= len(passages)] or list(passages)
    # Lines that only quote the FAQ are checked word for word (check_quotes); the prose checks read the rest.
    # A list number opening a line ("2. **Définition**: …") is layout, not a figure.
    own = re.sub(r"(?m)^(\s*)\d{1,2}[.)]\s+(?=\S)", r"\1", prose(answer))
    read = asked(question, org_terms)
    if answers:
        read = replace(read, answers=tuple(answers), answer_scores=tuple(answer_scores))
    claims = judge_claims(own, passages, read, org_terms=org_terms, restates=restates, entails=entails)
    by_check: dict[str, list[str]] = {}
    for claim in claims:
        if claim.verdict == "unsupported":
            by_check.setdefault(_CHECK_OF_REASON.get(claim.reason, "support"), []).append(
                f"{claim.text} ({claim.detail})" if claim.detail else claim.text)
    checked = [c.text for c in claims if c.verdict != "not_checked"]

    def merged(check: Check) -> Check:
        extra = [u for u in by_check.get(check.name, []) if u not in check.unsupported]
        unsupported = check.unsupported + extra
        return Check(check.name, not unsupported, check.checked or checked, unsupported)

    def claim_check(name: str) -> Check:
        unsupported = by_check.get(name, [])
        return Check(name, not unsupported, checked, unsupported)

    return Verification([merged(check_figures(own, cited)), merged(check_proper_nouns(own, cited, org_terms=org_terms)),
                         citations, claim_check("support"), claim_check("polarity"),
                         merged(check_years(own, cited)), claim_check("roles"), claim_check("stance"),
                         check_quotes(answer, passages),
                         check_answers_question(answer, question, figure_owed=figure_owed, sources=cited,
                                                singles_out=getattr(restates, "anchors", None), passages=passages,
                                                org_terms=org_terms, ranks=ranks),
                         check_on_topic(claims, read, org_terms=org_terms,
                                        related=getattr(restates, "similarity", None)),
                         check_repetition(own), check_language(own, language)], claims)
