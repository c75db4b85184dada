"""A question inside a task frame (a greeting, a request to be told, a length, a format, an audience, a purpose, a
hypothetical) is retrieved as the bare question is; the model still reads it whole (`chatbot.frame`)."""

from __future__ import annotations

import pytest

import chatbot.frame as frame_module
from chatbot import Chatbot, ChatSettings
from chatbot.frame import without_frame
from chatbot.question import parse_question
from ingest.normalize import tokens
from tests.fakes import ScriptedLLM, ScriptedRetriever, ingested

FAQ = """# Questions sur le Club Azur

## 1. Qui dirige le Club Azur ?

Le Club Azur est dirigé par un bureau de cinq bénévoles élus chaque année par l'assemblée des membres.

## 2. Combien coûte l'adhésion ?

L'adhésion au Club Azur coûte 30 euros par an.
"""


@pytest.mark.parametrize(("framed", "bare"), [
    ("Pour mon exposé de demain, peux-tu me dire en quelques mots qui dirige le club ?", "qui dirige le club ?"),
    ("Bonjour, combien coûte l'adhésion au club, s'il vous plaît ?", "combien coûte l'adhésion au club ?"),
    ("Imagine que tu expliques à ta grand-mère en deux phrases ce que fait le club : que lui dirais-tu ?",
     "expliques ce que fait le club ?"),
    ("En une seule phrase et sans jargon : le club a-t-il des salariés ?", "le club a-t-il des salariés ?"),
    ("Résume-moi en trois points, façon tweet, les sorties du club.", "Résume-moi les sorties du club."),
    ("Explique-moi comme à un enfant de 8 ans qui choisit les parcours.", "Explique-moi qui choisit les parcours."),
    ("Merci. Et les refuges, le club en gère ?", "les refuges, le club en gère ?"),
])
def test_the_frame_is_dropped_and_the_question_kept(framed: str, bare: str) -> None:
    assert tokens(without_frame(framed)) == tokens(bare)


@pytest.mark.parametrize("question", [
    "Qui dirige le club ?",  # nothing framed
    "Le club a-t-il donné de l'argent à un ami du président ?",  # « à un ami » is what is asked, not an audience
    "Imagine que tu es le président du club : que décides-tu ?",  # a role play, for the remit rules to read
    "Bonjour ?",  # nothing would be left
])
def test_what_is_asked_is_never_dropped(question: str) -> None:
    assert without_frame(question) == question


def test_a_framed_question_is_retrieved_as_the_bare_question_and_asked_whole(tmp_path,
                                                                             monkeypatch) -> None:
    """Retrieval reads « combien coûte l'adhésion ? », where the frame's words would have pulled the question away
    from the passage that answers; the model gets the question as typed, so that it answers in the form asked. With
    the frame kept (`FRAME_DROPPED` off), retrieval reads the whole text."""
    chunks = ingested(tmp_path, FAQ).chunks
    retriever = ScriptedRetriever(chunks, {"adhésion": {2: 0.7}})
    llm = ScriptedLLM(script=lambda system, user: "L'adhésion au Club Azur coûte 30 euros par an [1].")
    bot = Chatbot(retriever, llm, ChatSettings(backend="scripted"))
    question = "Pour mon exposé de demain, peux-tu me dire en quelques mots combien coûte l'adhésion ?"
    answer = bot.ask(question)
    assert retriever.queries[0] == "combien coûte l'adhésion ?"
    assert not answer.abstained and "30 euros" in answer.text
    assert "en quelques mots" in llm.calls[-1]["user"]
    monkeypatch.setattr(frame_module, "FRAME_DROPPED", False)
    retriever.queries.clear()
    bot.ask(question)
    assert retriever.queries[0] == question


def test_the_typed_question_keeps_its_text_and_gives_retrieval_the_bare_one() -> None:
    asked = parse_question("Bonjour, qui dirige le club ?")
    assert asked.text == "Bonjour, qui dirige le club ?" and asked.search_text == "qui dirige le club ?"
    assert parse_question("Qui dirige le club ?").search_text == "Qui dirige le club ?"
