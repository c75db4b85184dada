"""Which headline account (size or result) a text names, and which one a sentence dates to a year."""

from __future__ import annotations

import pytest

from chatbot.accounts import account_kinds, dated_kinds, other_account


@pytest.mark.parametrize(("text", "kinds"), [
    ("Quel est le chiffre d'affaires du club ?", {"size"}),
    ("Quel budget pour 2024 ?", {"size"}),
    ("What was the club's turnover?", {"size"}),
    ("Le club fait-il des bénéfices ?", {"result"}),
    ("What was its profit in 2023?", {"result"}),
    ("Quelle part du chiffre d'affaires le résultat représente-t-il ?", {"result"}),  # a share's base is not asked
    ("Le chiffre d'affaires et le résultat 2023 ?", {"size", "result"}),
    ("Combien de membres le club compte-t-il ?", set()),
])
def test_the_account_a_question_names(text: str, kinds: set[str]) -> None:
    assert account_kinds(text) == kinds


@pytest.mark.parametrize(("year", "sentence", "kinds"), [
    ("2022", "Le résultat 2022 du club s'établit à +40 000 euros, soit 2 % du chiffre d'affaires.", {"result"}),
    ("2023", "En 2023, le chiffre d'affaires du club ressort à 2,4 millions d'euros.", {"size"}),
    ("2023", "In 2023, the club's turnover reached 2.4 million euros.", {"size"}),
    ("2023", "En 2023, le club a ouvert 12 refuges.", set()),                  # a year dating no account
    ("2030", "C'est l'objet du plan Cap 2030, qui vise un budget équilibré.", set()),
])
def test_the_account_a_sentence_gives_for_a_year(year: str, sentence: str, kinds: set[str]) -> None:
    assert dated_kinds(year, sentence) == kinds


def test_a_year_dated_to_another_account_does_not_answer() -> None:
    sentence = "Le résultat 2022 du club s'établit à +40 000 euros, soit 2 % du chiffre d'affaires."
    assert other_account("2022", sentence, frozenset({"size"}))
    assert not other_account("2022", sentence, frozenset({"result"}))
    assert not other_account("2022", sentence, frozenset({"size", "result"}))  # a question naming both
    assert not other_account("2022", sentence, frozenset())                    # a question naming neither
