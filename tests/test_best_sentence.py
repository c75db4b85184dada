"""The sentence answering a question inside a section about something else: passages are ranked as wholes, so a
section sharing the question's topic words wins, and the one sentence that answers must still be among the sources,
quoted, while the model is shown the passages it was shown before."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import Chatbot, ChatSettings, judgement
from tests.fakes import ScriptedLLM, ScriptedRetriever, ingested

FAQ = """# FAQ du Club Azur

## 1. Comment des clubs rejoignent-ils le Club Azur ?

Beaucoup de petits clubs manquent de vélos et de bénévoles. Ils demandent alors à rejoindre le Club Azur.

## 2. Quel est le matériel du Club Azur ?

Les cotisations des membres financent les ateliers. Le parc du Club Azur prête ses vélos aux clubs du réseau qui en manquent.
"""
JOINING = "Beaucoup de petits clubs manquent de vélos et de bénévoles."
RESERVE = "Le parc du Club Azur prête ses vélos aux clubs du réseau qui en manquent."
QUESTION = "Un club du réseau Azur qui manque de vélos peut-il en emprunter ?"


@pytest.fixture()
def faq(tmp_path: Path):
    return ingested(tmp_path, FAQ)


def _bot(faq, reply: str) -> Chatbot:
    # The joining section ranks far ahead as a whole (its topic words), the reserve's sentence is the closest one.
    retriever = ScriptedRetriever(faq.chunks, {"club": {1: 0.7, 2: 0.4}})
    retriever.sentence_scores = {RESERVE: 0.8, JOINING: 0.6}
    return Chatbot(retriever, ScriptedLLM(script=lambda system, user: reply), ChatSettings(backend="scripted"),
                   profile=faq.profile)


def test_the_closest_sentence_is_quoted_from_its_own_passage(faq) -> None:
    bot = _bot(faq, "Les petits clubs manquent de vélos [1].")
    answer = bot.ask(QUESTION)
    assert not answer.abstained, answer.text
    assert f"« {RESERVE} »" in answer.text, answer.text
    assert [h.chunk.section for h in answer.sources] == [1, 2]
    # The model is shown the best section only: one more passage costs a small model more than it brings.
    assert "Le parc" not in bot.llm.calls[-1]["user"]


def test_the_closest_sentence_answers_when_the_model_declines(faq) -> None:
    answer = _bot(faq, "Je ne sais pas.").ask(QUESTION)
    assert RESERVE in answer.text, answer.text


def test_without_the_rule_that_sentence_is_never_shown(faq, monkeypatch) -> None:
    monkeypatch.setattr(judgement, "BEST_SENTENCE_SOURCE", False)
    answer = _bot(faq, "Les petits clubs manquent de vélos [1].").ask(QUESTION)
    assert RESERVE not in answer.text
    assert [h.chunk.section for h in answer.sources] == [1]


def test_no_source_is_joined_when_the_closest_sentence_is_in_the_best_section(faq) -> None:
    bot = _bot(faq, "Les petits clubs manquent de vélos [1].")
    bot.retriever.sentence_scores = {RESERVE: 0.5, JOINING: 0.8}
    assert [h.chunk.section for h in bot.ask(QUESTION).sources] == [1]
