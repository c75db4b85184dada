"""A FAQ question named by its number gets its wording beside the number (chatbot/numbered.py)."""

from __future__ import annotations

import pytest

from chatbot.numbered import named_by_number

QUESTIONS = [(1, "D'où vient le Club Azur ?"), (4, "À combien s'élève le budget du Club Azur ?")]


@pytest.mark.parametrize(("text", "named"), [
    ("Que dit la question 4 de la FAQ ?", "Que dit la question 4 (« À combien s'élève le budget du Club Azur ? ») de la FAQ ?"),
    ("Je voudrais la réponse à la question n°1.", "Je voudrais la réponse à la question n°1 (« D'où vient le Club Azur ? »)."),
    ("Can you explain FAQ question 4?", "Can you explain FAQ question 4 (« À combien s'élève le budget du Club Azur ? »)?"),
    ("Peux-tu développer le point 1 de la FAQ ?", "Peux-tu développer le point 1 (« D'où vient le Club Azur ? ») de la FAQ ?"),
])
def test_a_question_named_by_number_gets_its_wording(text: str, named: str) -> None:
    assert named_by_number(text, QUESTIONS) == named


@pytest.mark.parametrize("text", [
    "Que dit la question 12 de la FAQ ?",           # no such question: left as typed, judged as any question is
    "Les 4 questions de la FAQ sont-elles à jour ?",  # a count before the noun
    "Le point 4 % de croissance est-il atteint ?",   # a figure
    "Qu'a décidé le club en 2023 ?",
    "Que prévoit le point 4 du plan de randonnée ?",  # a point of another list: the FAQ is not named
])
def test_other_numbers_are_left_as_typed(text: str) -> None:
    assert named_by_number(text, QUESTIONS) == text


def test_an_english_question_naming_a_number_stays_english() -> None:
    """The wording put beside the number is the FAQ's, in French: the question's language is the user's."""
    from chatbot.language import Lexicon
    from chatbot.question import parse_question

    lexicon = Lexicon(questions=tuple(QUESTIONS))
    question = parse_question("What does question 4 of the FAQ say?", lexicon=lexicon)
    assert "budget" in question.text and question.language == "en"
    assert question.typed == "What does question 4 of the FAQ say?"


def test_the_retrieval_only_evaluation_reads_a_case_as_the_chatbot_does() -> None:
    """`faqbot eval --retrieval-only` measures what retrieval is given: the question as the chatbot reads it (capitals
    as lower case, the numbered question's wording, no task frame)."""
    from chatbot.language import Lexicon
    from chatbot.question import parse_question
    from eval.cases import Case
    from eval.retrieval import retrieval_query

    text = "POUR MON EXPOSÉ, PEUX-TU ME DIRE CE QUE DIT LA QUESTION 4 DE LA FAQ ?"
    lexicon = Lexicon(questions=tuple(QUESTIONS))
    query = retrieval_query(Case(id="x", question=text), lexicon)
    assert query == parse_question(text, lexicon=lexicon).search_text
    assert "budget" in query and "exposé" not in query.lower() and query != query.upper()
