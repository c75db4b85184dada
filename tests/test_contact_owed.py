"""A question asking for the organisation's phone number or e-mail is answered by one, not by a true sentence on the
topic its other words named."""

from __future__ import annotations

import pytest

from chatbot import verify
from chatbot.verify import check_answers_question
from ingest.normalize import fold
from ingest.profile import contact_asked

PROSE = "Le Club Azur organise des randonnées chaque dimanche [1]."


@pytest.mark.parametrize("question", [
    "Quel numéro composer pour parler au club ?",
    "Quel numéro pour parler à quelqu'un des finances du club ?",
    "What number should I call to ask the club about its politics?",
    "À quelle adresse mail écrire au club au sujet de ses valeurs ?",
])
def test_prose_without_the_detail_does_not_answer(question: str) -> None:
    check = check_answers_question(PROSE, question)
    assert not check.passed
    assert "where the question asks for one" in check.unsupported[0]


def test_the_detail_answers() -> None:
    assert check_answers_question("Le standard : 04 72 00 00 00 [1].", "Quel numéro composer pour parler au club ?").passed
    assert check_answers_question("contact@club-azur.org [1]", "Quel mail pour écrire au club ?").passed


def test_a_yes_no_question_on_the_detail_or_another_persons_detail_is_not_owed_one() -> None:
    assert check_answers_question("Les appels sont gratuits [1].", "Les appels au numéro du club sont-ils gratuits ?").passed
    assert check_answers_question("Le club ne donne que son standard [1].",
                                  "Quel est le numéro de portable de la présidente du club ?").passed


def test_without_the_rule_the_prose_passes(monkeypatch) -> None:
    monkeypatch.setattr(verify, "CONTACT_OWED", False)
    assert check_answers_question(PROSE, "Quel numéro composer pour parler au club ?").passed


@pytest.mark.parametrize("question, asked", [
    ("Quel numéro pour parler à quelqu'un du club ?", {"phone"}),
    ("What number do I call to reach the club?", {"phone"}),
    ("Quel est le numéro de la question sur les valeurs ?", set()),
    ("How many people call the club every day?", set()),
    ("What is the number of people who call the club every day?", set()),
])
def test_the_number_one_calls_is_a_phone_number(question: str, asked: set[str]) -> None:
    assert contact_asked(fold(question)) == asked


def test_a_quoted_contact_line_answers() -> None:
    quote = "D'après la FAQ (coordonnées) :\n- « 04 72 00 00 00 » [1]"
    assert check_answers_question(quote, "Quel numéro pour parler à quelqu'un du club ?").passed
