"""Claim checks: each sentence of an answer's own words must be stated by one sentence of a passage it cites, or by
two adjacent ones.

A sentence made of the passage's words and the question's words used to pass a check that counted words against
the whole passage, whatever it said. Here a claim is compared with *units* of its cited passages: one source
sentence, two adjacent ones, or a line that introduces a list together with its items. A unit supports a claim when

- it holds most of the claim's content words (`MIN_COVERAGE`; the organisation's own name does not count, and a
  claim made only of the question's words needs all of them: an echo of the question proves nothing),
- it holds every figure, year and name of the claim,
- it gives a person the role the claim gives them (the role noun nearest to the name, in both texts), and holds
  every role noun of the claim,
- it takes the same stance: an endorsement, an accusation or a call to action in the claim needs one of the same
  class in the unit (`appelle à voter` is not supported by `l'assemblée vote, ou non, la fusion`),
- its clause has the claim's polarity (no negation inserted or removed), and the claim states nothing the cited
  passages only ever deny ("aucune succursale"),
- when the question asks about a year, a figure the unit dates to another year is not given as the answer.

An answer opening with Oui/Non/Yes/No must agree with its evidence: a bare "Oui" needs a unit stating the
question's proposition with that polarity; "Oui" before a claim whose source clause is negative is a flip.

English answers translate the French FAQ: words cannot be matched, so for them the unit is chosen by figures,
names and cognates (`indépendant` / `independent`), and what is checked is what a translation keeps: figures,
names, roles, stance and polarity. Role and stance words are classes of the language (French and English), not
words of any FAQ; the organisation's own name comes from `org_terms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from chatbot.counted import FAMILY_PREFIX, UNITS, cognate, miscounted
from chatbot.currency import other_currency
from chatbot.markers import CITATION, OPENER, SECTION_REF
from chatbot.negation import CLAUSE, NEGATION_WORDS, has_negation, negated
from chatbot.question import (
    Question,
    confirmed_statement,
    inverted,
    is_person_name,
    is_polar,
    name_runs,
    yes_no_predicate,
)
from ingest.chunker import passage_sentences, split_sentences
from ingest.normalize import fold, normalize, stem, tokens
from ingest.profile import CONTACT_WORDS, PHONE, contact_kinds, contact_strings

# A unit holding this share of a claim's content words (after the question-echo and name rules) states it.
MIN_COVERAGE = 0.7
# English claims are matched on cognates (5-letter prefixes), a weaker signal: a lower bar, and only to pick the unit.
MIN_COVERAGE_EN = 0.3
NOUNS_STRICT = True
ATTRIBUTES = True  # a copula's attribute needs the source like a determined noun (kept for measurement)
QUALIFIERS = True  # so does an adjective after a determined noun
PAIR_NAMES = False
NAME_CLAUSES = True
BOUND_SUBJECT = True  # a subject's predicate after its apposition, and the next sentence's anaphor, are its clauses
ENGLISH_CLAUSES = True  # an English claim's names keep their clause too, compared by cognates
COUNTED_NOUNS = True  # an English figure's counted noun must be what the source's figure counts (`chatbot.counted`)
# An English figure's units (« million », « euros », « years ») belong to the figure, checked by value and currency: they
# say nothing of what it is of, so they neither count as cognates shared with the source nor anchor the claim to the
# sentence giving that figure (« The buildings are worth 1.5 million euros » from « le résultat … 1,5 million d'euros »).
FIGURE_UNITS_APART = True  # kept for measurement
# A figure only a contact line gives (a street number, a postcode, a phone number's digits) is part of that detail:
# it states nothing but the detail given whole (`_contact_figure`; kept for measurement).
CONTACT_FIGURES = True
OPENER_REPAIR = True  # a wrong Oui/Non before a body the answering sentence states is told apart, to be dropped
YES_TO_ANOTHER = True  # a « Oui » before a body giving another figure, year or name than the question's is dropped
# A statement put up for confirmation (« On m'a dit que …, c'est vrai ? ») is read without its frame (kept for measurement),
HEARSAY_FRAME = True
# and a « Oui »/“Yes” to it stands only where a source sentence states it (kept for measurement).
UNSTATED_YES = True
NOT_STATED = "no source sentence states what the question asks"
# The languages whose Yes/No is read against the sentence retrieval ranks first as the answer (`_yes_no_ranked`).
ANSWER_RANKED = frozenset({"en"})

# A bare contact detail in a source ("04 72 00 00 00", "info@example.org", "12 rue X 69003 Lyon") states what it
# is without a word for it: for a claim that gives that detail (or part of it), the unit also holds the words French
# and English name that kind of detail with, so "Le numéro de téléphone est le 04 72 00 00 00 [1]" is stated by the
# line "04 72 00 00 00", while "Oui, ils ont un mail [1]" (no detail given) is not. (Words of the languages, not of
# a FAQ; the detail itself is still checked figure by figure and name by name.)
_CONTACT_STEMS = {kind: frozenset(stem(w) for w in tokens(words)) for kind, words in CONTACT_WORDS.items()}
# The words that name one kind of detail only (« adresse » names an e-mail address and a street alike: left out): a
# claim that gives a detail of one kind under the name of another (« le site est contact@… », « the phone number is
# contact@… ») misstates it, whatever its words share with the source.
_KIND_NAMES = {kind: frozenset(stem(w) for w in tokens(words)) for kind, words in {
    "phone": "téléphone téléphoner numéro appeler appelez tel phone telephone number call",
    "email": "mail e-mail email courriel électronique",
    "site": "site web internet website"}.items()}
_KIND_LABELS = {"phone": "a phone number", "email": "an e-mail address", "site": "a website"}

# Formatting the model adds before a sentence: a list number, a bullet, a bold label ("2. **Définition**:").
_LEAD_FORMAT = re.compile(r"^\s*(?:(?:\d{1,2}[.)]|[-•*])\s+)?(?:\*\*[^*\n]{1,60}\*\*\s*:?\s*)?")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A place named after a locative preposition (« à Lyon », « en Savoie », « in Paris »), at the end of the text before it.
_LOCATIVE = re.compile(r"\b(?:a|en|au|aux|dans|in|at)\s*$")
ONLY_WORDS = re.compile(r"\b(?:seul|seule|seuls|seules|unique|only)\b")
_EXISTS = re.compile(r"exist(?:e|es|ent|er|ait|aient|s|ed|ing)?")
# Whether the subject runs or holds something (« Le club gère-t-il des refuges ? », « possède-t-il… », "Does it run…"):
# the verb frames the question, and the sentence answering it names the thing in a list of what the subject does
# (« … refuges, gîtes d'étape… ») without it. Verbs that do something to the thing (« ferme », « vend ») are no frame.
RUNS_FRAME = True  # kept for measurement (docs/quality.md)
_RUNS = re.compile(r"(?:ger|dirig|exploit|possed)(?:e|es|ent|er|ait|aient|eait|eaient)|deti(?:ent|ennent)|"
                   r"deten(?:ir|ait|aient)|(?:run|own|operate|manage)s?")
# A question on others like the subject (« d'autres … ? », « une fondation semblable ailleurs ? »): a « seul » answers no.
_OTHER = re.compile(r"\b(?:autres?|ailleurs|similaires?|semblables?|comparables?|pareil(?:le)?s?|equivalente?s?|other|"
                    r"others|another|else|elsewhere|similar|alike|equivalent)\b")

# Words that say nothing of what a sentence states: auxiliaries, light verbs, discourse markers, reported speech.
_LIGHT = frozenset(stem(w) for w in """etre est sont etait etaient ete sera seront soit a ont avait avaient eu aura
avoir fait font faire peut peuvent pouvoir doit doivent devoir ainsi donc aussi egalement notamment alors enfin
ensuite par ailleurs autres autre tres bien plus moins selon effet comme cela ceci celle
celles ceux celui c ce cet cette ces il elle ils elles on nous vous leur leurs lui y en dont ou la le les l d s
un une des du de au aux that this these those with from into which also has have had been being was were will
would can could its their there here then than about faq extrait extraits source sources oui non yes no
""".split())
# Quantifiers a claim cannot add: "toutes les activités" for "certaines activités", "le seul" for "l'un des".
_QUANTIFIERS = {
    "all": frozenset("tout tous toute toutes chaque totalite entierement all every each entire whole".split()),
    "always": frozenset("toujours always".split()),
    "only": frozenset("seul seule seuls seules unique uniquement exclusivement seulement only solely".split()),
}
# French says « only » with « ne … que » (« l'accueil ne dépend que de la météo », « n'accueille que des adultes »),
# unless a negation stands between them (« ne repose pas que sur » is « not only »); « non seulement » is « not only ».
_RESTRICTIVE = re.compile(r"\b(?:ne|n')\s*((?:[\w-]+\s+){0,3}?)qu(?:e\b|')")
_NOT_ONLY = re.compile(r"\bnon seulement\b|\bnot only\b")
# A word right after a determiner is the head of a noun phrase (or its adjective): what the sentence is about.
# A claim's noun phrases must be the source's; other words (verbs, adverbs) may be paraphrased.
_DETERMINED = re.compile(r"\b(?:le|la|les|l'|un|une|des|du|au|aux|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos|"
                         r"votre|vos|chaque|plusieurs|certains|certaines|the|a|an|this|these|those|its|their|our)"
                         r"\s*([a-z][a-z-]{2,})")
# After a prepositional locution, « de » opens a noun phrase without a determiner (« au sein de banques », « auprès
# de partis »): its noun is as much what the claim speaks of as one after « des ».
_LOCUTION_NOUN = re.compile(r"\b(?:au sein|aupres|autour|en faveur|a destination|au profit|au service|aux cotes|"
                            r"en direction|a l'egard|en dehors|a l'exception) d(?:e\s+|')([a-z][a-z-]{2,})")
# What a copula says of its subject (« les ateliers sont gratuits », « les décisions sont prises ») is the claim itself:
# like a noun, its word must be the source's, degree adverbs aside.
_ATTRIBUTE = re.compile(r"\b(?:est|sont|etait|etaient|sera|seront|reste|restent|demeure|demeurent|devient|deviennent)\s+"
                        r"(?:(?:tres|trop|plus|moins|si|aussi|assez|bien|fort|peu|tout|toute|toutes|entierement|"
                        r"totalement|largement|particulierement|relativement|toujours|deja|encore|desormais)\s+)*"
                        r"([a-z][a-z-]{2,})")
# An adjective after a determined noun narrows what the noun names (« des associations sportives », « une
# transition radicale »): it agrees with a plural noun (a verb after one ends in -ent; a participle in -is or -us
# tells what was done to it, « les enfants accueillis », which a source says with other verbs), or has an adjective's
# ending.
_QUALIFIER = re.compile(r"\b(?:le|la|les|l'|un|une|des|du|au|aux|d'|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos|"
                        r"votre|vos|chaque|plusieurs|certains|certaines)\s*[a-z][a-z-]{2,}([sx])\s+"
                        r"([a-z][a-z-]{2,}(?<!ent)(?<![iu])(?<![iu]e)[sx])\b|"
                        r"\b(?:le|la|l'|un|une|du|au|ce|cet|cette|son|sa|leur|notre|votre|chaque)\s*[a-z][a-z-]{2,}"
                        r"(?<![sx])\s+([a-z][a-z-]{2,}(?:al|ale|ique|if|ive|eux|euse|aire|elle|able|ible))\b")
# The word after an English determiner: the head of a noun phrase, or its adjective.
_EN_HEAD = re.compile(r"\b(?:the|a|an|this|these|those|its|their|our)\s+([a-z][a-z-]{2,})"
                      r"|'s\s+([a-z][a-z-]{2,})")  # or after a possessor (« the foundation's shops »)
# A claim that shares this share of its words, in order, with a source sentence is a copy of it: a copy must keep the
# sentence's names ("Le Trésoriers, composé des Guides…" is no copy of "Le Comité, composé des Guides…").
COPY_SHARE = 0.8
_WORDS = re.compile(r"[\w’'-]+")
# The same clauses, where a comma between digits is a decimal comma ("2,5 millions"), not a clause break.
_FIGURE_CLAUSE = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|[;:()])\s*|\s+(?:et|mais|car|donc|or|and|but)\s+")
# Where the words that follow a figure stop being its own: punctuation, not a conjunction (« de X et de Y »).
_FIGURE_TAIL = re.compile(r"(?:(?<!\d),|,(?!\d)|[;:()]|\[\d)")
# Words that date a question without naming a year ("le mois dernier", "cette année", "currently"): a class of the
# language. Asked of such a period, a figure the FAQ gives for a year must be stated with its year.
_PERIOD = re.compile(r"\b(?:(?:mois|annee|an|semaine|trimestre|exercice|saison)s? (?:dernier|derniere|passe|passee|"
                     r"prochain|prochaine|en cours|courant|courante)|cette annee|ce mois|cette semaine|aujourd'hui|"
                     r"actuellement|en ce moment|maintenant|recemment|a l'heure actuelle|de nos jours|"
                     r"(?:last|this|next|past|current) (?:year|month|week|quarter)|currently|nowadays|today|right now|"
                     r"recently)\b")

# --- role nouns: a class of the language ----------------------------------------------------------------------
# Each role noun (French, either gender, or English) maps to a role key; a role the claim gives must be the one
# the source gives. "Head" roles (president, boss, leader) are one family: "le patron est X" for "Président (X)".
_ROLE_CLASSES = {
    # key: (French forms, English forms)
    "president": ("president presidente presidents presidentes preside presidee presidait",
                  "president presidents chairman chairwoman chair chairs chairperson presides chaired"),
    "head": ("patron patronne chef cheffe dirigeant dirigeante dirigeants dirige dirigee dirigeait",
             "leader leads heads head headed boss chief chiefs"),
    "vice-president": ("vice-president vice-presidente vice-presidents vice-presidentes", "vice-president "
                       "vice-presidents"),
    # « DRH », « DAF », « DSI », « DG »: a director of a function; an English "officer" ("chief financial officer", CFO) too.
    "directeur": ("directeur directrice directeurs directrices drh daf dsi dg", "director directors officer officers cfo coo "
                  "cto"),
    "tresorier": ("tresorier tresoriere tresoriers", "treasurer"),
    "secretaire": ("secretaire secretaires", "secretary"),
    "fondateur": ("fondateur fondatrice fondateurs fondatrices", "founder founders"),
    "administrateur": ("administrateur administratrice administrateurs administratrices",
                       "administrator administrators trustee trustees"),
    "porte-parole": ("porte-parole", "spokesperson spokesman spokeswoman"),
    "pdg": ("pdg", "ceo"),
    "gerant": ("gerant gerante gerants", "manager managers"),
    "delegue": ("delegue deleguee delegues", "delegate delegates"),
    "conseiller": ("conseiller conseillere conseillers", "adviser advisers advisor"),
    # « represents », « is represented by »: who speaks for a body holds the role of its representative.
    "representant": ("representant representante representants", "representative representatives represents "
                     "represented"),
    # « en charge de », « in charge of » are read as one word (`roles`).
    "responsable": ("responsable responsables", "responsible"),
    "actionnaire": ("actionnaire actionnaires", "shareholder shareholders"),
    "proprietaire": ("proprietaire proprietaires", "owner owners"),
    "salarie": ("salarie salariee salaries salariees", "employee employees staff"),
    "benevole": ("benevole benevoles", "volunteer volunteers"),
    "elu": ("elu elue elus elues maire maires ministre ministres", "mayor mayors minister ministers"),
    "membre": ("membre membres", "member members"),
}
_ROLE_FORMS = {lang: {form: key for key, forms in _ROLE_CLASSES.items() for form in forms[i].split()}
               for i, lang in enumerate(("fr", "en"))}
_ROLE_FAMILY = {"president": "head", "head": "head"}
# The words role nouns are looked for among (`roles`): « vice-président.e.s » is one.
_ROLE_TOKEN = re.compile(r"[a-z]+(?:[.-][a-z]+)*")

# --- stance: endorsements, accusations, calls to action -------------------------------------------------------
# A claim taking a stance needs a unit taking one of the same class; the organisation's own positions ("a pris
# position pour", "revendique", "défend", "plaidoyer") are advocacy.
# Support is a stance when it goes to a side of public life; « un soutien scolaire pour les enfants », « soutient
# les associations en difficulté », "supports children" are the help the organisation gives (classes of the
# language: political sides and acts, not words of any FAQ).
_SIDES_FR = (r"(?:partis?|candidat\w*|gouvernement\w*|ministre\w*|elu\w*|deputes?|senat\w*|maires?|majorite\w*|opposition\w*|listes?|campagnes?|"
             r"elections?|electorale?s?|mouvements? politiques?|reformes?|lois?|projets? de loi|motions?|petitions?|"
             r"greves?|syndicats?|causes?|president(?:e)? de la republique|presidentielle|politique\w*)")
_SIDES_EN = (r"(?:part(?:y|ies)|candidates?|government\w*|ministers?|elected|officials?|politicians?|mps?|majority|opposition|campaigns?|elections?|"
             r"electoral|political|reforms?|bills?|laws?|motions?|petitions?|strikes?|unions?|causes?|president\b)")
_SUPPORT_FR = rf"(?:soutien\w*|soutient|soutenu\w*|soutenir)\W+(?:\w+\W+){{0,5}}?{_SIDES_FR}"
_SUPPORT_EN = rf"(?:support\w*|back(?:s|ed|ing)?)\W+(?:\w+\W+){{0,5}}?{_SIDES_EN}"
# « appeler le 04 12 … », « appelez le standard »: a phone call, not a call to act.
_PHONE_CALL = r"(?!(?:le |au |l')?(?:numero|standard|telephone|\+?\d))"
_STANCE = {
    "fr": {
        "advocacy": re.compile(
            rf"\b(?:{_SUPPORT_FR}|appel\w*\s+{_PHONE_CALL}(?:a|au|aux|les|ses|l'|le|la)\b|appellent|"
            r"defend\w*|plaid\w*|milit\w*|revendiqu\w*|pris position|prend position|prendre position|"
            r"prises de position|recommand\w*|preconis\w*|encourag\w*|incit\w*|exhort\w*|invit\w*|exig\w*|"
            r"reclam\w*|demand\w+\s+(?:a|au|aux)\b|fait campagne|faire campagne|"
            r"pouss(?:e|ent|er|ons|ez|ait|aient)|conseill(?:e|ent|ons|ez)\s+(?:a|aux|de|d'))\b"),
        # Approving what others do or decide: a judgement of its own the claim would lend the organisation.
        "approval": re.compile(
            r"\b(?:approuv\w*|cautionn\w*|applaudi\w*|felicit\w*|rejoui\w*|salu(?:e|ee|es|ees|ent|er|ons|ez))\b"),
        "accusation": re.compile(
            r"\b(?:accus\w*|denonc\w*|condamn\w*|critiqu\w*|reproch\w*|blam\w*|fustig\w*|boycott\w*|"
            r"attaqu\w*|stigmatis\w*)\b"),
        "vote": re.compile(r"\b(?:votez|voter pour|vote pour|votent pour|candidat\w*|presidentielle|"
                           r"legislatives?|municipales)\b"),
    },
    "en": {
        "advocacy": re.compile(rf"\b(?:endors\w*|{_SUPPORT_EN}|advocat\w*|urg\w*|calls? (?:on|for)|"
                               r"recommend\w*|encourag\w*|campaign(?:s|ed|ing)? (?:for|against)|demands?|champion\w*|"
                               r"advis(?:e|es|ed|ing)|push(?:es|ed|ing)? (?:\w+ ){1,3}to|"
                               r"(?:side|align|stand)(?:s|ed|ing)? with|allied with|an? ally of)\b"),
        # « approve the accounts » is what « valider les comptes » translates: approval of something is a judgement.
        "approval": re.compile(r"\b(?:approv(?:e|es|ed|ing|al) of|prais\w*|applaud\w*|commend\w*|congratulat\w*)\b"),
        "accusation": re.compile(r"\b(?:accus\w*|denounc\w*|condemn\w*|criticis\w*|criticiz\w*|blame\w*|"
                                 r"boycott\w*|attack\w*|oppos(?:e|es|ed|ing))\b"),
        # The French list's own words: « élus » and « élit » are people and governance there, so are « elected
        # officials » and « elects its representatives » here.
        "vote": re.compile(r"\b(?:votes? for|voting for|voted for|candidate\w*|presidential|"
                           r"legislative elections?|municipal elections?)\b"),
    },
}
# A call to action: an imperative opening the sentence (second person plural), "n'hésitez pas à".
_IMPERATIVE = re.compile(r"^\s*(?:[a-zàâçéèêëîïôûùüÿœ]+ez|faites|dites)\b(?!-vous\b)|\bn'hesitez pas\b", re.IGNORECASE)

# The first person singular as the subject: the writer speaks of themself (a sentence about the FAQ, `_META`, is
# judged before).
_WRITER = re.compile(r"^\W*(?:je|j['’]|i)\b(?!\s*\.)", re.IGNORECASE)
_WRITER_IN = re.compile(r"(?:^|[^\w'’])(?:je|j['’]|moi)\b", re.IGNORECASE)
# The writer anywhere in the claim (« C'est pourquoi je pense que… », « À mon avis », "I believe"): no source sentence
# can state the writer's view, so such a claim is never read by the claim judge.
_WRITER_ANY = re.compile(r"(?:^|[^\w'’])(?:je|j['’]|moi|mon avis|ma part|i|my view|my opinion)\b", re.IGNORECASE)
# A sentence about the FAQ or the assistant, not about the organisation ("la FAQ ne précise pas…").
_META = re.compile(r"^\W*(?:(?:la |cette )?faq|les extraits|l'extrait|the faq|the excerpts?|je|i)\b.{0,60}?"
                   r"\b(?:ne |n')?(?:precise|mentionne|indique|donne|traite|contient|dit|parle|aborde|"
                   r"mention|say|give|state|contain|cover)\w*", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """The source sentence(s) a claim rests on: passage number (as cited, from 1) and sentence indexes over
    `ingest.chunker.passage_sentences` of that passage."""

    passage: int
    indexes: tuple[int, ...]
    sentences: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {"passage": self.passage, "indexes": list(self.indexes), "sentences": list(self.sentences)}


@dataclass(frozen=True)
class ClaimVerdict:
    """One sentence of the answer's own words, judged.

    `verdict` is `supported`, `unsupported` or `not_checked` (a sentence about the FAQ itself); `reason` names
    what failed (`words`, `echo`, `figures`, `names`, `role`, `stance`, `polarity`, `year`, `yes_no`; `opener`:
    only its Oui/Non, before a body the sentence that answers states) and
    `detail` says it for people. `evidence` is the unit that supports the claim, or, when it is unsupported,
    the closest one (the UI highlights it only for supported claims)."""

    text: str
    verdict: str
    reason: str = ""
    detail: str = ""
    cited: tuple[int, ...] = ()
    evidence: Evidence | None = None
    coverage: float = 0.0

    @property
    def supported(self) -> bool:
        """True unless the claim is unsupported."""
        return self.verdict != "unsupported"

    def to_dict(self) -> dict[str, object]:
        """JSON form (`verification.claims` of `faqbot ask --json`)."""
        out: dict[str, object] = {"text": self.text, "verdict": self.verdict, "reason": self.reason,
                                  "detail": self.detail, "cited": list(self.cited),
                                  "coverage": round(self.coverage, 3)}
        out["evidence"] = self.evidence.to_dict() if self.evidence else None
        return out


# --- words ----------------------------------------------------------------------------------------------------


_MARKUP = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def _strip_refs(text: str) -> str:
    """`text` without citation markers, "question 3" references and markup tags (none of them states a fact)."""
    return _MARKUP.sub(" ", SECTION_REF.sub(" ", CITATION.sub(" ", text)))


def content_stems(text: str, ignore: frozenset[str]) -> list[str]:
    """Stems of the content words: no stop, light, negation or number words, no digits, nothing in `ignore`."""
    from chatbot.verify import figures

    numbers = {fold(f.text) for f in figures(text) if not any(c.isdigit() for c in f.text)}
    out = []
    for word in tokens(_strip_refs(text)):
        if len(word) < 3 or any(c.isdigit() for c in word) or word in numbers or word in NEGATION_WORDS:
            continue
        s = stem(word)
        if s in _LIGHT or word in ignore or s in ignore:
            continue
        out.append(s)
    return out


@lru_cache(maxsize=4096)
def _family(a: str, b: str) -> bool:
    """Same word family: equal stems, or a long enough common beginning (`defini` / `definit`)."""
    if a == b:
        return True
    if len(a) >= 4 and len(b) >= 4 and (a == "re" + b or b == "re" + a):
        return True  # verser / reverser, prendre / reprendre
    if min(len(a), len(b)) >= 3 and a.rstrip("sx") == b.rstrip("sx"):
        return True  # élus / élu.e.s, short plurals the stemmer leaves alone
    n = min(len(a), len(b))
    if n < FAMILY_PREFIX:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= FAMILY_PREFIX and common >= n - 2


def in_family(word: str, pool: frozenset[str]) -> bool:
    """`word` (a stem) or one of its family (`_family`) is in `pool`."""
    return word in pool or any(_family(word, p) for p in pool)


# Function words that tell a short English sentence from a French one ("An association can never be bought").
# Nouns an English answer names the organisation itself by (« the organisation's website »): what it holds is its own.
_EN_SELF = frozenset(stem(w) for w in "organisation organization association group foundation charity ngo".split())
_EN_WORDS = frozenset("the a an is are was were be been has have had does do did can could will would of and to in "
                      "on at by for with from its their this that which it there not never no what how why who "
                      "when".split())
# A sentence opening on a demonstrative or a subject pronoun speaks of what the sentence before it named last.
_ANAPHOR = re.compile(r"^\W*(?:cette|cet|ces|ce|celle-ci|celui-ci|celles-ci|ceux-ci|elle|elles|il|ils|this|these|it|"
                      r"they)\b", re.IGNORECASE)
_FR_WORDS = frozenset("le la les l un une des du de d est sont et que qui quoi il elle ils elles pour avec dans sur "
                      "par au aux ce cette ces son sa ses leur leurs ne pas n y en se s a ont été".split())


def is_english(text: str) -> bool:
    """True when English function words outnumber French ones (one is enough in a short sentence)."""
    words = re.findall(r"[a-z]+", fold(_strip_refs(text)).replace("’", "'"))
    en = sum(w in _EN_WORDS for w in words)
    fr = sum(w in _FR_WORDS for w in words)
    return en >= 1 and en > fr


# A role noun followed by one of these names a place or a thing ("head office", "chef-lieu" is one word already).
_NOT_A_ROLE_AFTER = {"office", "offices", "quarters"}
# A verb of a role followed by a plural of some kind runs things of that kind, it names no one's role: « le club
# dirige des refuges », "it heads several shelters" (a person « dirige le bureau », "presides the board").
_ROLE_VERBS = frozenset("preside presidait dirige dirigeait head heads headed chair chairs chaired presides leads".split())
_SOME = frozenset("des d plusieurs quelques any some several many".split())


def _role_words(text: str) -> list[str]:
    """The words role nouns are looked for among, folded, citations aside (« vice-président.e.s » is one)."""
    return _ROLE_TOKEN.findall(fold(_strip_refs(text)).replace("’", "'"))


def roles(text: str, language: str = "fr") -> list[tuple[int, str]]:
    """Role nouns of `text` as (token position, role key), in order: `Vice-Président.e.s` -> vice-president."""
    forms = _ROLE_FORMS[language]
    words = _role_words(text)
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        joined = w.replace(".e.s", "").replace(".e", "")
        if w == "vice" and i + 1 < len(words) and words[i + 1].startswith("president"):
            out.append((i, "vice-president"))
            i += 2
            continue
        if w in ("in", "en") and i + 1 < len(words) and words[i + 1] == "charge":
            out.append((i + 1, "responsable"))  # the person « in charge of » a function is its responsible
            i += 2
            continue
        key = forms.get(w) or forms.get(joined) or (forms.get(joined[:-1]) if joined.endswith("s") else None)
        if key and i + 1 < len(words) and words[i + 1] in _NOT_A_ROLE_AFTER:
            key = None  # "head office", "head quarters": a place, not a person's role
        if key and w in _ROLE_VERBS and i + 1 < len(words) and words[i + 1] in _SOME:
            key = None
        if w == "chief" and any(forms.get(x) for x in words[i + 1:i + 3]):
            key = None  # "chief financial officer": the officer is the role, « chief » qualifies it
        if joined.startswith("vice-president"):
            key = "vice-president"
        elif key is None and "-" in joined:
            key = forms.get(joined.split("-")[0])
        if key:
            out.append((i, key))
        i += 1
    return out


def counts_persons(sentence: str, values: frozenset[float] | None = None) -> bool:
    """Whether a figure of `sentence` (of `values`; any, for None) counts holders of a role: a role noun within the
    two words after it (« 3 vice-présidentes », « 4 délégué.e.s élus »)."""
    from chatbot.verify import figures

    for figure in figures(sentence):
        if values is not None and not figure.raw & values:
            continue
        at = sentence.find(figure.text)
        found = roles(sentence[at + len(figure.text):]) if at >= 0 else []
        if found and found[0][0] <= 1:
            return True
    return False


def _role_ok(claim_key: str, unit_keys: Iterable[str]) -> bool:
    family = _ROLE_FAMILY.get(claim_key, claim_key)
    return any(k == claim_key or _ROLE_FAMILY.get(k, k) == family for k in unit_keys)


def quantifiers(text: str) -> set[str]:
    """The quantifier classes of `text` (all, always, only)."""
    folded = _NOT_ONLY.sub(" ", fold(_strip_refs(text)))  # folded: plain apostrophes, as _RESTRICTIVE reads them
    words = set(re.findall(r"[a-z]+", folded))
    found = {name for name, forms in _QUANTIFIERS.items() if words & forms}
    if any(not set(m.group(1).split()) & NEGATION_WORDS for m in _RESTRICTIVE.finditer(folded)):
        found.add("only")
    return found


def stances(text: str, language: str = "fr") -> set[str]:
    """The stance classes `text` takes (advocacy, approval, accusation, vote, call to action)."""
    folded = fold(_strip_refs(text)).replace("’", "'")
    found = {name for name, pattern in _STANCE[language].items() if pattern.search(folded)}
    if _IMPERATIVE.search(folded):
        found.add("call")
    return found


# --- source units ---------------------------------------------------------------------------------------------


@dataclass
class Unit:
    """One source sentence, two adjacent ones, or a list with its lead-in, with what the checks compare."""

    passage: int
    indexes: tuple[int, ...]
    sentences: tuple[str, ...]
    text: str = ""
    stems: frozenset[str] = frozenset()
    cognates: frozenset[str] = frozenset()
    values: frozenset[float] = frozenset()
    years: frozenset[str] = frozenset()
    haystack: str = ""
    roles: tuple[tuple[int, str], ...] = ()
    stance: frozenset[str] = frozenset()
    clauses: tuple[tuple[frozenset[str], frozenset[str], bool], ...] = ()
    quantity: frozenset[str] = frozenset()
    # Its contact-detail lines: (kinds, contact strings, matching form, figures) of each.
    details: tuple[tuple[frozenset[str], frozenset[str], str, frozenset[float]], ...] = ()

    @property
    def evidence(self) -> Evidence:
        """The unit as evidence for a claim."""
        return Evidence(self.passage, self.indexes, self.sentences)


@lru_cache(maxsize=8192)
def stems_of(text: str) -> frozenset[str]:
    """Stems of every word of `text` (cached: unit sentences and clauses are read again for every claim)."""
    return frozenset(stem(t) for t in tokens(text))


@lru_cache(maxsize=8192)
def _needle(name: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", normalize(name)).strip() + " "


@lru_cache(maxsize=8192)
def _haystack(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", normalize(text)) + " "


def _clause_keys(clause: str) -> tuple[frozenset[str], frozenset[str], bool]:
    words = [w for w in tokens(clause) if len(w) > 2 and w not in NEGATION_WORDS]
    # Function words (« with », « from », « ainsi ») tie a clause to no other: their cognates are not counted.
    return (frozenset(stem(w) for w in words) - _LIGHT,
            frozenset(cognate(w) for w in words if len(w) >= 4 and stem(w) not in _LIGHT), negated(clause))


def _make_unit(passage: int, indexes: tuple[int, ...], sentences: tuple[str, ...]) -> Unit:
    from chatbot.verify import figures

    text = " ".join(sentences)
    words = [w for w in tokens(text) if len(w) > 2]
    clauses = tuple(_clause_keys(c) for s in sentences for c in CLAUSE.split(s) if c.strip())
    return Unit(passage, indexes, sentences, text, frozenset(stem(w) for w in words),
                frozenset(cognate(w) for w in words if len(w) >= 4),
                frozenset(v for f in figures(text) for v in f.raw), frozenset(_YEAR.findall(text)), _haystack(text),
                tuple(roles(text)), frozenset(stances(text)), clauses, frozenset(quantifiers(text)),
                tuple((kinds, contact_strings(s), _haystack(s), frozenset(v for f in figures(s) for v in f.raw))
                      for s in sentences if (kinds := contact_kinds(s))))


@lru_cache(maxsize=256)
def passage_units(passage: str, number: int) -> tuple[Unit, ...]:
    """The units of one passage: each sentence, each pair of adjacent sentences, and each line ending with ":"
    with the list items that follow it (as a whole and item by item). Questions ("…?") support nothing."""
    sentences = passage_sentences(passage)
    units: list[Unit] = []
    statement = [not s.rstrip().endswith("?") for s in sentences]
    # A block of contact details, one a line (address, phone, e-mail, site), is stated as a whole by an answer
    # giving them in one sentence.
    detail = [bool(contact_kinds(s)) for s in sentences]
    start = 0
    while start < len(sentences):
        end = start
        while end < len(sentences) and detail[end]:
            end += 1
        if end - start > 2:
            units.append(_make_unit(number, tuple(range(start, end)), tuple(sentences[start:end])))
        start = end + 1
    for i, s in enumerate(sentences):
        if statement[i]:
            units.append(_make_unit(number, (i,), (s,)))
        if i + 1 < len(sentences) and statement[i] and statement[i + 1]:
            units.append(_make_unit(number, (i, i + 1), (s, sentences[i + 1])))
        if s.rstrip().endswith(":"):
            items = []
            j = i + 1
            while j < len(sentences) and sentences[j].lstrip().startswith(("-", "•")):
                items.append(j)
                j += 1
            if len(items) > 1:
                units.append(_make_unit(number, (i, *items), tuple(sentences[k] for k in (i, *items))))
                units += [_make_unit(number, (i, k), (s, sentences[k])) for k in items[1:]]
    return tuple(units)


# --- the organisation's name ----------------------------------------------------------------------------------


def organisation_terms(texts: Sequence[str]) -> frozenset[str]:
    """Folded words of the name most of `texts` mention (the organisation the FAQ speaks for), or nothing when no
    name occurs in at least half of them. For callers without an organisation profile."""
    from chatbot.verify import proper_nouns

    counts: dict[str, int] = {}
    for text in texts:
        for name in {fold(n) for n in proper_nouns(text)}:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return frozenset()
    name, n = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))
    return frozenset(tokens(name, keep_stopwords=True)) if n * 2 >= len(texts) else frozenset()


# --- judging one claim ----------------------------------------------------------------------------------------


@dataclass
class _Claim:
    text: str
    body: str
    opener: str
    english: bool
    stems: list[str]
    echo: set[str]
    cognates: set[str]
    values: list[tuple[str, frozenset[float]]]
    years: set[str]
    names: list[str]
    roles: list[tuple[int, str]]
    person_roles: dict[str, str] = field(default_factory=dict)
    stance: set[str] = field(default_factory=set)
    negated: bool = False
    quantity: set[str] = field(default_factory=set)
    nouns: set[str] = field(default_factory=set)
    dated: list[tuple[str, frozenset[float]]] = field(default_factory=list)
    details: frozenset[str] = frozenset()  # the phone numbers, e-mails and sites it gives (contact_strings)
    adds: bool = False  # it gives a figure, a name or a contact detail the question did not
    new_names: list[str] = field(default_factory=list)  # its names the question did not give
    lower: frozenset[str] = frozenset()  # words the sources write in lower case
    org_terms: frozenset[str] = frozenset()


def _names(body: str, vocabulary: frozenset[str], org_terms: frozenset[str], english: bool) -> list[str]:
    from chatbot.verify import proper_nouns

    out = []
    for name in proper_nouns(body, vocabulary, english=english, org_terms=org_terms):
        words = [w for w in tokens(name, keep_stopwords=True) if w not in org_terms]
        if words and not all(fold(w) in vocabulary and len(name.split()) == 1 for w in words):
            out.append(name)
    return out


def _nearest_role(text: str, name: str, language: str = "fr") -> str | None:
    """The role noun closest to `name` in `text` (counted from the name's first word backwards and from its last
    word onwards; the preceding one on ties), or None when none is within a short distance."""
    words = re.findall(r"[a-z]+(?:[.-][a-z]+)*", fold(_strip_refs(text)).replace("’", "'"))
    target = re.findall(r"[a-z]+(?:-[a-z]+)*", fold(name))
    if not target:
        return None
    spans = [(i, i + len(target) - 1) for i in range(len(words) - len(target) + 1)
             if all(words[i + k].startswith(t) for k, t in enumerate(target))]
    found = roles(text, language)
    if not spans or not found:
        return None
    # A name in parentheses is in apposition to what precedes it ("une Présidente du bureau (Marie Dubois) et de 4
    # Vice-Président.e.s"): only a role before it can be its own.
    apposed = re.search(r"\(\s*" + re.escape(fold(name)) + r"\s*\)", fold(text)) is not None
    distances = [((start - p if p < start else p - end + 0.5), key)
                 for start, end in spans for p, key in found if not start <= p <= end and not (apposed and p > end)]
    if not distances:
        return None  # the only role nouns are part of the name itself ("Présidente du Bureau")
    best = min(distances)
    return best[1] if best[0] <= 12 else None


@lru_cache(maxsize=64)
def _asserted(question: str) -> frozenset[str]:
    """Stems of what a yes/no question asks to confirm (chatbot.question.yes_no_predicate: « ami », « gouvernement »
    for « Le président est-il un ami du gouvernement ? », not its subject); none for an open question, whose words
    name its topic."""
    return frozenset(stem(w) for w in tokens(yes_no_predicate(question)))


def determined_nouns(text: str) -> frozenset[str]:
    """Stems of the nouns `text` puts after a determiner or a prepositional locution (« des hôpitaux »)."""
    folded = fold(text).replace("’", "'")
    return frozenset(stem(p) for w in _DETERMINED.findall(folded) + _LOCUTION_NOUN.findall(folded)
                     for p in w.split("-") if p and len(p) > 2) - _LIGHT


def qualified_nouns(text: str) -> frozenset[str]:
    """Stems of the nouns `text` determines and of the adjectives narrowing them (« des refuges gardés »: « refuge »,
    « gardé »)."""
    folded = fold(text).replace("’", "'")
    adjectives = [m[1] or m[2] for m in _QUALIFIER.findall(folded)] if QUALIFIERS else []
    return determined_nouns(text) | {stem(p) for w in adjectives for p in w.split("-") if p}


@dataclass(frozen=True)
class Asked:
    """What the claim checks read in the question, read once per verification (`asked`), not once per sentence."""

    text: str = ""
    stems: frozenset[str] = frozenset()  # its content stems, the organisation's name aside (`content_stems`)
    asserted: frozenset[str] = frozenset()  # what a yes/no question asks to confirm (`_asserted`)
    values: frozenset[float] = frozenset()  # the values of its figures
    details: frozenset[str] = frozenset()  # the contact details it gives (`contact_strings`)
    years: frozenset[str] = frozenset()  # the years and periods it names
    english: bool = False
    cognates: frozenset[str] = frozenset()  # an English question's words by cognates (`_yes_no`)
    negated: bool = False
    other: bool = False  # « d'autres … ? », « semblable ? » (`_OTHER`): a « seul » in the source answers no
    answers: tuple[str, ...] = ()  # the sources' sentences ranked best first as its answer (the retriever's ranking)
    answer_scores: tuple[float, ...] = ()  # their scores, in the same order (empty when not known)
    statement: frozenset[str] = frozenset()  # what it puts up for confirmation, frame aside (`confirmed_statement`):
    # stems, or an English question's cognates
    polar: bool = False  # a yes/no question (`chatbot.question.is_polar`)


def asked(question: Question | Asked | str, org_terms: frozenset[str] = frozenset()) -> Asked:
    """The question as the claim checks read it (the typed question's text; a string is read as is)."""
    if isinstance(question, Asked):
        return question
    return _asked(question.text if isinstance(question, Question) else question, frozenset(org_terms))


@lru_cache(maxsize=64)
def _asked(text: str, org_terms: frozenset[str]) -> Asked:
    from chatbot.verify import figures

    if not text:
        return Asked()
    ignore = org_terms | frozenset(stem(t) for t in org_terms)
    folded = fold(text)
    english = is_english(text)
    return Asked(text, frozenset(content_stems(text, ignore)), _asserted(text),
                 frozenset(v for f in figures(text) for v in f.raw), frozenset(contact_strings(text)),
                 frozenset(_YEAR.findall(text)) | {m.group(0) for m in _PERIOD.finditer(folded)},
                 english,
                 _question_cognates(text, ignore),
                 has_negation(text), bool(_OTHER.search(folded)),
                 statement=_statement_keys(confirmed_statement(folded), ignore, english),
                 polar=is_polar(folded))


def _statement_keys(statement: str, ignore: frozenset[str], english: bool) -> frozenset[str]:
    """The words of a statement put up for confirmation as `_yes_no` reads a question's: stems, or cognates."""
    if not statement:
        return frozenset()
    return _question_cognates(statement, ignore) if english else frozenset(content_stems(statement, ignore))


def _question_cognates(text: str, ignore: frozenset[str]) -> frozenset[str]:
    """A question's words by cognates, as `_yes_no` reads an English one against a French source."""
    return frozenset(cognate(w) for w in tokens(text) if len(w) >= 4 and stem(w) not in _LIGHT
                     and w not in ignore and w not in NEGATION_WORDS)


def _read_claim(sentence: str, question: Asked, vocabulary: frozenset[str], org_terms: frozenset[str]) -> _Claim:
    from chatbot.verify import figures

    opener, body = split_opener(sentence)
    english = is_english(body or sentence)
    language = "en" if english else "fr"
    ignore = frozenset(org_terms) | frozenset(stem(t) for t in org_terms)
    stems = content_stems(body, ignore)
    question_stems = set(question.stems)
    cognates = {cognate(w) for w in tokens(body) if len(w) >= 4 and w not in NEGATION_WORDS
                and stem(w) not in _LIGHT and w not in ignore and not any(c.isdigit() for c in w)}
    values = [(f.text, f.values) for f in figures(body)]
    if english and values and FIGURE_UNITS_APART:
        cognates -= {cognate(w) for w in tokens(body) if w in UNITS}
    # A duration ("sur 5 ans") is not a figure a year dates.
    dated = [(t, v) for t, v in values if not re.search(re.escape(t) + r"\s+(?:ans?|annees?|mois|jours?|years?|months?)\b",
                                                         body, re.IGNORECASE)]
    names = _names(body, vocabulary, org_terms, english)
    # An English sentence may carry a French phrase (a small model mixes them): its stance counts in both.
    claim = _Claim(sentence, body, opener, english, stems, {s for s in stems if s in question_stems}, cognates,
                   values, set(_YEAR.findall(body)), names, roles(body, language),
                   stance=stances(body, language) | (stances(body) if english else set()),
                   negated=has_negation(body), quantity=quantifiers(body), dated=dated,
                   details=contact_strings(body))
    claim.lower, claim.org_terms = vocabulary, org_terms
    claim.new_names = [n for n in names if not {stem(w) for w in tokens(n)} <= claim.echo]
    claim.adds = bool(claim.details - question.details or claim.new_names) or \
        any(not vs & question.values for _, vs in values)
    if not english:
        kept = set(stems)
        # A compound is its parts (« les maisons-relais »): each must be the source's, or « maisons de la
        # ville » would stand for it.
        # An open question names its topic, which the answer may keep in the question's words (« bénéfices » for the
        # source's « résultat »); a yes/no question's nouns are what the answer asserts (« … est-il un ami du
        # gouvernement ? »): they need the source like any other.
        exempt = question_stems - question.asserted
        folded = fold(body).replace("’", "'")
        attributes = _ATTRIBUTE.findall(folded) if ATTRIBUTES else []
        claim.nouns = (qualified_nouns(body) | {stem(p) for w in attributes for p in w.split("-") if p}) & kept - exempt
    for name in names:
        if is_person_name(name):
            # A bare name answering « qui est le trésorier ? » asserts the role asked: it must be the source's.
            role = _nearest_role(body, name, language) or (None if claim.roles else _asked_role(question))
            if role:
                claim.person_roles[name] = role
    return claim


def _asked_role(question: Asked) -> str | None:
    """The first role an open question asks about (« Who serves as treasurer? »: tresorier); None for a yes/no
    question, whose role is the one it asks to confirm, not one an answer takes on."""
    if not question.text or question.asserted:
        return None
    found = roles(question.text, "en" if question.english else "fr")
    return found[0][1] if found else None


def _polarity_ok(claim: _Claim, unit: Unit) -> bool:
    """Each clause of the claim that matches a clause of the unit has that clause's polarity."""
    # The organisation's own name is in most clauses: it only breaks ties between the clauses that share the
    # claim's other words ("n'a pas de refuges" is read against "Les refuges du club ferment l'hiver", not against
    # "Le club ne possède aucune succursale").
    org = frozenset(claim.org_terms) | {stem(t) for t in claim.org_terms} | {cognate(t) for t in claim.org_terms}
    for clause in CLAUSE.split(claim.body):
        keys = _clause_keys(clause)
        words = keys[1] if claim.english else keys[0]
        if not words:
            continue
        index = 1 if claim.english else 0
        best = max(unit.clauses, key=lambda c: (len((words - org) & c[index]), len(words & c[index])), default=None)
        if best is None:
            continue
        shared = len(words & best[index])
        # An English clause shares few cognates with its French source (« can be sold » / « être mis en
        # vente »): a short one is tied to a clause by one word, the organisation's name not counted as its own.
        size = len(words - org) if claim.english else len(words)
        if shared < (1 if size <= 3 else 2):
            continue
        if keys[2] != best[2]:
            return False
    return True


def _labels(claim: _Claim, unit: Unit) -> frozenset[str]:
    """Stems of the words naming the contact details of `unit` that `claim` gives (see CONTACT_WORDS)."""
    if not unit.details:
        return frozenset()
    kinds: set[str] = set()
    values = {v for _, vs in claim.values for v in vs}
    # A name the question itself gave is no detail given ("Quel temps fera-t-il à Bordeaux ?" is not answered by
    # "Le siège est à Bordeaux", true as it may be).
    for line_kinds, strings, haystack, line_values in unit.details:
        if claim.details & strings or values & line_values or any(_needle(n) in haystack for n in claim.new_names):
            kinds |= line_kinds
    if not kinds:
        return frozenset()
    return frozenset().union(_CONTACT_STEMS["any"], *(_CONTACT_STEMS[k] for k in kinds))


def headed(words: Sequence[str], i: int) -> str:
    """What the English role noun at `i` of `words` heads: « the head of [the] legal team » gives "legal"; "" for none."""
    of = words[i + 2] if i + 2 < len(words) and words[i + 1] in ("of", "for") else ""
    return words[i + 3] if of in ("the", "its") and i + 3 < len(words) else of


# The organisation named by its kind (a class of the language): « the head of the organisation » heads its own.
_ORGANISATION_KINDS = frozenset("organisation organization association group company charity ngo nonprofit".split())


def roles_heading(text: str) -> list[tuple[str, str]]:
    """An English text's role nouns as (role key, what it heads, see `headed`)."""
    words = _role_words(text)
    return [(key, headed(words, i)) for i, key in roles(text, "en")]


def heads_named(text: str, name: str, key: str, of: str, org_terms: frozenset[str] = frozenset()) -> bool:
    """`text` (French) gives `name` the English role `key` (its nearest role noun) over what the role heads (`of`, see
    `headed`): the very role, or one of its family (« Président » for "head") heading nothing, the organisation, or
    something `text` names too (« the head of the bureau », not « the head of the legal team »)."""
    role = _nearest_role(text, name)
    if role is None or not _role_ok(key, [role]):
        return False
    return (role == key or not of or stem(of) in org_terms or of in org_terms or of in _ORGANISATION_KINDS
            or cognate(of) in {cognate(w) for w in _ROLE_TOKEN.findall(fold(text))})


def _roles_given(claim: _Claim, unit: Unit) -> set[str]:
    """The cognates of an English claim's role nouns whose role the unit gives too: « chair » translates « préside »,
    which shares no letters with it."""
    if not claim.roles or not unit.roles:
        return set()
    words = _role_words(claim.body)
    given = {k for _, k in unit.roles}
    held = set()
    for i, key in claim.roles:
        if i >= len(words) or not _role_ok(key, given):
            continue
        # A role of the family only (« head » for « Président ») is the source's unless it is the head of something
        # the source does not name: « the head of fundraising » is no « Président du bureau ».
        of = headed(words, i)
        if key in given or not of or of in claim.org_terms or cognate(of) in unit.cognates:
            held.add(cognate(words[i]))
    return held


def _cognate_coverage(claim: _Claim, said: set[str], unit: Unit, labels: frozenset[str]) -> float:
    """The share of the cognates `said` (an English claim's) that the unit holds, its role nouns the unit gives
    included."""
    if not said:
        return 1.0
    cognates = unit.cognates | {cognate(w) for w in labels} | _roles_given(claim, unit)
    return len(said & cognates) / len(said)


def _coverage(claim: _Claim, unit: Unit, labels: frozenset[str] | None = None) -> float:
    """The share of the claim's content words (or cognates) the unit holds; `labels`: `_labels(claim, unit)` when the
    caller has it already."""
    labels = _labels(claim, unit) if labels is None else labels
    if claim.english:
        return _cognate_coverage(claim, claim.cognates, unit, labels)
    if not claim.stems:
        return 1.0
    stems = unit.stems | labels
    matched = sum(in_family(s, stems) for s in claim.stems)
    return matched / len(claim.stems)


def _quantity_said(claim: _Claim, unit: Unit) -> frozenset[str]:
    """The quantifiers of the unit's sentence that says most of the claim's words (its stems, or an English claim's
    cognates): of two sentences read together, the « only » of one does not restrict what the other says (« … travaille
    avec des guides … » beside « Son accueil … ne dépend que de la météo » is no « only works with guides »)."""
    if len(unit.sentences) < 2 or not claim.quantity:
        return unit.quantity

    def said(sentence: str) -> int:
        words = [w for w in tokens(sentence) if len(w) > 2]
        stems, cognates = frozenset(stem(w) for w in words), frozenset(cognate(w) for w in words if len(w) >= 4)
        return sum(in_family(w, stems) for w in claim.stems) + len(claim.cognates & cognates)

    return frozenset(quantifiers(max(unit.sentences, key=said)))


def _failure(claim: _Claim, unit: Unit, question_years: set[str], denied: set[str], *,
             restated: bool = False, judged: bool = False, anchored: bool = True,
             coverage: float | None = None) -> tuple[str, str]:
    """The first rule `unit` breaks as support for `claim` ("", "" when it supports it); `restated`: the unit says
    the same thing in other words (sentence similarity), so the word-overlap gates are waived; `judged`: a language
    model will read the words (`Entails`), so the question-echo gate is waived too; `anchored`: an English claim's
    figure-free words single out the unit among the FAQ's sentences (`_anchored`); `coverage`: `_coverage(claim,
    unit)` when the caller has counted it already."""
    restated = restated or judged
    labels = _labels(claim, unit)
    coverage = _coverage(claim, unit, labels) if coverage is None else coverage
    # A sentence made only of the question's words restates it, unless it adds a figure, a name or a contact detail
    # the question did not give ("Le numéro du siège est le 04 72 00 00 00", "It was founded in 1990"): those are
    # checked below like any other.
    echo = bool(claim.stems) and len(claim.echo) == len(set(claim.stems)) and not claim.adds
    if echo and not judged and not claim.english and coverage < 1.0:
        return "echo", "the sentence restates the question; no source sentence states it"
    if echo and not judged and claim.english and not claim.negated:
        # An English answer is matched on cognates, too weak to prove an affirmation made only of the question's
        # words ("Yes, X is affiliated with a political party" to "Is X affiliated with a political party?").
        return "echo", "the sentence restates the question; no source sentence states it"
    if _WRITER.match(claim.body) and not _WRITER_IN.search(unit.text):
        # « Je travaille avec des élus » from « le club travaille avec des élus »: the writer (of an answer, of a
        # press draft) is not the organisation the source speaks of.
        return "words", "the source says this of the organisation, not of the writer (« je »)"
    if restated:
        pass  # the words are the source's, translated: the checks below still read its figures, names and stances
    elif claim.english:
        # A translation: the unit must share cognates with it, or the figures, names and contact details checked
        # below. A person's name does not stand in for them, nor count among the cognates: what the claim says of the
        # person is in its other words (« The person in charge of X is <a name the source gives another role> »).
        persons = [n for n in claim.names if is_person_name(n)]
        if persons:
            coverage = _cognate_coverage(claim, claim.cognates - {cognate(w) for n in persons for w in tokens(n)},
                                         unit, labels)
        if coverage < MIN_COVERAGE_EN and not (claim.values or len(persons) < len(claim.names) or claim.details):
            return "words", "no source sentence states it"
    elif coverage < MIN_COVERAGE:
        return "words", f"no source sentence states it ({coverage:.0%} of its words in the closest one)"
    if NOUNS_STRICT and not restated:
        named = unit.stems | labels
        absent_nouns = [n for n in claim.nouns if not in_family(n, named)]
        if absent_nouns:
            return "words", f"« {absent_nouns[0]} » is not what the source sentence speaks of"
    if claim.english and labels:
        # A translated contact detail must be said of a contact detail ("its head office", "the phone number"), not
        # of something the source never names ("The best pizzeria in Lyon is at 12 rue des Lilas").
        contact = frozenset().union(*_CONTACT_STEMS.values()) | claim.org_terms | _EN_SELF
        heads = [w for pair in _EN_HEAD.findall(fold(claim.body).replace("’", "'")) for w in pair
                 if w and w not in _EN_WORDS]
        strays = [w for w in heads if not any(stem(part) in contact for part in (w, *w.split("-")))
                  and cognate(w) not in unit.cognates]  # « e-mail » is « mail »
        if strays:
            return "words", f"« {strays[0]} » is not what the source sentence gives this detail for"
    missing = claim.quantity - _quantity_said(claim, unit)
    if missing:
        return "words", f"« {', '.join(sorted(missing))} »: the source does not say so"
    missing = [text for text, values in claim.values if not values & unit.values]
    if missing:
        return "figures", f"{', '.join(missing)} not in the source sentence"
    loose = _contact_figure(claim, unit) if CONTACT_FIGURES else ""
    if loose:
        return "figures", f"{loose} is part of a contact detail of the source, not a figure of what the claim says"
    # The source's figures in another currency (« 4.2 million dollars » from « 4,2 millions d'euros »).
    currency = other_currency(claim.body, unit.text) if claim.values else ""
    if currency:
        return "figures", currency
    if not anchored and not restated:  # its figures are the source's, what it says of them is not (`_anchored`)
        return "words", MISPLACED_FIGURE
    stray = None if claim.english else _stray_noun(claim, unit) or _moved_figure(claim, unit)
    if stray:
        return "figures", stray
    from chatbot.verify import name_in_sources

    absent = [n for n in claim.names if not name_in_sources(n, unit.haystack, claim.lower, claim.org_terms,
                                                                 unit.text)]
    if absent:
        return "names", f"{', '.join(absent)} not in the source sentence"
    given = frozenset().union(*(strings for _, strings, _, _ in unit.details)) if unit.details else frozenset()
    wrong = sorted(claim.details - given)
    if wrong:  # a phone number, e-mail, site or street written otherwise than the source writes it
        return "figures", f"{wrong[0]} not in the source sentence"
    if PAIR_NAMES and len(unit.sentences) == 2 and claim.names and claim.stems:
        # Two sentences state a claim together, but what the claim says of a name must be said of it: the name
        # belongs to the sentence that holds most of the claim's words ("Les décisions du Comité…" is not stated
        # by "Les décisions du Bureau…" followed by a sentence about the Comité).
        held = [sum(in_family(w, stems_of(s)) for w in claim.stems) for s in unit.sentences]
        main = unit.sentences[0] if held[0] >= held[1] else unit.sentences[1]
        if held[0] != held[1]:
            strays = [n for n in claim.names if _needle(n) not in _haystack(main)]
            if strays:
                return "names", f"{strays[0]} is not the subject of the source sentence that says this"
    swapped = _swapped_name(claim, unit)
    if swapped:
        return "names", swapped
    # A translation the sentence similarity recognises keeps its names where they are; cognates are too few to say so.
    if NAME_CLAUSES and not (claim.english and restated):
        stray = _unbound_name(claim, unit, labels)
        if stray:
            return "names", f"the source does not say this of {stray}"
    unit_role_keys = [k for _, k in unit.roles]
    extra = [k for _, k in claim.roles if not _role_ok(k, unit_role_keys)]
    if extra:
        return "role", f"the source sentence gives no {extra[0]}"
    for name, role in claim.person_roles.items():
        source_role = _nearest_role(unit.text, name)
        if source_role is None or not _role_ok(role, [source_role]):
            return "role", f"the source gives {name} the role {source_role or 'of none'}, not {role}"
    stance = unit.stance
    if len(unit.sentences) == 2 and claim.stems:
        held = [sum(in_family(w, stems_of(s)) for w in claim.stems) for s in unit.sentences]
        if held[0] != held[1]:
            stance = frozenset(stances(unit.sentences[0 if held[0] > held[1] else 1]))
    if claim.english:
        # An English claim is read with the English words: the source is too, where it holds them (« fonctions
        # supports » is what « support functions » translates, not an endorsement the claim adds).
        stance |= stances(unit.text, "en")
    if claim.stance - stance:
        return "stance", f"{', '.join(sorted(claim.stance - stance))} the source sentence does not take"
    if not _polarity_ok(claim, unit):
        return "polarity", "the source sentence says the opposite"
    if claim.negated and labels and not any(c[2] for c in unit.clauses):
        return "polarity", "the source gives this detail; it denies nothing"  # "le numéro n'est pas le 01…"
    # An English claim's clauses are matched to the French ones by cognates, which a short clause may lack (« … and
    # is not paid for them »): a negation the claim makes where the source sentence has none at all is its own.
    if claim.english and claim.negated and not has_negation(unit.text):
        return "polarity", "the source sentence denies nothing"
    if question_years and not claim.years and any(not v <= {float(y) for y in unit.years} for _, v in claim.dated) \
            and unit.years and not unit.years & question_years:
        return "year", (f"the question asks about {', '.join(sorted(question_years))}; the source gives this figure "
                        f"for {', '.join(sorted(unit.years))}")
    if claim.opener == "yes" and has_negation(unit.text) and claim.negated is False and _polarity_clause_negated(
            claim, unit):
        return "yes_no", "« oui » before a source that says no"
    # What the claim affirms: all its words, or, when it denies something, those of its clauses that deny nothing («
    # Non-lucratif, le club réinvestit ses cotisations » affirms the fees all the same).
    stated = set(claim.stems) if not claim.negated else {
        s for clause in CLAUSE.split(_strip_refs(claim.body)) if clause.strip() and not has_negation(clause)
        for s in content_stems(clause, frozenset())} & set(claim.stems)
    if stated & denied:
        return "polarity", f"{', '.join(sorted(stated & denied))}: the sources only ever deny it"
    return "", ""


@lru_cache(maxsize=8192)
def _words_of(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of `text` as written and folded (cached: a claim is compared with every unit, a unit with every
    claim)."""
    words = tuple(_WORDS.findall(text))
    return words, tuple(fold(w) for w in words)


def _swapped_name(claim: _Claim, unit: Unit) -> str:
    """A name or acronym the claim puts where the source sentence it copies has another word ("" when none)."""
    ours, our_folded = _words_of(claim.body)
    theirs, their_folded = _words_of(unit.text)
    if len(ours) < 4:
        return ""
    matcher = SequenceMatcher(None, our_folded, their_folded, autojunk=False)
    if sum(b.size for b in matcher.get_matching_blocks()) < COPY_SHARE * len(ours):
        return ""
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        names = [w for k, w in enumerate(ours[i1:i2], start=i1) if (k and w[:1].isupper()) or w.isupper()]
        if op == "replace" and names:
            return f"« {names[0]} » where the source sentence it copies says « {' '.join(theirs[j1:j2])} »"
    return ""


def _lead_in(text: str, figure: str) -> str:
    """The words that lead to `figure` in `text`: back to the clause's start or to the figure (not a year)
    before it."""
    from chatbot.verify import figures

    at = text.find(figure)
    if at < 0:
        return ""
    before = _FIGURE_CLAUSE.split(text[:at])[-1]
    for other in figures(before):
        # A year dates the figure ("le budget 2023 s'élève à …"): the noun before it still leads.
        if not _YEAR.fullmatch(other.text.strip()):
            before = before.split(other.text)[-1]
    return before


def _contact_figure(claim: _Claim, unit: Unit) -> str:
    """A figure of the claim that only the source's contact lines give, in a claim that gives none of those lines'
    details whole ("" when there is none): « 12 places de parking au siège » from « 12 rue des Lilas »."""
    if not unit.details:
        return ""
    from chatbot.verify import figures

    elsewhere = frozenset(v for s in unit.sentences if not contact_kinds(s) for f in figures(s) for v in f.raw)
    for text, values in claim.values:
        lines = [strings for _, strings, _, held in unit.details if values & held]
        if lines and not values & elsewhere and not any(claim.details & strings for strings in lines):
            return text
    return ""


def _stray_noun(claim: _Claim, unit: Unit) -> str:
    """A noun the claim gives a figure to that the source sentence says of another of its clauses: "En 2019, le
    chiffre d'affaires atteint +80 000 euros" from "… et le bilan : le résultat 2019 atteint +80 000 euros,
    soit 3 % du chiffre d'affaires" ("" when every figure keeps its noun)."""
    from chatbot.verify import figures

    phones = [m.group(0) for m in PHONE.finditer(claim.body)]
    for text, values in claim.values:
        if _YEAR.fullmatch(text.strip()):
            continue  # a year dates a clause rather than belonging to a noun (check_years reads it)
        if any(text.strip() in phone for phone in phones):
            continue  # the digits of a phone number (« Téléphone : 04 72 … »): the contact checks read it whole
        nouns = {stem(w) for w in _DETERMINED.findall(fold(_lead_in(claim.body, text)).replace("’", "'"))}
        nouns -= claim.org_terms | {stem(t) for t in claim.org_terms} | _LIGHT
        # A noun the claim also gives right after the figure, as the source does, is its topic restated: « Pour
        # l'économie circulaire et locale, le groupe est le 5e acteur de l'économie circulaire et locale ».
        nouns -= stems_of(_FIGURE_TAIL.split(claim.body[claim.body.find(text) + len(text):])[0])
        if not nouns:
            continue
        for sentence in unit.sentences:
            for figure in figures(sentence):
                if not figure.raw & values:
                    continue
                own = next((c for c in _FIGURE_CLAUSE.split(sentence) if figure.text in c), "")
                elsewhere = stems_of(sentence) - stems_of(own)
                strays = sorted(n for n in nouns if n in elsewhere and not in_family(n, stems_of(own)))
                if strays:
                    return f"« {strays[0]} » is not what the source gives {text} for"
    return ""


def _moved_figure(claim: _Claim, unit: Unit) -> str:
    """A figure the claim gives to what follows it (« le 1er réseau de refuges de montagne ») where the source
    gives another figure to those words (« 1er organisateur de voyages en train - 3ème réseau de refuges de
    montagne »); "" when a clause of the source gives them this figure, or none gives them another."""
    from chatbot.verify import Figure, figures

    ignore = claim.org_terms | {stem(t) for t in claim.org_terms} | _LIGHT
    clauses: list[tuple[Figure, frozenset[str]]] | None = None  # the unit's figures with their clauses, read once
    for text, values in claim.values:
        if _YEAR.fullmatch(text.strip()):
            continue
        at = claim.body.find(text)
        tail = _FIGURE_CLAUSE.split(claim.body[at + len(text):])[0] if at >= 0 else ""
        for other in figures(tail):  # the next figure has its own words (« 2ème … - 1er … »)
            tail = tail.split(other.text)[0]
        said = sorted(stems_of(tail) - ignore)
        if len(said) < 2:
            continue  # one counted noun may be several figures' (« 300 gares … en a restauré 12 »)
        if clauses is None:
            clauses = [(figure, stems_of(c)) for sentence in unit.sentences for figure in figures(sentence)
                       for c in _FIGURE_CLAUSE.split(sentence) if figure.text in c]
        if any(figure.raw & values and all(in_family(w, own) for w in said) for figure, own in clauses):
            continue
        other = next((figure for figure, own in clauses if not figure.raw & values and not _YEAR.fullmatch(
            figure.text.strip()) and all(in_family(w, own) for w in said)), None)
        if other is not None:
            return f"the source gives {other.text.strip()}, not {text}, to « {' '.join(sorted(said))} »"
    return ""


@lru_cache(maxsize=8192)
def _bare(clause: str) -> bool:
    """A clause made only of names or acronyms ("FEDRAIL", "Marie Dubois"): an item of an enumeration or an
    apposition, bound to the clauses around it."""
    capitalised = {w for c in re.findall(r"[A-ZÀ-Ý][\w'’-]*", clause) for w in tokens(c)}
    words = set(tokens(clause))
    return bool(words) and words <= capitalised


def _clauses_joined(sentence: str) -> list[tuple[str, bool]]:
    """The clauses of a sentence (`CLAUSE`), each with whether a conjunction (not punctuation) joins it to the one
    before."""
    parts = re.split(f"({CLAUSE.pattern})", sentence)
    out: list[tuple[str, bool]] = []
    joined = False
    for n, part in enumerate(parts):
        if n % 2:
            joined = bool(part.strip()) and part.strip()[0].isalpha()
        elif part.strip():
            out.append((part, joined))
    return out


@lru_cache(maxsize=64)
def _source_cognates(vocabulary: frozenset[str]) -> frozenset[str]:
    """The cognates (`cognate`) of the sources' words."""
    return frozenset(cognate(w) for w in vocabulary if len(w) >= 4)


def _only_name(clause: str, name: str) -> bool:
    """The clause is the name alone, with its determiners (« Le Bureau »): a subject an apposition follows."""
    return not set(tokens(clause)) - set(tokens(name)) - _FR_WORDS - _EN_WORDS


def _unbound_name(claim: _Claim, unit: Unit, labels: frozenset[str] = frozenset()) -> str | None:
    """A name the claim says something of, which the unit does not say that of: around each of the name's
    places in the unit (its clause, the clause after it, an enumeration or apposition it belongs to), none of
    the words the claim puts in the name's clause ("Les Chefs de Ligne composent le Bureau" against
    "Le Comité, composé des Chefs de Ligne, prépare les décisions du Bureau")."""
    if claim.english and not ENGLISH_CLAUSES:
        return None
    placed = [(k, c, joined) for k, s in enumerate(unit.sentences) for c, joined in _clauses_joined(s)]
    clauses = [c for _, c, _ in placed]
    sentence_of = [k for k, _, _ in placed]
    coordinated = [joined for _, _, joined in placed]
    # An English claim is compared by cognates (its words' French-looking prefixes), those of every name it holds
    # set aside: « directors » and a body named « Direction » share theirs.
    keys = 1 if claim.english else 0
    clause_stems = [_clause_keys(c)[keys] if claim.english else
                stems_of(c) | labels if labels and contact_kinds(c) else stems_of(c) for c in clauses]
    bare = [_bare(c) for c in clauses]
    named = {cognate(w) for n in claim.names for w in tokens(n)} if claim.english else set()
    # The cognates the sources write: the unit's, capitalised or not, and the passages' lower-case words.
    written = _source_cognates(claim.lower) | frozenset().union(*clause_stems) if claim.english else frozenset()
    for clause in CLAUSE.split(claim.body):
        for name in claim.names:
            if _needle(name) not in _haystack(clause):
                continue
            name_stems = {stem(w) for w in tokens(name)}
            # A person's role noun is the role rule's business ("le patron … est X" for "Président (X)").
            role_words = {stem(w) for w in tokens(clause) if any(w.startswith(f) for f in _ROLE_FORMS["fr"])} \
                if is_person_name(name) else set()
            if claim.english:
                said = {w for w in _clause_keys(clause)[1] if w not in named and w not in _EN_WORDS} & claim.cognates
            else:
                said = {w for w in _clause_keys(clause)[0] if w not in name_stems} & set(claim.stems) - role_words
            places = [i for i, c in enumerate(clauses) if _needle(name) in _haystack(c)]
            if not said or not places:
                continue
            around: set[int] = set()
            for i in places:
                # The clause after the name may be its apposition (« Le Bureau, composé des … »); the clause before
                # it, behind a comma, belongs to an earlier subject (« Le Bureau, composé des directeurs, prépare les
                # décisions du Conseil » says nothing of the Conseil's members), while behind a conjunction it is the
                # same phrase (« la Maison des familles et des aidants »).
                lo, hi = (i - 1 if coordinated[i] else i), i + 1
                while lo > 0 and bare[lo]:
                    lo -= 1
                while hi < len(clauses) - 1 and bare[hi]:
                    hi += 1
                if BOUND_SUBJECT and _only_name(clauses[i], name):
                    # A subject set apart by a comma (« Le Bureau, composé des … et des …, prépare ») says its
                    # predicate after the apposition: the clauses joined to it by a conjunction, then the next one.
                    while hi < len(clauses) - 1 and coordinated[hi + 1] and sentence_of[hi + 1] == sentence_of[i]:
                        hi += 1
                    hi += 1
                around.update(j for j in range(max(lo, 0), min(hi, len(clauses) - 1) + 1)
                              if sentence_of[j] == sentence_of[i])
                nxt = sentence_of[i] + 1
                if BOUND_SUBJECT and nxt < len(unit.sentences) and _ANAPHOR.match(unit.sentences[nxt]) and \
                        i == max(j for j, k in enumerate(sentence_of) if k == sentence_of[i]) and \
                        not _LOCATIVE.search(_before(clauses[i], name)):
                    # The next sentence opening on a demonstrative or a pronoun (« Cette association fut… », « Elle
                    # … ») speaks of the name that closes this one, unless that name is where something is (« Le
                    # siège est à Lyon. Elle dispose d'antennes… »: « elle » is not Lyon).
                    around.update(j for j, k in enumerate(sentence_of) if k == nxt)
            if claim.english:
                # Many faithful words have no French cognate (« founded » / « fondé »): only the words whose cognate
                # the sources write somewhere tell where the claim's name belongs.
                said &= written
            if said and not any((w in clause_stems[i]) if claim.english else in_family(w, clause_stems[i])
                                for i in around for w in said):
                return name
    return None


def _before(text: str, name: str) -> str:
    """The words of `text` before the first place of `name` (both normalised, as `_haystack` and `_needle` read them)."""
    haystack = _haystack(text)
    return haystack[:max(haystack.find(_needle(name)), 0)] + " "


def _polarity_clause_negated(claim: _Claim, unit: Unit) -> bool:
    words = set(claim.stems)
    best = max(unit.clauses, key=lambda c: len(words & c[0]), default=None)
    return bool(best and best[2] and words & best[0])


_DENIED = re.compile(r"\b(?:aucun|aucune|sans|pas d[e']|plus d[e']|jamais d[e']|ni)\s*(?:l[ae']\s*|les\s+)?([a-z]{4,})")


@lru_cache(maxsize=512)
def _vocabulary(texts: tuple[str, ...]) -> frozenset[str]:
    """Words the passages write in lower case: a capitalised one in an answer is a common word, not a name."""
    return frozenset(fold(w) for t in texts for w in re.findall(r"(?<![\w'’])[a-zà-ÿœæ][\w'’-]*", t))


@lru_cache(maxsize=512)
def _denied(passages: tuple[str, ...]) -> frozenset[str]:
    return frozenset(denied_stems(passages))


def denied_stems(passages: Sequence[str]) -> set[str]:
    """Stems the passages only ever deny: after "aucun", "sans", "pas de"... and in no clause without a
    negation ("Le club ne possède aucune succursale" -> `succursal`)."""
    denied, affirmed = set(), set()
    for clause in (c for p in passages for s in passage_sentences(p) for c in CLAUSE.split(s) if c.strip()):
        folded = fold(clause).replace("’", "'")
        if has_negation(clause):
            denied.update(stem(w) for w in _DENIED.findall(folded))
        else:
            affirmed.update(stem(w) for w in tokens(clause))
    return denied - affirmed


# A source sentence opening with its own Oui/Non answers the question its FAQ section asks; copied with it, the
# answer would keep that Oui/Non unless the passages state the question's proposition the other way
# (`_borrowed_opener`). Off: measured twice on the whole suite, it cost more right answers than it stopped wrong ones
# (docs/verifier.md).
BORROWED_OPENER = False


def _borrowed_opener(claim: _Claim, question: Asked, units: Sequence[Unit]) -> bool:
    """`claim` copies whole a source sentence that opens with its own Oui/Non (« Non. Le club n'est lié à aucun
    parti. »), and the sentence of the passages stating the question's proposition says the opposite (« Un membre
    peut-il militer dans un parti ? » / « … chaque membre peut librement adhérer à un parti »): that Oui/Non
    answered the FAQ's question, not this one. Where no sentence states the proposition (a political question in other
    words), the copy stands: the FAQ's Oui/Non answers such a question as well as any word count can tell."""
    if not claim.opener or not question.text or (question.negated and claim.stems):
        return False
    reason, detail, unit = _yes_no(claim, question, units)
    return bool(reason) and unit is not None and not detail.startswith("no source")


def _unstated_yes(claim: _Claim, question: Asked, units: Sequence[Unit]) -> bool:
    """True for « Oui »/“Yes” to a statement put up for confirmation (« On m'a dit que le comité valide les comptes,
    c'est vrai ? ») that no source sentence states: a true body on something else confirms nothing, and stands
    without it (`without_wrong_openers`)."""
    # One sentence states it: « … le bureau … » beside « … le conseil valide les comptes » says who validates them.
    single = [u for u in units if len(u.indexes) == 1] or list(units)
    return (UNSTATED_YES and claim.opener == "yes" and bool(question.statement)
            and _yes_no(claim, question, single)[1] == NOT_STATED)


def _yes_no(claim: _Claim, question: Asked, units: Sequence[Unit]) -> tuple[str, str, Unit | None]:
    """Oui/Non/Yes/No against the evidence for the question's proposition: the units that state it best (most of
    its words); the opener must agree with the polarity of the clause stating it in one of them."""
    if not question.text:
        return "yes_no", "a bare yes or no needs the question", None
    english = question.english
    if question.answers and ("en" if english else "fr") in ANSWER_RANKED:
        ranked = _yes_no_ranked(claim, question, units)
        if ranked is not None:
            return ranked
    # An English question about a French FAQ: its proposition is found by cognates. A statement put up for
    # confirmation is the proposition without its frame (« On m'a dit que …, c'est vrai ? »: « dit », « vrai » are
    # nobody's claim).
    keys = set(question.statement if HEARSAY_FRAME and question.statement
               else question.cognates if english else question.stems)
    # « Existe-t-il une fondation semblable ailleurs ? » asks whether something exists, and whether others are like the
    # subject: « existe », « semblable » and « ailleurs » are the frame of the question, not words the sentence
    # answering it (« le seul … ») would write; nor is the verb of running or holding (`_RUNS`).
    frame = [w for w in re.findall(r"[a-z]+", fold(question.text))
             if _EXISTS.fullmatch(w) or (question.other and _OTHER.fullmatch(w))
             or (RUNS_FRAME and _RUNS.fullmatch(w))]
    keys -= {cognate(w) for w in frame} if english else {stem(w) for w in frame}
    index = 1 if english else 0
    only_others = not keys and question.other  # « Y en a-t-il d'autres ? »: the sentences saying « seul » answer
    if not keys and not only_others:
        return "yes_no", "no source sentence answers the question", None

    def covered(unit: Unit) -> float:
        if only_others:
            return float(bool(ONLY_WORDS.search(fold(unit.text))))
        pool = unit.cognates if english else unit.stems
        return sum(k in pool or (not english and in_family(k, pool)) for k in keys) / len(keys)

    scored = sorted(((covered(u), u) for u in units), key=lambda x: (-x[0], len(x[1].indexes)))
    top = scored[0][0]
    if top < (MIN_COVERAGE_EN if english else MIN_COVERAGE):
        return "yes_no", NOT_STATED, scored[0][1]
    answers = []
    for coverage, unit in scored:
        if coverage < top - 1e-9:
            break
        best = max(unit.clauses, key=lambda c: len(keys & c[index]))
        answers.append((_says(best[2], question, unit), unit))
    return _agrees(claim, answers)


def _says(negated: bool, question: Asked, unit: Unit) -> str:
    """"yes" or "no": what `unit` answers to the question, its clause stating the proposition `negated` or not."""
    negative = negated != question.negated
    if question.other and ONLY_WORDS.search(fold(unit.text)):
        negative = not negative  # "d'autres … ?" answered by "le seul …": no
    return "no" if negative else "yes"


def _agrees(claim: _Claim, answers: Sequence[tuple[str, Unit]]) -> tuple[str, str, Unit]:
    """No fault when the claim's opener is one of the `answers` (best first), else the first one it contradicts."""
    for answer, unit in answers:
        if answer == claim.opener:
            return "", "", unit
    answer, unit = answers[0]
    return "yes_no", f"« {claim.opener} » where the source says {answer}", unit


# A figure the question gives as a bound, not as the figure it asks to confirm (« plus de 10 … ? », "over 500?"): a
# « Oui » to it may go with another figure.
_BOUND = re.compile(r"\b(?:plus|moins|au moins|au plus|pres|environ|jusqu'a|over|under|more|less|fewer|at least|"
                    r"at most|about|around|nearly|almost|up to)\s+(?:de\s+|d'|than\s+)?\d")
_YEAR_FIGURE = re.compile(r"(?:1[89]|20)\d{2}")


@lru_cache(maxsize=256)
def _given(text: str) -> tuple[frozenset[float], frozenset[float], frozenset[str]]:
    """The years, the other figures (every value each may mean) and the person names `text` gives."""
    from chatbot.verify import figures

    found = figures(text)
    years = frozenset(v for f in found if _YEAR_FIGURE.fullmatch(f.text) for v in f.raw)
    others = frozenset(v for f in found if not _YEAR_FIGURE.fullmatch(f.text) for v in f.raw)
    return years, others, frozenset(fold(n) for n in name_runs(text) if is_person_name(n))


def yes_to_another(body: str, question: str) -> str:
    """Why a « Oui » / "Yes" before `body` confirms what `body` itself contradicts: the question states a year, a
    figure or a person's name, and the body gives another of the same kind and not the question's (« Le club est-il
    présent dans 15 villes ? » / « Oui, le club est présent dans 12 villes »); "" otherwise, and when the question's
    figure is a bound (« plus de 10 »)."""
    if not question or _BOUND.search(fold(question)):
        return ""
    for asked_, said, kind in zip(_given(question), _given(body), ("year", "figure", "name"), strict=True):
        if asked_ and said and not asked_ & said:
            return f"« yes » to the question's {kind}, where the answer gives another"
    return ""


def _yes_no_ranked(claim: _Claim, question: Asked, units: Sequence[Unit]) -> tuple[str, str, Unit | None] | None:
    """An English Yes/No against the source sentence ranked first as the answer to the question (`Asked.answers`, the
    retriever's ranking), read by its negation; None when no unit holds a ranked sentence. An English question shares
    too few cognates with the French sentence that answers it (« Is it politically affiliated? » / « … ne
    dépend d'aucun parti ») to find that sentence by its words."""
    single = {_sentence_key(u.text): u for u in units if len(u.indexes) == 1}
    unit = next((single[key] for key in map(_sentence_key, question.answers) if key in single), None)
    if unit is None:
        return None
    return _agrees(claim, [(_says(has_negation(unit.text), question, unit), unit)])


_QUOTE_MARKS = re.compile(r"[«»“”\"]")


def opens_with_yes_or_no(sentence: str) -> bool:
    """True when the sentence opens with Oui/Non/Yes/No (after its list marks and bold)."""
    return bool(OPENER.match(_LEAD_FORMAT.sub("", _strip_refs(sentence)).strip()))


def split_opener(sentence: str) -> tuple[str, str]:
    """The sentence's Oui/Non/Yes/No ("yes", "no" or "") and its words after it, list marks, bold and citation markers
    set aside."""
    body = _LEAD_FORMAT.sub("", _strip_refs(sentence)).strip()
    m = OPENER.match(body)
    if not m:
        return "", body
    return ("yes" if m.group(1).lower() in ("oui", "yes") else "no"), body[m.end():]


def claim_body(sentence: str) -> str:
    """The sentence's words after its list marks, bold and Oui/Non/Yes/No, without its citation markers."""
    return split_opener(sentence)[1]


def _sentence_key(text: str) -> str:
    """A sentence as compared with another: normalised, without its list dash and end punctuation."""
    return normalize(re.sub(r"^\s*[-•*]\s*", "", text)).strip(" .!;:…")


def _verbatim(sentence: str, numbers: Sequence[int], passages: Sequence[str]) -> Evidence | None:
    """The source sentence `sentence` copies whole ("Non.", or a short « quote » of it), if any."""
    body = _QUOTE_MARKS.sub(" ", _strip_refs(sentence))
    body = _sentence_key(body)
    if not body:
        return None
    for n in numbers:
        for i, source in enumerate(passage_sentences(passages[n - 1])):
            if _sentence_key(source) == body:
                return Evidence(n, (i,), (source,))
    return None


# restates(claim, source texts) -> for each source text, whether it says what the claim says in other words (a
# sentence-similarity model: `chatbot.restatement`). Only a claim in another language than its sources is read so.
Restates = Callable[[str, Sequence[str]], Sequence[bool]]

# entails(claim, source text) -> whether the source says what the claim says, read by a language model
# (`chatbot.entailment`). Asked only of a claim the word-overlap gates alone reject (too few of its words in the
# source, a noun the source does not use, the question's words): every other rule (figures, names, roles, stances,
# polarity, years) must already hold on that source sentence, so the model reads paraphrases, never a figure or a
# name.
Entails = Callable[[str, str], bool]
# The closest source units a judged claim is read against (by word coverage): one model call each at most.
JUDGED_UNITS = 2
# What a supported claim's detail says when the model, not the word count, found its source.
JUDGED_DETAIL = "said in other words (read by the language model)"
# A French « Oui/Non » whose body only restates the question (`_opener_echo`).
ECHO_DETAIL = "the question restated after its answer: judged as « oui » / « non » alone"
# What the judge reads, chosen on the tune answers' claims it read wrongly (docs/verifier.md): a French claim (the
# prompt is French; English claims have the restatement test), of one clause (« … ; … » and a lead-in with its list
# after « : » were read as stated when one clause was), saying something (two content words: « Oui, c'est vrai »
# says nothing), giving no contact detail (« le code du portail est contact@… »: the contact checks read it), not
# the writer's view (no source sentence states it), and restating the question only as the Oui/Non answer to it
# (to an open question, its own words answer nothing).
_CLAUSES = re.compile(r"[;:]")
JUDGED_MIN_WORDS = 2


def _miskind(body: str) -> str:
    """Why the contact detail `body` gives is named as another kind of detail ("" when it is not)."""
    given = contact_kinds(body) & _KIND_NAMES.keys()
    if not given:
        return ""
    words = {stem(w) for w in tokens(fold(body))}
    named = {kind for kind, names in _KIND_NAMES.items() if words & names}
    if not named or named & given:
        return ""
    return (f"the source gives {_KIND_LABELS[sorted(given)[0]]} where the sentence names "
            f"{_KIND_LABELS[sorted(named)[0]]}")


def _entailed(claim: _Claim, ranked: Sequence[Unit], question_years: set[str], denied: set[str],
              entails: Entails, *, echo: bool = False) -> Unit | None:
    """The first of the closest units that breaks no rule but the word gates and that `entails` reads as stating the
    claim (None: none does, or the claim is not one the judge reads); `echo`: the claim restates the question."""
    body = _strip_refs(claim.body).strip()
    content = set(claim.stems)
    if claim.english or claim.details or len(content) < JUDGED_MIN_WORDS or _CLAUSES.search(body) \
            or _WRITER_ANY.search(body) or (echo and not claim.opener):
        return None
    # A source with fewer content words than the claim (a heading, a bare contact line) cannot say all it says.
    candidates = [u for u in ranked if len(u.stems) >= len(content)
                  and not _failure(claim, u, question_years, denied, judged=True)[0]]
    return next((u for u in candidates[:JUDGED_UNITS] if entails(body, u.text)), None)


# Why an English claim is rejected whose figure the source gives for something else (`_anchored`).
MISPLACED_FIGURE = "the source gives this figure for something the sentence does not speak of"


# A yes/no question restated as a statement is judged as its « Oui » / « Non » (kept for measurement, docs/quality.md).
RESTATED_YES = True


def _opener_echo(claim: _Claim, question: Asked, units: Sequence[Unit], question_years: set[str],
                 denied: set[str]) -> Unit | None:
    """The unit that answers the question when a French claim is « Oui » / « Non » followed by the question restated
    (« Oui, le club gère des refuges » to « Le club gère-t-il des refuges ? »): such a body says no more than its opener,
    so it is judged as a bare « Oui » is, by the sentence stating the question's proposition (`_yes_no`), with every
    rule but the word gates still read on it (names, roles, stances, figures, polarity). None otherwise: an English
    claim (cognates are too weak to find the proposition), a negative question, a body whose polarity is not its
    opener's (« Non, le club gère des refuges »), or a body still in the question's form (« Oui, le club gère-t-il des
    refuges »: a copy of the question, not an answer). A yes/no question restated as a statement without the opener
    (« Le club gère des refuges ») answers it as « Oui » would (« Non » when the body denies it): it is read so."""
    if not claim.opener and RESTATED_YES and question.asserted and not claim.english:
        claim = replace(claim, opener="no" if claim.negated else "yes")
    if not claim.opener or claim.english or question.negated or bool(claim.negated) != (claim.opener == "no") \
            or inverted(fold(claim.body)):
        return None
    reason, _, unit = _yes_no(claim, question, units)
    if reason or unit is None or _failure(_unframed(claim), unit, question_years, denied, judged=True)[0]:
        return None
    return unit


def _unframed(claim: _Claim) -> _Claim:
    """`claim` without its verb of running or holding (`_RUNS`), which restates the question's frame: « Oui, le club
    gère des refuges » says of « refuges » only what « Oui » says, not that a source sentence writes « gère »."""
    if not RUNS_FRAME:
        return claim
    frame = {stem(w) for w in re.findall(r"[a-z]+", fold(claim.body)) if _RUNS.fullmatch(w)}
    return replace(claim, stems=[w for w in claim.stems if w not in frame]) if frame else claim


def _anchored(claim: _Claim, units: Sequence[Unit], coverages: Sequence[float], restates: Restates | None
              ) -> list[bool]:
    """For each unit, whether an English claim that shares too few cognates with it to be read by its words says what
    the unit's figure is of: its words, figures left out, single out that unit among all the FAQ's sentences («
    The club hired 12 guides » is not what « Le club a ouvert 12 refuges » says; « It runs 12 mountain shelters »
    is), and whether each of its figures counts what the unit's figure counts (`chatbot.counted`). True for every
    unit the word coverage reads (`coverages`, one per unit) whose figures count the same, and for claims that are
    not such."""
    anchors = getattr(restates, "anchors", None)
    if anchors is None or not claim.english or not claim.values:
        return [True] * len(units)  # most claims are not such
    # Whatever the other words share with it, the noun a figure counts must be what the unit's figure counts (« The club
    # employs 12 people » shares « employ » with « Sur 300 clubs employeurs de la région, le club en a repris 12 »).
    counted = ([not miscounted(claim.body, u.sentences, anchors, persons=counts_persons) for u in units]
               if COUNTED_NOUNS else [True] * len(units))
    if claim.names or claim.details:
        return counted
    weak = [coverage < MIN_COVERAGE_EN for coverage in coverages]
    if not any(weak):
        return counted
    from chatbot.verify import figures

    words = _strip_refs(claim.body)
    for text, _ in claim.values:
        words = words.replace(text, " ")
    if FIGURE_UNITS_APART:
        words = " ".join(w for w in words.split() if fold(w).strip(".,;:!?") not in UNITS)
    values = frozenset().union(*(v for _, v in claim.values))
    # Of two sentences read together, the one that gives the figure says what it is of (the other may name what the
    # claim's words speak of: « … ses guides sont bénévoles » beside « … a ouvert 12 refuges » for « hired 12 guides »).
    held = [[s for s in u.sentences if any(f.values & values for f in figures(s))] or list(u.sentences) for u in units]
    flags = anchors(" ".join(words.split()), [" ".join(sentences) for sentences in held])
    return [ok and (not low or bool(flag)) for ok, low, flag in zip(counted, weak, flags, strict=True)]


def _translations(claim: _Claim, units: Sequence[Unit], restates: Restates | None) -> list[bool]:
    """For each unit, whether the English claim translates it (`restates`) with the same polarity: a similarity
    model reads « can be sold » and « ne peut en aucun cas être vendu » as the same statement."""
    if restates is None or not claim.english or not units:
        return [False] * len(units)
    flags = restates(_strip_refs(claim.body).strip(), [u.text for u in units])
    return [bool(same) and bool(claim.negated) == has_negation(u.text) for u, same in zip(units, flags, strict=True)]


def judge_claim(sentence: str, passages: Sequence[str], question: Question | Asked | str = "", *,
                org_terms: frozenset[str] = frozenset(), restates: Restates | None = None,
                entails: Entails | None = None) -> ClaimVerdict:
    """Judge one sentence of the model's own words against the passages it cites (all of them when it cites
    none), numbered from 1; `question`: the typed question (or what `asked` read of it); `restates` recognises a
    translation whose words cannot be counted against the source's; `entails` reads a claim the word gates alone
    reject (see `Entails`)."""
    question = asked(question, org_terms)
    cited = tuple(n for n in (int(m) for m in CITATION.findall(sentence)) if 1 <= n <= len(passages))
    numbers = cited or tuple(range(1, len(passages) + 1))
    if _META.search(fold(_strip_refs(sentence)).replace("’", "'")):
        return ClaimVerdict(sentence, "not_checked", "meta", "a sentence about the FAQ, not about the organisation",
                            cited)
    texts = [passages[n - 1] for n in numbers]
    copied = _verbatim(sentence, numbers, passages)
    own_opener = copied is not None and BORROWED_OPENER and OPENER.match(copied.sentences[0].strip()) is not None
    yes_checked = UNSTATED_YES and bool(question.statement) and opens_with_yes_or_no(sentence)
    if copied is not None and not own_opener and not yes_checked:
        return ClaimVerdict(sentence, "supported", "", "", cited, copied, 1.0)
    vocabulary = _vocabulary(tuple(texts))
    claim = _read_claim(sentence, question, vocabulary, org_terms)
    units = [u for n in numbers for u in passage_units(passages[n - 1], n)]
    if copied is not None and not own_opener:
        if _unstated_yes(claim, question, units):
            # A source sentence copied after the model's own « Oui »: true, and confirming nothing put up (below).
            return ClaimVerdict(sentence, "unsupported", "opener", NOT_STATED, cited, copied, 1.0)
        return ClaimVerdict(sentence, "supported", "", "", cited, copied, 1.0)
    if copied is not None:
        if not _borrowed_opener(claim, question, units):
            return ClaimVerdict(sentence, "supported", "", "", cited, copied, 1.0)
        if OPENER.sub("", copied.sentences[0]).strip(" .!"):
            # The FAQ's own « Non. » copied with its sentence answers the FAQ's question, not this one: only the body
            # stands (`without_wrong_openers`).
            return ClaimVerdict(sentence, "unsupported", "opener",
                                "the source's own yes or no answers another question", cited, copied, 0.0)
        # A bare « Non. » the FAQ writes for another question is judged as the answer's own Oui/Non, below.
    if not units:
        return ClaimVerdict(sentence, "unsupported", "words", "the cited passage has no sentence", cited)
    if not claim.body.strip(" .!?…") or not (claim.stems or claim.values or claim.names or claim.cognates):
        if claim.opener:
            reason, detail, unit = _yes_no(claim, question, units)
            return ClaimVerdict(sentence, "unsupported" if reason else "supported", reason, detail, cited,
                                unit.evidence if unit else None, 1.0 if not reason else 0.0)
        return ClaimVerdict(sentence, "not_checked", "empty", "nothing to check", cited)
    # A question mark inside it too: « … vont où ? [1] Ils portent … » is one sentence to the splitter (the marker
    # after the mark hides the end), a copied question joined to the sentence after it.
    if claim.body.rstrip().endswith("?") or _INNER_QUESTION.search(claim.body) or is_inverted_question(claim.body):
        return ClaimVerdict(sentence, "unsupported", "echo", "a question, not an answer", cited)
    miskind = _miskind(claim.body)
    if miskind:
        return ClaimVerdict(sentence, "unsupported", "figures", miskind, cited)
    question_years = set(question.years)
    denied = _denied(tuple(texts))
    best: tuple[float, Unit] | None = None
    first_failure: tuple[str, str, Unit, float] | None = None
    # Each unit's coverage is counted once: it ranks the units, and every rule below reads it.
    ranked_pairs = sorted(((_coverage(claim, u), u) for u in units), key=lambda p: (-p[0], len(p[1].indexes)))
    ranked = [u for _, u in ranked_pairs]
    coverages = [c for c, _ in ranked_pairs]
    translated = _translations(claim, ranked, restates)
    anchored = _anchored(claim, ranked, coverages, restates)
    contradiction: tuple[str, str, Unit, float] | None = None
    misplaced: tuple[str, str, Unit, float] | None = None
    for unit, coverage, restated, anchor in zip(ranked, coverages, translated, anchored, strict=True):
        reason, detail = _failure(claim, unit, question_years, denied, restated=restated, anchored=anchor,
                                  coverage=coverage)
        if not reason:
            best = (coverage, unit)
            break
        if first_failure is None:
            first_failure = (reason, detail, unit, coverage)
        if detail == MISPLACED_FIGURE and misplaced is None:
            misplaced = (reason, detail, unit, coverage)
        if reason == "polarity" and contradiction is None:
            contradiction = (reason, detail, unit, coverage)
    if best is None and misplaced is not None and first_failure is not None and first_failure[0] == "figures":
        # A source sentence giving every figure of the claim is its closest source, whatever the word count ranked
        # first: that the source gives them for something else says more than that another sentence lacks them.
        first_failure = misplaced
    if best is not None and contradiction is not None and contradiction[3] >= best[0]:
        # A source sentence that says the claim's words more fully says the opposite ("ne recrute pas auprès
        # des lycées" against "peu connu auprès des lycées"): the contradiction wins.
        best = None
        first_failure = contradiction
    judged = False
    if best is None and contradiction is None and entails is not None and first_failure is not None \
            and first_failure[0] in ("words", "echo"):
        unit = _entailed(claim, ranked, question_years, denied, entails, echo=first_failure[0] == "echo")
        if unit is not None:
            best, judged = (_coverage(claim, unit), unit), True
    if best is None and contradiction is None and first_failure is not None and first_failure[0] == "echo":
        unit = _opener_echo(claim, question, units, question_years, denied)
        if unit is not None:
            return ClaimVerdict(sentence, "supported", "", ECHO_DETAIL, cited, unit.evidence, _coverage(claim, unit))
    if best is not None:
        coverage, unit = best
        # To a negative question (« N'a-t-il aucune succursale ? », « Doesn't it have any branches? ») « Non » and
        # « Oui » both confirm the denial in speech: the body's own polarity, checked above against its source, says
        # which way the answer goes, so only a bare opener is read against the question.
        if claim.opener == "yes" and YES_TO_ANOTHER:
            # « Oui, … 12 villes » to « … 15 villes ? »: the body is the source's, the « Oui » confirms the question's
            # figure; without it the body answers (`without_wrong_openers`).
            contradicted = yes_to_another(claim.body, question.text)
            if contradicted:
                return ClaimVerdict(sentence, "unsupported", "opener", contradicted, cited, unit.evidence, coverage)
        # « Non, … 12 villes » to « … 15 villes ? » corrects the question's figure, whatever the source's polarity.
        corrects = claim.opener == "no" and YES_TO_ANOTHER and bool(yes_to_another(claim.body, question.text))
        if claim.opener and question.text and not (question.negated and claim.stems) and not corrects:
            # "Oui, <a true sentence>" can still answer the question wrongly: when a source sentence clearly
            # states the question's proposition, the opener must agree with it.
            if _unstated_yes(claim, question, units):
                return ClaimVerdict(sentence, "unsupported", "opener", NOT_STATED, cited, unit.evidence, coverage)
            reason, detail, answer_unit = _yes_no(claim, question, units)
            if reason and answer_unit is not None and not detail.startswith("no source"):
                if OPENER_REPAIR and answer_unit.passage == unit.passage and set(answer_unit.indexes) & set(
                        unit.indexes):
                    # The sentence that answers the question states the claim's body too: only the Oui/Non is
                    # wrong (« Oui, X est le seul … » to « Y en a-t-il d'autres ? »), and the body answers without it
                    # (`without_wrong_openers`).
                    reason = "opener"
                return ClaimVerdict(sentence, "unsupported", reason, detail, cited, answer_unit.evidence, coverage)
        return ClaimVerdict(sentence, "supported", "", JUDGED_DETAIL if judged else "", cited, unit.evidence, coverage)
    assert first_failure is not None
    reason, detail, unit, coverage = first_failure
    return ClaimVerdict(sentence, "unsupported", reason, detail, cited, unit.evidence, coverage)


def _around_opener(sentence: str) -> tuple[str, str] | None:
    """The list marks and bold before `sentence`'s Oui/Non/Yes/No, and its words after it; None when it opens with
    none."""
    lead = _LEAD_FORMAT.match(sentence)
    start = lead.end() if lead else 0
    opener = OPENER.match(sentence[start:])
    return None if opener is None else (sentence[:start], sentence[start + opener.end():])


def _rejoined(lead: str, body: str) -> str:
    return lead + body[:1].upper() + body[1:]


def without_opener(text: str) -> str | None:
    """`text` without the Oui/Non/Yes/No its first sentence opens with (list marks and bold kept, the next word
    capitalised); None when it opens with none, or with nothing after it."""
    parts = _around_opener(text)
    if parts is None or not parts[1].strip(" .!\n") or CITATION.match(parts[1].lstrip()):
        return None
    return _rejoined(*parts)


def without_wrong_openers(text: str, verdicts: Sequence[ClaimVerdict]) -> str | None:
    """`text` without the Oui/Non/Yes/No of each claim judged `opener` (its body, stated by the very sentence that
    answers the question, kept and capitalised); None when no claim is so judged."""
    wrong = [v.text for v in verdicts if v.reason == "opener"]
    if not wrong:
        return None
    for sentence in wrong:
        parts = _around_opener(sentence)
        if parts is None:
            return None
        repaired = text.replace(sentence, _rejoined(*parts), 1)
        if repaired == text:
            return None  # the sentence is not in the text as judged (a list number was set aside): nothing to repair
        text = repaired
    return text


_DIGIT = re.compile(r"\d")
# A sentence opening on a pronoun or a possessive, French or English: its subject is in a sentence before it.
_PRONOUN_START = re.compile(r"(?:il|elle|ils|elles|on|son|sa|ses|leur|leurs|cela|ceci|ce|cet|cette|ces|celui|celle|"
                            r"ceux|celles|it|its|they|their|this|these|those|he|she|his|her)\b", re.IGNORECASE)


# A sentence opening on a name, with its article (« Le Club Azur », « La Fondation Lumière », "Club Azur"), and the
# singular subject pronouns that stand for it in the next sentence.
_NAMED_SUBJECT = re.compile(r"((?:(?:Le|La|L')\s*[A-ZÀ-Ý][\w-]*|[A-ZÀ-Ý][\w-]*\s+[A-ZÀ-Ý][\w-]*)(?:\s+[A-ZÀ-Ý][\w-]*)*)\s")
_SUBJECT_PRONOUN = re.compile(r"(?:il|elle|it)(?=\s)", re.IGNORECASE)
# Kept for measurement: off, an answer left opening on « Il » after a cut is dropped (as before 7 December).
NAMED_SUBJECT_RESTORED = True


def without_unowed_figures(text: str, verdicts: Sequence[ClaimVerdict]) -> str | None:
    """`text` without its unsupported sentences that give a figure, for a question whose figure is the part the FAQ
    lacks (a caveat says so): the model answers that part anyway, inventing the figure (« … environ 300 locomotives »),
    and its other sentences answer the rest. None when no such sentence, or none other, is in `text`."""
    invented = [v.text for v in verdicts if not v.supported and _DIGIT.search(_strip_refs(v.text))]
    if not invented or len(invented) == len(verdicts):
        return None
    opening = text.lstrip().startswith(invented[0])
    for sentence in invented:
        if sentence not in text:
            return None  # judged apart from how the text writes it (a list number set aside): nothing to cut
        text = text.replace(sentence, "", 1)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    # An answer now opening on « Il » / « Elle » / "It" had its subject in the sentence cut: when that sentence opened
    # on a name (« Le Club Azur possède 10 navettes [1]. Il est présent … »), the name takes the pronoun's place, and
    # the sentence is checked as any other.
    subject = _NAMED_SUBJECT.match(invented[0]) if opening and NAMED_SUBJECT_RESTORED else None
    if subject and (pronoun := _SUBJECT_PRONOUN.match(text)):
        text = subject.group(1) + text[pronoun.end():]
    # Any other pronoun (« Son budget est … », « Elles sont ouvertes … ») read its subject in the sentence cut: what
    # it says is no longer said of anything the reader can see, and the claim checks do not resolve pronouns.
    return None if _PRONOUN_START.match(text) else text


_INNER_QUESTION = re.compile(r"\?\s+[«\"A-ZÀ-Ý]")
# A question's word order, whatever ends the sentence: a verb joined to its subject pronoun (« fait-il », « y a-t-il »,
# « compte-t-on ») or « est-ce que » in French, an auxiliary first in English ("Does it run…", "Is there…"; not « Do »,
# which also opens an imperative). Only in the first clause: « … 12 refuges, précise-t-il » reports a statement.
# Both read folded text (lower case, typographic apostrophes made plain).
_INVERTED_FR = re.compile(r"^[^,;:]*?\b\w+-(?:t-)?(?:il|elle|ils|elles|on)\b|^\s*est-ce qu")
_INVERTED_EN = re.compile(r"^\s*(?:does|did|is|are|was|were|has|have|had|can|could|will|would|should)\s+\w+")


def is_inverted_question(sentence: str) -> bool:
    """`sentence` is worded as a question though it does not end with « ? » (a question copied as the answer, its
    mark replaced by a citation: « Le club organise-t-il des courses [1]. »)."""
    text = fold(sentence)
    return bool(_INVERTED_FR.search(text) or _INVERTED_EN.search(text))


def claim_sentences(text: str) -> list[str]:
    """The claim sentences of an answer's own words (FAQ quote lines already set aside by the caller)."""
    out = []
    for line in text.splitlines():
        for sentence in split_sentences(line):
            if _strip_refs(sentence).strip(" .,;:!?…*-•"):
                out.append(sentence)
    return out


def judge_claims(text: str, passages: Sequence[str], question: Question | Asked | str = "", *,
                 org_terms: frozenset[str] = frozenset(), restates: Restates | None = None,
                 entails: Entails | None = None) -> list[ClaimVerdict]:
    """Every claim sentence of `text` judged (see `judge_claim`), the question read once for all."""
    question = asked(question, org_terms)
    verdicts = [judge_claim(s, passages, question, org_terms=org_terms, restates=restates, entails=entails)
                for s in claim_sentences(text)]
    if YES_TO_ANOTHER and len(verdicts) > 1 and verdicts[0].verdict == "supported":
        # A bare « Oui [1]. » whose next sentences give another figure than the question's: the « Oui » confirms the
        # question's (the sentence-level rule reads a « Oui » and its body in one sentence).
        opener, body = split_opener(verdicts[0].text)
        if opener == "yes" and not body.strip(" .!"):
            contradicted = yes_to_another(" ".join(claim_body(v.text) for v in verdicts[1:]), question.text)
            if contradicted:
                verdicts[0] = replace(verdicts[0], verdict="unsupported", reason="yes_no", detail=contradicted)
    return verdicts


