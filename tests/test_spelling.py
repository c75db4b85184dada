"""A misspelt word of a French question is read as the FAQ word it stands for (chatbot/spelling.py)."""

from __future__ import annotations

import pytest

import chatbot.spelling as spelling
from chatbot.language import lexicon_of
from chatbot.question import parse_question
from chatbot.spelling import corrected, edit_distance

TEXTS = [
    "Les Amis du Rail entretiennent des locomotives anciennes et gèrent des refuges en montagne.",
    "Le club est présidé par Marie Dupont. Ses sociétaires ne reçoivent aucune ristourne.",
    "Les critiques du club portent sur ses tarifs.",
]
LEXICON = lexicon_of(TEXTS, ["Amis", "Rail"], headings=["Le club fait-il du mécénat ?"])


@pytest.mark.parametrize(("typed", "meant"), [
    ("les amis du rail entretienent des locomotivs ?", "les amis du rail entretiennent des locomotives ?"),
    ("le club verse des ristournes a ses societaiers ?", "le club verse des ristournes a ses societaires ?"),
    ("qui est dupnot", "qui est dupont"),                              # a name typed in lower case
    ("Locomotivs anciennes ?", "Locomotives anciennes ?"),              # the first word keeps its capital
    ("le club fait du mecennat ?", "le club fait du mecenat ?"),        # a word of the FAQ's headings only
])
def test_a_misspelt_word_is_read_as_the_faq_word(typed: str, meant: str) -> None:
    assert corrected(typed, LEXICON) == meant


@pytest.mark.parametrize("text", [
    "Le club gère-t-il des cliniques ?",        # a French word the FAQ does not use: not made « critiques »
    "Qui est Jean Dumont ?",                    # a name inside the sentence is someone else's, kept as typed
    "¿Cuántos refugios tiene el club en países?",  # letters French never writes: another language
    "le club a des velos ?",                    # too short to tell a typo from another word
])
def test_words_that_are_no_typo_of_the_faq_are_kept(text: str) -> None:
    assert corrected(text, LEXICON) == text


def test_two_faq_words_equally_close_leave_the_word_as_typed() -> None:
    lexicon = lexicon_of(["Le club loue des chalets et des chapelets."])
    assert corrected("le club a des chaplets ?", lexicon) == "le club a des chaplets ?"  # chalets? chapelets?
    assert corrected("le club a des challetts ?", lexicon) == "le club a des chalets ?"


def test_the_question_is_read_corrected_and_shown_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    question = parse_question("les amis du rail entretienent des locomotivs ?", lexicon=LEXICON)
    assert "locomotives" in question.search_text and "entretiennent" in question.text
    assert question.typed == "les amis du rail entretienent des locomotivs ?"
    english = parse_question("Does the club maintain old locomotivs?", lexicon=LEXICON)
    assert "locomotivs" in english.text  # an English question is not read against the French FAQ's words
    monkeypatch.setattr(spelling, "SPELLING", False)
    assert "locomotivs" in parse_question("les amis du rail entretienent des locomotivs ?", lexicon=LEXICON).text


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("locomotive", "locomotvie", 1), ("entretiennent", "entretienen", 2), ("valeur", "valleur", 1), ("refuge", "refgue", 1),
    ("refuge", "refuge", 0),
    ("refuge", "montagne", 3),  # past the limit: the limit plus one
])
def test_edit_distance_counts_letters_added_dropped_replaced_or_swapped(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 2) == distance
