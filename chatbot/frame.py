"""The frame of a question: what it asks of the answer's length, form, audience and tone, around what it asks.

« Pour mon exposé de demain, peux-tu me dire en quelques mots qui dirige le club ? » asks who runs the club; its other
words say how to answer and why. Retrieval embeds the whole text, and those words pull its vector away from the
passage that answers (on the project's FAQ, a frame lowered the best passage score by 0.1 to 0.2, under the off-topic
cut: docs/quality.md, the first stop of 7 December). Retrieval and sentence ranking read the question without
its frame (`Question.search_text`); the model still gets the question as typed, since the form asked is for it to honour.
The patterns are a class of the written language (greetings, requests to be told, lengths, formats, audiences,
purposes, hypotheticals), not of any FAQ.
"""

from __future__ import annotations

import re

from ingest.normalize import STOPWORDS, tokens

# Kept for measurement: off, retrieval reads the question as typed (docs/quality.md).
FRAME_DROPPED = True
# What is left must still name something: at least this many content words, else the question is read whole.
MIN_CONTENT_WORDS = 1

_A = "['’]"
_NUMBER = r"(?:une?|deux|trois|quatre|cinq|six|sept|huit|dix|quelques|\d+)"
_AUDIENCE = (r"(?:enfants?|grand-m[èe]re|grand-p[èe]re|grands-parents|d[ée]butants?|amie?s?|coll[èe]gues?|voisine?s?|"
             r"parents|ados?|adolescente?s?|[ée]l[èe]ves?|lyc[ée]ens?|coll[ée]giens?|novices?)")
_FRAMES = [re.compile(p, re.IGNORECASE) for p in (
    # Greetings and thanks, at either end.
    r"^\s*(?:bonjour|bonsoir|salut|coucou|hello)\b(?:\s+(?:madame|monsieur|mesdames|messieurs|[àa] tous))?\s*[,.!]?",
    r"^\s*merci(?:\s+(?:beaucoup|bien))?\s*[,.!]+",
    r"\bmerci(?:\s+(?:d" + _A + r"avance|beaucoup|bien|par avance))?\s*[.!]*\s*$",
    r"\bs" + _A + r"il (?:te|vous) pla[iî]t\b",
    # Asking to be told: the request, not what it asks for.
    r"\b(?:est-ce que\s+)?(?:tu peux|tu pourrais|peux-tu|pourrais-tu|vous pouvez|vous pourriez|pouvez-vous|"
    r"pourriez-vous)\s+(?:me\s+|m" + _A + r"\s*|nous\s+)?(?:dire|indiquer|expliquer|pr[ée]ciser|rappeler|"
    r"donner)?\b",
    r"\b(?:j" + _A + r"aimerais|je voudrais|je souhaite|je souhaiterais|j" + _A + r"ai besoin de|j" + _A
    + r"aurais besoin de)\s+(?:savoir|comprendre|conna[iî]tre)\b",
    r"\bj" + _A + r"aurais besoin que (?:tu|vous) me (?:dises|disiez|donnes|donniez|expliques|expliquiez)\b",
    r"\b(?:dis|dites)-(?:moi|nous|le|la|les)\b",
    # The answer's length and form.
    r"\b(?:en|sur)\s+" + _NUMBER + r"\s+(?:seule?s?\s+|courte?s?\s+|petite?s?\s+|simples?\s+)?(?:mots?|phrases?|"
    r"lignes?|points?|paragraphes?)(?:\s+(?:simples?|courte?s?|maximum|max|seulement))?\b",
    r"\ben\s+(?:bref|gros|r[ée]sum[ée])\b|\bdans les grandes lignes\b|\bbri[èe]vement\b",
    r"\b(?:fa[çc]on|style|format|version)\s+(?:tweet|sms|post|linkedin|slogan|journalistique|enfant)\b",
    r"\bsous\s+(?:la\s+)?forme\s+d" + _A + r"?\s*(?:une?\s+)?(?:liste|tableau|tweet|puces?)(?:\s+[àa]\s+puces)?\b",
    r"\bsans\s+(?:jargon|blabla|langue de bois|d[ée]tails?)\b",
    # Who the answer is for, and what for.
    r"\bcomme\s+(?:si\s+(?:tu\s+parlais|vous\s+parliez)\s+)?[àa]\s+(?:une?|des|mon|ma|mes|ton|ta|tes)\s+" + _AUDIENCE
    + r"(?:\s+de\s+\d+\s+ans)?\b",
    r"\b[àa]\s+(?:mon|ma|mes|ton|ta|tes|votre|vos)\s+" + _AUDIENCE + r"(?:\s+de\s+\d+\s+ans)?\b",
    r"\b(?:c" + _A + r"est\s+)?pour\s+(?:mon|ma|mes|un|une|notre|nos)\s+(?:expos[ée]|pr[ée]sentation|devoir|m[ée]moire|"
    r"cours|dossier|th[èe]se|oral|rapport|newsletter)(?:\s+(?:powerpoint|de\s+demain|scolaire|de\s+(?:coll[èe]ge|lyc[ée]e|"
    r"classe|fac)|au\s+(?:lyc[ée]e|coll[èe]ge)))*\b",
    r"\bpour\s+(?:mon|ma|mes|ton|ta|tes|votre|vos)\s+(?:fils|filles?|[ée]l[èe]ves|[ée]tudiants?)(?:\s+de\s+\d+\s+ans)?\b",
    # A hypothetical around the question: « Imagine que tu expliques … : que dirais-tu ? ».
    r"\bimagine[sz]?\s+que\s+(?:tu|vous)(?=\s+(?:expliques|expliquez|pr[ée]sentes|pr[ée]sentez|racontes|racontez|"
    r"d[ée]cris|d[ée]crivez|parles|parlez|r[ée]sumes|r[ée]sumez)\b)",
    r"\bque\s+(?:lui\s+|leur\s+|me\s+|nous\s+)?(?:dirais-tu|diriez-vous|r[ée]pondrais-tu|r[ée]pondriez-vous)\b",
    r"\bsi\s+(?:tu|vous)\s+(?:devais|deviez)\s+(?:convaincre|expliquer|pr[ée]senter|r[ée]sumer|d[ée]crire)\b",
)]
_SPACES = re.compile(r"\s+")
_LOOSE_START = re.compile(r"^(?:[\s,;:.!-]|\b(?:et|mais)\b)+", re.IGNORECASE)
_LOOSE_END = re.compile(r"[\s,;:-]+([?!]?)$")
_EMPTY_CLAUSE = re.compile(r"([,;:])(?:\s*[,;:])+")


def without_frame(text: str) -> str:
    """`text` without its task frame (see the module docstring); `text` itself when nothing is framed or fewer than
    MIN_CONTENT_WORDS content words would be left."""
    if not FRAME_DROPPED:
        return text
    out = text
    for pattern in _FRAMES:
        out = pattern.sub(" ", out)
    if out == text:
        return text
    out = _EMPTY_CLAUSE.sub(r"\1", _SPACES.sub(" ", out))
    out = re.sub(r"\s+([,;.])", r"\1", out)
    # What the frame leaves dangling goes; a final question mark keeps its French space.
    out = _LOOSE_END.sub(lambda m: f" {m.group(1)}" if m.group(1) else "", _LOOSE_START.sub("", out)).strip()
    if sum(w not in STOPWORDS for w in tokens(out)) < MIN_CONTENT_WORDS:
        return text
    return out
