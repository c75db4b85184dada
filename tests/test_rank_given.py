"""The field asked for a rank the question gives (« Dans quel domaine le club est-il 2e ? »): answered by the lines
stating that rank, refused when the FAQ states it nowhere, and an ordinal after a verb of ranking is a figure the
answer must find in its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import question as question_module
from chatbot.question import parse_question
from chatbot.rankings import field_lines, ranked_lines, stated_positions
from chatbot.verify import check_figures
from tests.fakes import ingested, scripted_bot
from tests.test_field_ranks import FAQ, HIKES, ORG, ROADS, SECTION, WORKSHOPS


@pytest.mark.parametrize(("text", "rank"), [
    ("Dans quel domaine le Club Azur est-il classé 3e ?", 3),
    ("Le club est 2ème dans quoi ?", 2),
    ("Où est-ce que le club se classe deuxième ?", 2),
    ("Dans quels domaines le club occupe-t-il la troisième place ?", 3),
    ("Le Club Azur arrive en septième position dans quel secteur ?", 7),
    ("In which field does Club Azur rank third?", 3),
    ("Which field is Club Azur second in?", 2),
    # An ordinal counting through a list, a yes/no question on a rank, a why: no rank given to look a field up by.
    ("Quelle est la troisième valeur du club ?", None),
    ("What is the second value of Club Azur?", None),
    ("Le club est-il deuxième dans la réparation ?", None),
    ("Pourquoi le club est-il deuxième dans la réparation ?", None),
    ("Que fait le club en premier ?", None),
    ("Dans quels domaines le club est-il premier ?", None),  # where it leads: every ranking answers
])
def test_the_rank_a_question_gives(text: str, rank: int | None) -> None:
    assert parse_question(text).rank_given == rank


@pytest.mark.parametrize(("text", "expected"), [
    ("Dans quel domaine le club est-il 2e ?", [WORKSHOPS]),
    ("Où le Club Azur arrive-t-il troisième ?", [ROADS]),
    ("Dans quel domaine le club est-il 4e ?", []),
])
def test_the_lines_holding_the_rank_given(text: str, expected: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ranked_lines([SECTION])
    assert [line.text for line in field_lines(parse_question(text), lines, ORG)] == expected
    assert stated_positions([SECTION]) == {1, 2, 3}
    monkeypatch.setattr(question_module, "RANKS_GIVEN", False)
    assert parse_question(text).rank_given is None


def test_a_rank_word_after_a_verb_of_ranking_is_a_figure_to_find() -> None:
    # « ranked tenth » is a rank the source must give: none of the section's lines is tenth.
    assert not check_figures("Club Azur is ranked tenth in road safety [1].", [SECTION]).passed
    assert not check_figures("Le club arrive en septième position dans le sport [1].", [SECTION]).passed
    assert check_figures("Le club est classé troisième pour la sécurité routière [1].", [SECTION]).passed


@pytest.fixture()
def faq(tmp_path: Path):
    return ingested(tmp_path, FAQ)


def _bot(faq, reply: str):
    return scripted_bot(faq.chunks, faq.profile, reply, {"club": {2: 0.5, 1: 0.3}},
                        {"Les cotisations des membres financent les ateliers.": 0.5, HIKES: 0.3, WORKSHOPS: 0.3,
                         ROADS: 0.3})


def test_the_field_at_the_rank_given_is_quoted_when_the_model_gives_another(faq) -> None:
    answer = _bot(faq, f"Le club est le {ROADS} [1].").ask("Dans quel domaine le Club Azur est-il classé 2e ?")
    assert f"« {WORKSHOPS} »" in answer.text and ROADS not in answer.text, answer.text


def test_a_rank_the_faq_never_states_is_refused_before_the_model(faq, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Dans quel domaine le Club Azur est-il classé 6e ?"
    answer = _bot(faq, f"Le club est le {ROADS} [1].").ask(text)
    assert answer.abstained and answer.abstain_reason == "not_in_faq" and "rang" in answer.text, answer.text
    monkeypatch.setattr(question_module, "RANKS_GIVEN", False)
    assert _bot(faq, f"Le club est le {ROADS} [1].").ask(text).abstain_reason != "not_in_faq"


def test_an_answer_giving_the_rank_with_another_lists_heading_does_not_name_the_field() -> None:
    from chatbot.verify import check_answers_question

    question = parse_question("Dans quel domaine le club est-il 3e ?")
    wrong = check_answers_question("Le club est 3e dans le sport [1].", question, passages=[SECTION], org_terms=ORG)
    right = check_answers_question("Le club est 3e dans la sécurité routière à l'école [1].", question,
                                   passages=[SECTION], org_terms=ORG)
    assert not wrong.passed and ROADS in wrong.unsupported[0]
    assert right.passed


def test_the_line_quoted_alone_answers_the_rank_given() -> None:
    from chatbot.verify import check_answers_question

    question = parse_question("Dans quel domaine le club est-il 3e ?")
    quote = f"D'après la FAQ (question 1) : « {ROADS} » [1]"
    assert check_answers_question(quote, question, passages=[SECTION], org_terms=ORG).passed
