"""The organisation behind a FAQ: its name and how French refers to it, its contact details, its press signature.

Everything is read from the FAQ itself: the name from its title ("10 QUESTIONS SUR LE CLUB AZUR" -> "Club
Azur", written as the text writes it), the article from how the text refers to it ("le Club Azur", "du Club
Azur" -> "le"), an acronym from "Name (ACR)", the contact details from the text outside the questions (the
footer). A small TOML file beside the FAQ (`faq.profile.toml` for `faq.md`) overrides any of them:

    name = "Club Azur"
    article = "le"            # le, la, l', les, or "" for none ("Emmaüs France")
    short_name = "Azur"
    signature = "Le service de presse du Club Azur"
    faq_url = "https://example.org/faq"
    [contact]
    address = "12 rue des Lilas 69003 Lyon"
    phone = "04 72 00 00 00"
    email = "info@example.org"
    site = "example.org"
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from ingest.chunker import Chunk
from ingest.errors import InputError
from ingest.normalize import fold, stem, tokens

PROFILE_SUFFIX = ".profile.toml"
ARTICLES = ("le", "la", "l'", "les", "")
# What a French FAQ title says around the organisation's name: "10 questions sur le X", "FAQ du X", "Foire aux
# questions — X", "X : questions fréquentes", "Vos questions à la X".
_FAQ_WORDS = (r"(?:\d+\s+)?(?:(?:les|vos|nos)\s+)?(?:foire\s+aux\s+questions|questions?(?:[\s-]+r[ée]ponses?)?"
              r"(?:\s+(?:fr[ée]quentes?|fr[ée]quemment\s+pos[ée]es))?|faq)")
_TITLE_BEFORE = re.compile(rf"^\s*{_FAQ_WORDS}\s*(?:[-—–:|·]\s*|\s+(?:sur|à\s+propos\s+d[eu']|concernant|pour|"
                           rf"de|du|des|d'|à|au|aux)\s*)(.+?)\s*$", re.IGNORECASE)
_TITLE_AFTER = re.compile(rf"^\s*(.+?)\s*(?:[-—–:|·]\s*|\s+)(?:{_FAQ_WORDS})\s*[?!.]*\s*$", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:(le|la|les)\s+|(l['’]))(?=\S)", re.IGNORECASE)
# The preposition of `_TITLE_BEFORE` carries the article when it is contracted: "FAQ du X" -> le.
_CONTRACTED = {"du": "le", "au": "le", "des": "les", "aux": "les"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An international number has at least 8 digits after its « + » and is not grouped in thousands: « +60 000 euros »
# and « +15 000 000 » are signed figures (a result), not a country code followed by digits.
PHONE = re.compile(r"(?<![\d+])(?:(?:\+33\s?|0)[1-9](?:[\s.]?\d{2}){4}|\+(?=(?:[\s.]?\d){8})"
                   r"(?!\d{1,3}(?:[\s\u00a0\u202f]\d{3})+(?![\s.]?\d))\d{2,3}(?:[\s.]?\d{1,4}){3,5})(?!\d)")
_URL = re.compile(r"\bhttps?://[^\s)\]>»\"']+|\b(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:org|fr|com|net|"
                  r"eu|info|coop|be|ch|ca|lu|io|asso\.fr)\b(?:/[^\s)\]>»\"']*)?", re.IGNORECASE)
# A French postal code and town ("75011 Paris", "69001 LYON CEDEX"), or a post-office box.
_POSTCODE = re.compile(r"\b(?:\d{5}\s+[A-ZÀ-Ý][\wÀ-ÿ' -]+|\d{2}\s\d{3}\s+[A-ZÀ-Ý][\wÀ-ÿ' -]+|(?:BP|CS)\s*\d+)")
_STREET_TYPES = (r"(?:rue|avenue|av\.|boulevard|bd|place|quai|chemin|allée|impasse|cours|route|square|passage|voie"
                 r"|rond-point)")
_STREET = re.compile(r"^\s*\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:[a-zà-ÿ]+\s+){0,2}" + _STREET_TYPES + r"\b", re.IGNORECASE)
# The words French and English name each kind of contact detail with ("any": contact in general). Words of the
# languages, not of a FAQ: the verifier lets them describe a bare detail line, the question reader hears a request
# for a detail in them.
CONTACT_WORDS = {
    "any": "contact contacter joindre coordonnées écrire envoyer adresser utiliser contact reach write get touch",
    "phone": "téléphone téléphoner numéro appeler tel standard phone telephone number call",
    "email": "mail e-mail email courriel adresse électronique message address",
    "site": "site web internet ligne page website online visit visiter",
    "address": "adresse postale siège social situé située trouve courrier locaux bureaux ville address head office "
               "headquarters located based city post mail",
}
_CONTACT_WORD_STEMS = frozenset(stem(w) for words in CONTACT_WORDS.values() for w in tokens(fold(words)))
# Asking for a kind of detail (on folded text): narrower than the words above, which describe a detail already given.
_ASKS_CONTACT = {
    "any": re.compile(r"\b(?:contacter|contactez|contacte|joindre|coordonnees|get in touch|contact|reach (?:them|you|it)"
                      r"|ecrire (?:a|au|aux)|leur ecrire|lui ecrire|write to)\b"),
    "phone": re.compile(r"\b(?:telephone|telephoner|appeler|numero de tel\w*|phone|call them"
                        r"|numero\b.{0,30}\bcompos\w*|compos\w* (?:le|quel|ce) numero|dial"
                        # the number one calls to talk to someone: « quel numéro pour parler à … », "what number do I call"
                        r"|numero (?:\w+ ){0,2}pour (?:parler|discuter|echanger)|numero a (?:appeler|composer)"
                        r"|number (?!of\b)(?:\w+ ){0,4}call|call (?:\w+ ){0,3}number"  # not « the number of people who call »
                        # a mobile's number (« portable » alone may be a laptop)
                        r"|numero (?:de )?(?:portable|mobile)|(?:mobile|cell) (?:number|phone)|cellphone)\b"),
    "email": re.compile(r"\b(?:e-?mail|mail|courriel|adresse electronique)\b"),
    "site": re.compile(r"\b(?:site (?:web|internet|officiel)|website|(?:leur|son|votre|le|un) site)\b"),
    "address": re.compile(r"\b(?:(?<![sn]')adresse(?! (?:e-?mail|electronique|mail))|siege(?! au)|courrier|postal|address"
                          r"|head ?office|headquarter\w*|ou se (?:trouve|situe)"
                          # where the organisation is, in other words (not « implanté », its presence in countries)
                          r"|ou (?:est|sont)(?: \w+){0,3} (?:situe|base|installe|localise)e?s?"
                          r"|(?:situe|base|installe|localise)e?s? ou|ou sont (?:ses|leurs|les) (?:bureaux|locaux)"
                          r"|where (?:is|are) \w+(?: \w+){0,3} (?:based|located|situated))\b"),
}
# A street with the first word of its name ("12 rue des Lilas"), a postal code with its town ("69003 Lyon"): how an
# address is compared, so "12 rue Lyon" or "69003 Lilas" is not the address "12 rue des Lilas 69003 Lyon".
_STREET_NAME = re.compile(r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+" + _STREET_TYPES
                          + r"\s+(?:(?:de la|de l'|du|des|de|d')\s*)?[\wÀ-ÿ-]+", re.IGNORECASE)
_TOWN = re.compile(r"\b(\d{5}\s+[A-ZÀ-Ý][\wÀ-ÿ-]+)")
_LABEL = re.compile(r"^[A-Za-zÀ-ÿ' .]{2,30}\s?[:—–]\s*(?=\d)")
_ACRONYM = r"\(\s*([A-ZÀ-Ý][A-ZÀ-Ý0-9&.-]{1,11})\s*\)"
_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœæh]", re.IGNORECASE)
GENERIC_NAME = "organisation"


@dataclass(frozen=True)
class Contact:
    """How to reach the organisation, as its FAQ gives it."""

    address: str = ""
    phone: str = ""
    email: str = ""
    site: str = ""

    def summary(self) -> str:
        """E-mail and phone, the way a refusal gives them ("info@example.org, 04 72 00 00 00")."""
        return ", ".join(p for p in (self.email, self.phone) if p)

    def lines(self) -> list[str]:
        """Every known detail, one a line (address, phone, e-mail, site)."""
        return [p for p in (self.address, self.phone, self.email, self.site) if p]


@dataclass(frozen=True)
class Profile:
    """The organisation a FAQ speaks for, as prompts, refusals, drafts and pages name it."""

    name: str = ""
    article: str = ""
    short_name: str = ""
    contact: Contact = field(default_factory=Contact)
    signature: str = ""
    faq_url: str = ""
    # (field, where its value came from): "title", "text", "footer", "profile file <name>", "default".
    origins: tuple[tuple[str, str], ...] = ()

    @property
    def the_name(self) -> str:
        """The name with its article, as a sentence says it: "le Club Azur", "l'Association X", "Emmaüs"."""
        if not self.name:
            return f"l'{GENERIC_NAME}"
        if not self.article:
            return self.name
        return f"{self.article}{self.name}" if self.article == "l'" else f"{self.article} {self.name}"

    @property
    def of_name(self) -> str:
        """"de" + the name, contracted: "du Club Azur", "de la Fondation X", "des Restos", "d'Emmaüs"."""
        if not self.name:
            return f"de l'{GENERIC_NAME}"
        if self.article == "le":
            return f"du {self.name}"
        if self.article == "les":
            return f"des {self.name}"
        if self.article == "la":
            return f"de la {self.name}"
        if self.article == "l'":
            return f"de l'{self.name}"
        return f"d'{self.name}" if _VOWEL.match(self.name) and not self.name.lower().startswith("h") \
            else f"de {self.name}"

    @property
    def about_name(self) -> str:
        """"sur" + the name: "sur le Club Azur" (page titles, placeholders)."""
        return f"sur {self.the_name}"

    @property
    def label(self) -> str:
        """The name alone, or "l'organisation" when the FAQ does not say it (English text, file titles)."""
        return self.name or GENERIC_NAME

    @property
    def press_signature(self) -> str:
        """The closing line of a press draft ("Le service de presse du Club Azur" unless the profile says)."""
        return self.signature or f"Le service de presse {self.of_name}"

    @property
    def name_terms(self) -> frozenset[str]:
        """Folded words of the name and the short name ("club", "azur"): words every answer about the
        organisation holds, which prove nothing about a question or an answer."""
        words = {w for n in (self.name, self.short_name) for w in tokens(n) if len(w) > 1}
        return frozenset(words)

    @property
    def name_forms(self) -> frozenset[str]:
        """The organisation's own names in folded form ("club azur", "azur", "club"): not names to check or
        to swap, but the speaker itself."""
        forms = {fold(n).strip() for n in (self.name, self.short_name) if n.strip()}
        return frozenset(forms | set(self.name_terms))

    def origin(self, key: str) -> str:
        """Where a field's value came from (empty when unknown)."""
        return dict(self.origins).get(key, "")

    def to_dict(self) -> dict[str, object]:
        """JSON form (`faqbot ingest --json`, the index manifest)."""
        return {"name": self.name, "article": self.article, "short_name": self.short_name,
                "signature": self.press_signature, "faq_url": self.faq_url,
                "contact": {f.name: getattr(self.contact, f.name) for f in fields(Contact)},
                "origins": dict(self.origins)}


def profile_path(faq_path: Path) -> Path:
    """The profile file that goes with a FAQ: `faq_x.profile.toml` beside `faq_x.md`."""
    faq_path = Path(faq_path)
    return faq_path.with_name(faq_path.stem + PROFILE_SUFFIX)


def read_profile(title: str, chunks: Sequence[Chunk], faq_path: Path | None = None, *,
                 has_title: bool = True) -> Profile:
    """The organisation's profile, read from the FAQ's title and text, then overridden by its profile file."""
    text = "\n".join(c.text for c in chunks) + "\n" + "\n".join(c.title for c in chunks)
    origins: dict[str, str] = {}
    name, article = _name_from_title(title) if has_title else ("", None)
    if name:
        origins["name"] = "title"
    else:
        name = _frequent_name(text)
        origins["name"] = "text" if name else "default"
    if name:
        name = _written_form(name, text)
        if article is None:
            article = _article_in_text(name, text)
            origins["article"] = "text"
        else:
            origins["article"] = "title"
        if article in ("le", "la") and _VOWEL.match(name) and not name.lower().startswith("h"):
            article = "l'"
    short = _acronym(name, text) if name else ""
    if short:
        origins["short_name"] = "text"
    contact = find_contact_details(chunks)
    for key in ("address", "phone", "email", "site"):
        if getattr(contact, key):
            origins[f"contact.{key}"] = "footer"
    profile = Profile(name=name, article=article or "", short_name=short, contact=contact,
                      origins=tuple(origins.items()))
    if faq_path is not None and profile_path(faq_path).is_file():
        profile = apply_profile_file(profile, profile_path(faq_path))
    return profile


_KEYS = {"name", "article", "short_name", "signature", "faq_url", "contact"}
_CONTACT_KEYS = {f.name for f in fields(Contact)}


def apply_profile_file(profile: Profile, path: Path) -> Profile:
    """`profile` with the values the TOML file at `path` sets; InputError naming the file and the fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"profile file {path} cannot be read ({exc}): fix or delete it") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"profile file {path} is not valid TOML ({exc}): fix or delete it") from None
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(f"profile file {path}: unknown key(s) {', '.join(sorted(unknown))}; valid keys: "
                         f"{', '.join(sorted(_KEYS))}")
    origin = f"profile file {path.name}"
    origins = dict(profile.origins)
    values: dict[str, object] = {}
    for key in _KEYS - {"contact"}:
        if key in data:
            if not isinstance(data[key], str):
                raise InputError(f"profile file {path}: {key} must be a string (in quotes)")
            values[key] = data[key].strip()
            origins[key] = origin
    if "article" in values:
        article = str(values["article"]).lower().replace("’", "'")
        if article not in ARTICLES:
            raise InputError(f"profile file {path}: article must be one of le, la, l', les or \"\" (none), "
                             f"not {values['article']!r}")
        values["article"] = article
    contact = profile.contact
    if "contact" in data:
        if not isinstance(data["contact"], dict):
            raise InputError(f"profile file {path}: contact must be a table ([contact] with address, phone, "
                             "email, site)")
        bad = set(data["contact"]) - _CONTACT_KEYS
        if bad:
            raise InputError(f"profile file {path}: unknown contact key(s) {', '.join(sorted(bad))}; valid keys: "
                             f"{', '.join(sorted(_CONTACT_KEYS))}")
        for key, value in data["contact"].items():
            if not isinstance(value, str):
                raise InputError(f"profile file {path}: contact.{key} must be a string (in quotes)")
            origins[f"contact.{key}"] = origin
        contact = replace(contact, **{k: v.strip() for k, v in data["contact"].items()})
    return replace(profile, contact=contact, origins=tuple(origins.items()), **values)  # type: ignore[arg-type]


def _name_from_title(title: str) -> tuple[str, str | None]:
    """The name in a FAQ title and the article the title gives it (None when the title gives none)."""
    title = " ".join(title.replace("’", "'").split()).strip(" .!")
    article: str | None = None
    match = _TITLE_BEFORE.match(title)
    if match:
        name = match.group(1)
        preposition = re.search(r"\s(du|au|des|aux)\s*$", title[: match.start(1)], re.IGNORECASE)
        if preposition:
            article = _CONTRACTED[preposition.group(1).lower()]
    else:
        match = _TITLE_AFTER.match(title)
        if not match:
            return "", None
        name = match.group(1)
    lead = _LEADING_ARTICLE.match(name)
    if lead:
        article = (lead.group(1) or "l'").lower()
        name = name[lead.end():]
    name = name.strip(" \"«»").strip()
    return (name, article) if len(name) >= 2 else ("", None)


def _written_form(name: str, text: str) -> str:
    """The name as the text writes it most often ("CLUB AZUR" in a title -> "Club Azur")."""
    pattern = re.compile(r"(?<![\w])" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?![\w])",
                         re.IGNORECASE)
    forms = Counter(" ".join(m.group(0).split()) for m in pattern.finditer(text))
    forms = Counter({f: n for f, n in forms.items() if not f.islower()})
    if forms:
        return forms.most_common(1)[0][0]
    if name.isupper() and len(name.split()) > 1:
        return " ".join(w if len(w) <= 4 else w.capitalize() for w in name.split())
    return name


def _article_in_text(name: str, text: str) -> str:
    """The article the text puts before the name most often (none when it mostly has none)."""
    pattern = re.compile(r"(?:\b(de\s+la|à\s+la|de\s+l['’]|à\s+l['’]|le|la|les|du|des|au|aux|l['’])\s*)?"
                         + r"\s+".join(re.escape(w) for w in name.split()) + r"(?![\w])", re.IGNORECASE)
    votes: Counter[str] = Counter()
    for match in pattern.finditer(text):
        word = " ".join((match.group(1) or "").lower().replace("’", "'").split())
        votes[{"le": "le", "du": "le", "au": "le", "la": "la", "de la": "la", "à la": "la", "les": "les",
               "des": "les", "aux": "les", "l'": "l'", "de l'": "l'", "à l'": "l'"}.get(word, "")] += 1
    return votes.most_common(1)[0][0] if votes else ""


_NAME_RUN = re.compile(r"\b[A-ZÀ-Ý][\wÀ-ÿ'-]*(?:\s+(?:de\s+la|de\s+l'|des|du|de|d'|et)?\s*[A-ZÀ-Ý][\wÀ-ÿ'-]*)+")


def _frequent_name(text: str) -> str:
    """The multi-word capitalised name the text repeats most (at least three times), for FAQs without a title."""
    counts = Counter(" ".join(m.group(0).split()) for m in _NAME_RUN.finditer(text))
    best = [(n, name) for name, n in counts.items() if n >= 3 and len(name.split()) >= 2]
    return max(best)[1] if best else ""


def _acronym(name: str, text: str) -> str:
    """An acronym the text gives the name in parentheses ("Association pour l'Habitat (APH)")."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in name.split()) + r"\s*" + _ACRONYM, re.IGNORECASE)
    match = pattern.search(text)
    return match.group(1).rstrip(".") if match else ""


def find_contact_details(chunks: Sequence[Chunk]) -> Contact:
    """Address, phone, e-mail and site, preferring the text outside the numbered questions (the footer)."""
    outside = [c.text for c in chunks if c.section is None]
    everywhere = [c.text for c in chunks]
    email = _first(EMAIL, outside) or _first(EMAIL, everywhere)
    phone = _first(PHONE, outside) or _first(PHONE, everywhere)
    address = _address(outside) or _address(everywhere)
    return Contact(address=address, phone=" ".join(phone.split()), email=email, site=_site(outside or everywhere,
                                                                                            email))


def contact_kinds(text: str) -> frozenset[str]:
    """The kinds of contact detail `text` holds: "phone", "email", "site", "address" (none for prose)."""
    kinds = set()
    if PHONE.search(text):
        kinds.add("phone")
    if EMAIL.search(text):
        kinds.add("email")
    if _URL.search(EMAIL.sub(" ", text)):
        kinds.add("site")
    if _POSTCODE.search(text) or _STREET.search(text):
        kinds.add("address")
    return frozenset(kinds)


# A website or an office named as the owner or the setting of another thing the question asks about: « la couleur
# du site », « un parking au siège », « Qui a conçu le site ? », « Is the website available in Spanish? », « How big
# is the head office? ». The question asks about that thing, not for the detail; a word that names a detail may own
# it (« l'adresse du site », « les coordonnées du siège »), and going somewhere asks where it is (« venir au siège »).
_OWNED_ONLY = ("site", "address")
_DETAIL_NOUN = r"(?:adresse|adresses|coordonnees|numero|telephone|url|lien|mail|e-mail|courriel|address|number|link)"
_OWNER = re.compile(rf"(?:\b(?!{_DETAIL_NOUN}\b)[a-z]{{3,}} (?:du|de la|de l'|de son|de sa|de leur|de votre|of the"
                    rf"|of its|of their)|(?<!venir )(?<!aller )(?<!rendre )(?<!passer )\b(?:au|dans le|devant le|pres du"
                    rf"|pour (?:le|la|l'|son|sa|ses|leurs?)|at the|in the|inside the|near the|for (?:the|its|their)))"
                    rf"(?: [\w'-]+){{0,3}} ?$")
# A yes/no question whose subject is the website or the office (« Le siège est-il accessible… ? », « Is the website
# in Spanish? »): the definite article or a possessive opens the question (English: up to three words between).
_SUBJECT = re.compile(r"^(?:est-ce qu(?:e |'))?(?:le |la |l'|les |son |sa |leur |votre )$"
                      r"|^(?:is|are|was|does|do|can|will) (?:the |its |their )(?:[\w'-]+ ){0,3}$")
# A property of it asked for: « De quelle couleur est le site », « Quelle taille fait le siège », « What colour is
# the website », « How big is the head office ».
_PROPERTY = re.compile(r"\b(?:(?:de |en )?quel(?:le)?s? [a-z]+ (?:est|sont|fait|a) |(?:what|which) (?!address|number"
                       r"|url|link|e-?mail|phone)[a-z]+ (?:is|are|does) |how [a-z]+ (?:is|are) )(?:[\w'-]+ ){0,4}$")
_SITE_ADDRESS = re.compile(r"\badresses? (?:du|de son|de leur|de votre|de ce) site\b|\baddress of (?:the|its|their) "
                           r"(?:[\w'-]+ ){0,3}website\b")
_WHO = re.compile(r"^\W*(?:qui|who)\b")


def _about_it(folded: str, start: int, polar: bool) -> bool:
    """True when the detail word at `start` names the website or office as what something else is about."""
    # The detail's own pattern may hold its article (« le site »): it belongs to what comes before.
    article = re.match(r"(?:le|leur|son|votre|un) ", folded[start:])
    before = folded[:start] + (article.group(0) if article else "")
    return bool(_OWNER.search(before) or (polar and _SUBJECT.search(before)) or _PROPERTY.search(before))


# A detail word in a clause of time sets the scene of another question (« What happens when someone phones them at
# night? », « Qui répond quand on écrit au groupe ? »): no request for the detail.
_WHEN = re.compile(r"\b(?:when|whenever|quand|lorsqu'?\w*)\s+(?:[\w'-]+\s+){0,3}$")


def contact_asked(folded: str, *, polar: bool = False) -> frozenset[str]:
    """The kinds of contact detail a question (folded) asks for: "any", "phone", "email", "site", "address";
    `polar`: the question is a yes/no question (its subject may be the website or the office itself)."""
    kinds = set()
    for kind, pattern in _ASKS_CONTACT.items():
        starts = [m.start() for m in pattern.finditer(folded) if not _WHEN.search(folded[: m.start()])]
        if kind in _OWNED_ONLY and starts and (("any" not in kinds and _WHO.search(folded))
                                               or all(_about_it(folded, s, polar) for s in starts)):
            continue
        if starts:
            kinds.add(kind)
    if "site" in kinds and _SITE_ADDRESS.search(folded):
        kinds.discard("address")  # « l'adresse du site » is the site's: its URL, not a street
    return frozenset(kinds)


def names_contact(text: str) -> bool:
    """Whether `text` uses any word of contact details (« tel », « mail », « rue », « siège »…), asked or not: broader
    than `contact_asked`, for what a bare detail may answer (« num de tel stp », « dans quelle rue… »)."""
    folded = fold(text)
    words = {stem(w) for w in tokens(folded)}
    return bool(words & _CONTACT_WORD_STEMS) or bool(re.search(r"\b" + _STREET_TYPES + r"\b", folded))


def without_contact_details(text: str) -> str:
    """`text` with its phone numbers, e-mail addresses, sites and street addresses blanked out."""
    text = EMAIL.sub(" ", text)
    for pattern in (PHONE, _URL, _STREET_NAME, _POSTCODE):
        text = pattern.sub(" ", text)
    return text


def contact_strings(text: str) -> frozenset[str]:
    """The phone numbers (digits only), e-mail addresses and sites `text` gives, in a form to compare."""
    phones = {re.sub(r"\D", "", m.group(0)) for m in PHONE.finditer(text)}
    emails = {m.group(0).lower() for m in EMAIL.finditer(text)}
    sites = {re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0).lower()).rstrip("/.")
             for m in _URL.finditer(EMAIL.sub(" ", text))}
    places = {" ".join(fold(m.group(0)).split()) for m in _STREET_NAME.finditer(text)}
    places |= {" ".join(fold(m.group(1)).split()) for m in _TOWN.finditer(text)}
    return frozenset(phones | emails | sites | places)


def _first(pattern: re.Pattern[str], texts: Sequence[str]) -> str:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return ""


def _site(texts: Sequence[str], email: str) -> str:
    """The web site: the one on the e-mail's domain if any, else the first address that is not an e-mail."""
    found = []
    for text in texts:
        without_mail = EMAIL.sub(" ", text)
        found += [m.group(0).rstrip(".,;") for m in _URL.finditer(without_mail)]
    domain = email.rsplit("@", 1)[-1].lower() if email else ""
    for site in found:
        if domain and domain in site.lower():
            return site
    return found[0] if found else ""


def _address(texts: Sequence[str]) -> str:
    """The postal address: the line with a postal code, with the street line before it when on its own."""
    for text in texts:
        # "Adresse : 12 rue …", "Siège — 12 rue …": the label is not part of the address.
        lines = [_LABEL.sub("", line.strip().lstrip("-•* ").strip()) for line in text.splitlines()]
        for i, line in enumerate(lines):
            match = _POSTCODE.search(line)
            if not match:
                continue
            address = EMAIL.sub("", PHONE.sub("", line)).strip(" ,;—–-")
            if not _STREET.search(address) and i > 0 and _STREET.search(lines[i - 1]):
                address = f"{lines[i - 1].rstrip(',')}, {address}"
            return " ".join(address.split())
    return ""
