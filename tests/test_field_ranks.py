"""A rank asked for a named field: answered by the ranked lines naming that field, in their own words or their list's
heading's, and never by another field's rank, however close its words."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import rankings
from chatbot.question import parse_question
from chatbot.rankings import field_lines, ranked_lines
from chatbot.verify import check_answers_question
from tests.fakes import ingested, scripted_bot

FAQ = """# FAQ du Club Azur

## 1. Pourquoi dit-on que le Club Azur est un pionnier ?

Le Club Azur a su s'imposer dans de nombreux domaines grâce à ses bénévoles.

### Sport :

- 1er organisateur associatif de randonnées cyclistes
- 2e réseau associatif d'ateliers de réparation

### Éducation :

- 3e acteur associatif de la sécurité routière à l'école

## 2. Comment le Club Azur est-il financé ?

Les cotisations des membres financent les ateliers. Les comptes sont publiés chaque année.
"""
SECTION = """Le Club Azur a su s'imposer dans de nombreux domaines grâce à ses bénévoles.
Sport :
- 1er organisateur associatif de randonnées cyclistes
- 2e réseau associatif d'ateliers de réparation
Éducation :
- 3e acteur associatif de la sécurité routière à l'école"""
ORG = frozenset({"club", "azur"})
HIKES, WORKSHOPS, ROADS = ("1er organisateur associatif de randonnées cyclistes",
                           "2e réseau associatif d'ateliers de réparation",
                           "3e acteur associatif de la sécurité routière à l'école")


def test_a_list_cut_between_two_passages_keeps_its_heading() -> None:
    # The chunker repeats the line on the cut: the list goes on in the next passage under the same heading.
    first, second = SECTION.rsplit("\n", 3)[0], "\n".join(SECTION.splitlines()[-4:])
    lines = ranked_lines([first, second])
    assert [(line.text, line.heading) for line in lines] == [(HIKES, "Sport"), (WORKSHOPS, "Sport"),
                                                             (ROADS, "Éducation")]


@pytest.mark.parametrize(("question", "expected"), [
    ("Dans le sport, quel est le rang du club ?", [HIKES, WORKSHOPS]),  # the heading names the field
    ("Quel rang pour le club dans la réparation de vélos ?", [WORKSHOPS]),  # the line's own words
    ("Pour la sécurité routière, le club arrive à quelle place ?", [ROADS]),
    # « associatif » is in every line: it says what kind of player, not which field.
    ("Dans l'éducation, quel est le classement du club parmi les acteurs associatifs ?", [ROADS]),
    ("Where does Club Azur rank for road safety?", []),  # no word shared: nothing to tell the field by
    ("Quel est le classement du club dans le tennis ?", []),  # a field the FAQ never ranks
])
def test_the_lines_naming_the_field_asked(question: str, expected: list[str]) -> None:
    named = field_lines(parse_question(question), ranked_lines([SECTION]), ORG)
    assert [line.text for line in named] == expected


def test_another_fields_rank_does_not_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    question = parse_question("Pour la sécurité routière, quel est le classement du club ?")
    wrong = check_answers_question(f"Le classement du club est {WORKSHOPS} [1].", question, passages=[SECTION],
                                   org_terms=ORG)
    right = check_answers_question(f"Le club est le {ROADS} [1].", question, passages=[SECTION], org_terms=ORG)
    assert not wrong.passed and WORKSHOPS in wrong.unsupported[0]
    assert right.passed
    monkeypatch.setattr(rankings, "FIELD_RANKS", False)
    assert check_answers_question(f"Le classement du club est {WORKSHOPS} [1].", question, passages=[SECTION],
                                  org_terms=ORG).passed


@pytest.fixture()
def faq(tmp_path: Path):
    return ingested(tmp_path, FAQ)


def _bot(faq, reply: str):
    # The field's line ranks far below the sentence on the club's fields in general, as an embedder may rank it.
    return scripted_bot(faq.chunks, faq.profile, reply, {"club": {1: 0.7, 2: 0.3}},
                        {"Le Club Azur a su s'imposer dans de nombreux domaines grâce à ses bénévoles.": 0.72,
                         HIKES: 0.5, WORKSHOPS: 0.48, ROADS: 0.4})


def test_a_rank_given_for_another_field_is_replaced_by_the_fields_line(faq) -> None:
    answer = _bot(faq, f"Le classement du club est {WORKSHOPS} [1].").ask(
        "Pour la sécurité routière, quel est le classement du Club Azur ?")
    assert answer.text.startswith(f"D'après la FAQ (question 1) : « {ROADS} » [1]"), answer.text  # one line, no list
    assert WORKSHOPS not in answer.text and not answer.model_text


def test_a_field_named_by_its_heading_is_answered_by_its_lines_when_the_model_declines(faq) -> None:
    answer = _bot(faq, "Je ne sais pas.").ask("Dans le sport, le Club Azur est à quelle place ?")
    assert f"« {HIKES} »" in answer.text and f"« {WORKSHOPS} »" in answer.text, answer.text
    assert ROADS not in answer.text


def test_a_word_of_two_lists_and_of_other_lines_names_no_field() -> None:
    # « loisirs » stands in two headings and one more line: « les loisirs créatifs » is a field the FAQ never ranks.
    section = """Loisirs et sport :
- 1er organisateur de randonnées
- 2e réseau de clubs de marche
Loisirs et culture :
- 3e réseau de chorales
Éducation :
- 4e acteur des loisirs éducatifs
- 5e acteur de la sécurité routière"""
    lines = ranked_lines([section])
    assert field_lines(parse_question("Quel est le rang du club dans les loisirs créatifs ?"), lines, ORG) == []
    named = field_lines(parse_question("Quel est le rang du club dans la culture ?"), lines, ORG)
    assert [line.text for line in named] == ["3e réseau de chorales"]


def test_the_ranks_passage_joins_a_rank_question_retrieval_ranked_elsewhere(faq, monkeypatch) -> None:
    def bot():
        # The financing section ranks first and alone: without the ranks passage the model sees no rank.
        return scripted_bot(faq.chunks, faq.profile, "Je ne sais pas.", {"club": {2: 0.7, 1: 0.2}},
                            {HIKES: 0.5, WORKSHOPS: 0.48, ROADS: 0.4})

    question = "Dans le sport, le Club Azur est à quelle place ?"
    answer = bot().ask(question)
    assert f"« {HIKES} »" in answer.text and f"« {WORKSHOPS} »" in answer.text, answer.text
    monkeypatch.setattr(rankings, "FIELD_RANKS", False)
    assert HIKES not in bot().ask(question).text
