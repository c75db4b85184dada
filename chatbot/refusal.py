"""The abstention message: say the FAQ does not answer, list what it covers, give its contact."""

from __future__ import annotations

import re

from ingest.normalize import fold


def refusal_text(detail: str, sections: dict[int, str], contact: str, *, language: str = "fr") -> str:
    """The abstention answer, in French (or English for an English question): why, the FAQ's questions,
    and the contact found in the FAQ."""
    listing = "\n".join(f"{n}. {title}" for n, title in sorted(sections.items()))
    if language == "en":
        text = "I cannot answer this from the Groupe SOS FAQ" + (f" ({detail})." if detail else ".")
        if listing:
            text += "\nThe FAQ answers these questions:\n" + listing
        if contact:
            text += f"\nFor anything else: {contact}."
        return text
    text = "Je ne peux pas répondre à cette question à partir de la FAQ du Groupe SOS" + (
        f" : {detail}." if detail else ".")
    if listing:
        text += "\nLa FAQ répond aux questions suivantes :\n" + listing
    if contact:
        text += f"\nPour toute autre demande : {contact}."
    return text


def caveat_text(detail: str, language: str = "fr") -> str:
    """The note under an answer to a question in several parts, saying what the FAQ does not give."""
    if language == "en":
        return f"Note: part of the question is not covered by the FAQ ({detail})."
    return f"Remarque : {detail}."


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
