"""The abstention message: say the FAQ does not answer, list what it covers (or, for a long FAQ, the questions
closest to the one asked), give the organisation's contact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chatbot.reasons import reason_in
from ingest.normalize import fold
from ingest.profile import Profile

# A FAQ with at most this many questions is listed whole in a refusal; a longer one gets its CLOSEST questions
# to the one asked (by retrieval score) and where to find the rest: a 200-line refusal helps nobody.
MAX_LISTED = 15
CLOSEST = 5


def refusal_text(detail: str, sections: dict[int, str], contact: str, *, language: str = "fr",
                 profile: Profile | None = None, closest: Sequence[int | None] = ()) -> str:
    """The abstention answer, in French (or English for an English question): why, the FAQ's questions (the
    closest ones to the question for a long FAQ, `closest` being sections best first), and the contact."""
    profile = profile or Profile()
    listed, shortened = _listed(sections, closest)
    listing = "\n".join(f"{n}. {sections[n]}" for n in listed)
    if language == "en":
        faq = f"the {profile.name} FAQ" if profile.name else "this FAQ"
        text = f"I cannot answer this from {faq}" + (f" ({reason_in(detail, 'en')})." if detail else ".")
        if listing and shortened:
            text += (f"\nThe closest of the FAQ's {len(sections)} questions:\n{listing}\n"
                     f"({_pointer(profile, 'en')})")
        elif listing:
            text += "\nThe FAQ answers these questions:\n" + listing
        if contact:
            text += f"\nFor anything else: {contact}."
        return text
    text = f"Je ne peux pas répondre à cette question à partir de la FAQ {profile.of_name}" + (
        f" : {detail}." if detail else ".")
    if listing and shortened:
        text += (f"\nLes questions de la FAQ les plus proches de la vôtre ({len(listed)} sur {_number(len(sections))}) :"
                 f"\n{listing}\n({_pointer(profile, 'fr')})")
    elif listing:
        text += "\nLa FAQ répond aux questions suivantes :\n" + listing
    if contact:
        text += f"\nPour toute autre demande : {contact}."
    return text


def caveat_text(detail: str, language: str = "fr") -> str:
    """The note under an answer to a question in several parts, saying what the FAQ does not give."""
    if language == "en":
        return f"Note: part of the question is not covered by the FAQ ({reason_in(detail, 'en')})."
    return f"Remarque : {detail}."


def _listed(sections: dict[int, str], closest: Sequence[int | None]) -> tuple[list[int], bool]:
    """The question numbers to list, and whether that is a shortened list."""
    if len(sections) <= MAX_LISTED:
        return sorted(sections), False
    chosen: list[int] = []
    for number in closest:
        if number is not None and number in sections and number not in chosen:
            chosen.append(number)
        if len(chosen) == CLOSEST:
            break
    return (chosen or sorted(sections)[:CLOSEST]), True


def _number(n: int) -> str:
    """A French whole number with a no-break space every three digits (12 500)."""
    return f"{n:,}".replace(",", "\u202f")


def _pointer(profile: Profile, language: str) -> str:
    """Where the full list of questions is: the FAQ's page when the profile knows it, else the FAQ itself."""
    if language == "en":
        return f"full list: {profile.faq_url}" if profile.faq_url else "the full list is in the FAQ document"
    if profile.faq_url:
        return f"liste complète : {profile.faq_url}"
    return f"la liste complète figure dans la FAQ {profile.of_name}"


def is_refusal_phrase(answer: str) -> bool:
    """True when an LLM answer says the sources do not contain the answer (the model's own abstention)."""
    text = fold(answer)
    return bool(re.search(
        r"(?:faq|extraits?|sources?|passages?|texte|documents?|informations? fournies)\b[^.]{0,60}\bne "
        r"(?:contien|mentionn|precis|donn|fourni|indiqu|parl|permet|dit|specifi|comport|trait|couvr|abord)"
        r"|\baucune (?:information|mention|indication|donnee)\b|\bpas d'information|\bje ne (?:sais|peux) pas\b"
        r"|\bn'est pas (?:mentionn|precis|indiqu|specifi|disponible)|\bne sont pas (?:mentionn|precis|indiqu)"
        r"|\bnot (?:mentioned|provided|specified|stated|available)\b|\bno information\b"
        r"|\bdoes not (?:mention|say|provide|specify|contain)\b|\bi (?:do not|don't|cannot|can't) know\b",
        text,
    ))
