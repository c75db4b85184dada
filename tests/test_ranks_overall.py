"""Where the organisation leads, asked without naming a field: every ranking the FAQ gives answers, quoted as its
list; a field the FAQ never ranks, or a first thing asked about (« la première randonnée »), is no such question."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.question import parse_question
from tests.fakes import ingested, scripted_bot

FAQ = """# FAQ du Club Azur

## 1. Pourquoi dit-on que le Club Azur est un pionnier ?

Le Club Azur a su s'imposer dans de nombreux domaines grâce à ses bénévoles.

### Sport :

- 1er organisateur associatif de randonnées cyclistes
- 2e réseau d'ateliers de réparation

### Éducation :

- 3e acteur de la sécurité routière à l'école

## 2. Comment le Club Azur est-il financé ?

Les cotisations des membres financent les ateliers. Les comptes sont publiés chaque année.
"""
ORG = frozenset({"club", "azur"})
VAGUE = "Le Club Azur a su s'imposer dans de nombreux domaines grâce à ses bénévoles [1]."
RANKS = ["1er organisateur associatif de randonnées cyclistes", "2e réseau d'ateliers de réparation",
         "3e acteur de la sécurité routière à l'école"]


@pytest.fixture()
def faq(tmp_path: Path):
    return ingested(tmp_path, FAQ)


def _bot(faq, reply: str):
    # The sentence on its fields in general ranks first, as an embedder ranks it for such a question.
    return scripted_bot(faq.chunks, faq.profile, reply, {"club": {1: 0.7, 2: 0.3}},
                        {VAGUE.replace(" [1]", ""): 0.72, RANKS[0]: 0.5, RANKS[1]: 0.48, RANKS[2]: 0.45})


@pytest.mark.parametrize("question", [
    "Dans quels domaines le Club Azur est-il premier ?",
    "Où le club est-il numéro un ?",
    "Fais-moi la liste complète des classements du club, domaine par domaine.",
    "In which fields is Club Azur the leading charity?",
])
def test_where_it_leads_is_a_rank_asked_of_no_field(question: str) -> None:
    read = parse_question(question)
    assert read.asks_rank and read.asks_ranks_overall(ORG)


@pytest.mark.parametrize("question", [
    "Quel est le classement du club dans le tennis ?",
    "Dans quels pays le club est-il le premier employeur ?",
])
def test_a_rank_in_a_field_named_is_not_asked_of_every_field(question: str) -> None:
    read = parse_question(question)
    assert read.asks_rank and not read.asks_ranks_overall(ORG)


@pytest.mark.parametrize("question", [
    "Quelle est la première randonnée du club ?",
    "What is the first workshop of Club Azur?",
    "Pourquoi dit-on que le club est un leader ?",
    "Le club est-il premier dans la sécurité routière ?",
])
def test_a_first_thing_a_reason_or_a_yes_no_question_asks_no_rank(question: str) -> None:
    assert not parse_question(question).asks_rank


def test_the_rankings_are_quoted_when_the_model_answers_without_one(faq) -> None:
    answer = _bot(faq, VAGUE).ask("Dans quels domaines le Club Azur est-il premier ?")
    lines = answer.text.splitlines()
    ranked = [line for line in lines if line.startswith("- «")][:3]
    assert ranked == [f"- « {rank} » [1]" for rank in RANKS], answer.text
    assert "s'imposer" not in answer.model_text


def test_a_field_the_faq_never_ranks_gets_no_list(faq) -> None:
    answer = _bot(faq, VAGUE).ask("Quel est le classement du Club Azur dans le tennis ?")
    assert "1er organisateur" not in answer.text and "3e acteur" not in answer.text
