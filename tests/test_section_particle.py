"""A FAQ answer opening on a bare « Non. » answers its own section's question: a model copying the passage's first
sentence must not hand that « Non » to another question asked beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatbot import Chatbot, ChatSettings, prompts
from tests.fakes import ScriptedLLM, ScriptedRetriever, ingested

FAQ = """# FAQ du Club Azur

## 1. L'adhésion au Club Azur est-elle payante ?

Non. L'adhésion au Club Azur est gratuite. Chaque membre peut librement verser un don.

## 2. Le Club Azur aide-t-il à trouver un emploi ?

Oui, par son atelier de couture ouvert en 2012. Non seulement l'atelier forme, mais il embauche aussi.

## 3. Le Club Azur est-il engagé ?

Oui, le Club Azur porte des propositions auprès de la mairie. Elles viennent des ateliers.
"""
QUESTION = "Un membre du Club Azur peut-il verser un don ?"


def _copies_first_sentence(system: str, user: str) -> str:
    """A small model's habit: the first sentence of passage [1], cited."""
    first = re.search(r"\[1\] (.+?[.!?])(?:\s|$)", user)
    assert first, user
    return f"{first.group(1)} [1]"


@pytest.fixture()
def bot(tmp_path: Path) -> Chatbot:
    faq = ingested(tmp_path, FAQ)
    retriever = ScriptedRetriever(faq.chunks, {"membre": {1: 0.8, 2: 0.2}, "emploi": {2: 0.8, 1: 0.2},
                                                 "mairie": {3: 0.8, 1: 0.2}})
    return Chatbot(retriever, ScriptedLLM(script=_copies_first_sentence), ChatSettings(backend="scripted"),
                   profile=faq.profile)


def test_the_sections_own_no_is_not_handed_to_another_question(bot) -> None:
    answer = bot.ask(QUESTION)
    assert not answer.text.lstrip().lower().startswith("non"), answer.text
    assert "L'adhésion au Club Azur est gratuite" in answer.text, answer.text
    assert "Non." not in bot.llm.calls[-1]["user"]


def test_without_the_rule_the_copied_sentence_is_the_no(bot, monkeypatch) -> None:
    monkeypatch.setattr(prompts, "HIDE_SECTION_PARTICLE", False)
    assert bot.ask(QUESTION).text.lstrip().startswith("Non."), bot.llm.calls[-1]["user"]


def test_a_yes_before_a_clause_that_stands_alone_can_be_hidden_too(bot, monkeypatch) -> None:
    monkeypatch.setattr(prompts, "HIDE_JOINED_PARTICLE", True)  # off by default: measured, not adopted
    answer = bot.ask("Que demande le Club Azur à la mairie ?")
    assert answer.text.lstrip().startswith("Le Club Azur porte des propositions"), answer.text


def test_by_default_the_joined_yes_is_shown_and_an_open_question_is_answered_without_it(bot, monkeypatch) -> None:
    """The model is shown « Oui, le Club Azur porte … » and copies it; a yes answers no « Que … ? », so the answer drops
    it (`bot.OPEN_QUESTION_OPENER_DROPPED`); off, the copied « Oui » stays."""
    answer = bot.ask("Que demande le Club Azur à la mairie ?")
    assert "Oui, le Club Azur porte" in bot.llm.calls[-1]["user"]
    assert answer.text.lstrip().startswith("Le Club Azur porte des propositions"), answer.text
    monkeypatch.setattr("chatbot.bot.OPEN_QUESTION_OPENER_DROPPED", False)
    assert bot.ask("Que demande le Club Azur à la mairie ?").text.lstrip().startswith("Oui, le Club Azur")


def test_a_yes_joined_to_its_sentence_and_non_seulement_stay(bot) -> None:
    bot.ask("Le Club Azur aide-t-il à trouver un emploi ?")
    shown = bot.llm.calls[-1]["user"]
    assert "Oui, par son atelier de couture" in shown
    assert "Non seulement l'atelier forme" in shown
