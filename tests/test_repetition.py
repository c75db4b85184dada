"""A looping answer: the same sentence over and over is said once, a phrase cycled through until the token limit is
rejected, and an answer that says each thing once is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot.draft import Drafter
from chatbot.repetition import loop, without_repeats
from chatbot.verify import verify
from ingest import IngestSettings, ingest
from ingest.normalize import fold
from tests.fakes import ScriptedLLM, ScriptedRetriever

FAQ = """# FAQ du Club Azur

## 1. Que défend le Club Azur ?

Le Club Azur défend trois causes auprès des élus :

- Pour des pistes cyclables sûres autour des écoles ;
- Pour un atelier de réparation gratuit dans chaque quartier ;
- Pour des vélos prêtés aux apprentis sans condition de revenu.

## 2. Comment le Club Azur est-il financé ?

Les cotisations des membres financent les ateliers. Les comptes sont publiés chaque année.
"""
# Each line closed by a period: a reply's last line ending on « ; » is dropped as unfinished before any check.
PISTES = "Pour des pistes cyclables sûres autour des écoles [1]."
ATELIER = "Pour un atelier de réparation gratuit dans chaque quartier [1]."
VELOS = "Pour des vélos prêtés aux apprentis sans condition de revenu [1]."


@pytest.fixture()
def chunks(tmp_path: Path):
    path = tmp_path / "faq.md"
    path.write_text(FAQ, encoding="utf-8")
    return ingest(IngestSettings(faq_path=path)).chunks


def _bot(chunks, replies: list[str]) -> Chatbot:
    retriever = ScriptedRetriever(chunks, {"causes": {1: 0.7, 2: 0.3}})
    asked = iter(replies)
    return Chatbot(retriever, ScriptedLLM(script=lambda system, user: next(asked)), ChatSettings(backend="scripted"))


def test_a_sentence_said_again_is_a_loop_and_its_copies_go() -> None:
    text = "\n".join([PISTES, ATELIER, VELOS, VELOS, VELOS])
    assert "apprentis sans condition" in fold(loop(text))
    assert without_repeats(text) == "\n".join([PISTES, ATELIER, VELOS])


def test_a_sentence_said_again_inside_a_longer_one_goes() -> None:
    short = "Le Club Azur répare gratuitement les vélos des apprentis dans chacun de ses ateliers de quartier [1]."
    longer = ("Pour ses valeurs, le Club Azur répare gratuitement les vélos des apprentis dans chacun de ses ateliers "
              "de quartier [1].")
    text = f"{short} {longer}"
    assert loop(text)
    assert without_repeats(text) == longer


def test_a_phrase_cycled_through_is_a_loop_that_dropping_sentences_cannot_mend() -> None:
    cycled = "Le club gère " + ", ".join(["les ateliers de réparation du quartier, les pistes des écoles"] * 4)
    assert loop(cycled) and without_repeats(cycled) is None
    stutter = "Le club prête des vélos aux membres de l'atelier de l'atelier de l'atelier de l'atelier [1]."
    assert loop(stutter) == "de l atelier"


@pytest.mark.parametrize("text", [
    # A heading copied before the sentence that begins with it, and a signature after a sentence that begins as it.
    "Les ateliers de réparation du Club Azur [1]\nLes ateliers de réparation du Club Azur sont gratuits [1].",
    "Le service de presse du Club Azur reste à votre disposition.\n\nLe service de presse du Club Azur",
    # A marker mid-sentence does not end it: « Le Club Azur » after it is no sentence said again.
    "Le Club Azur [1] indique que le Club Azur défend trois causes auprès des élus [1].",
    "\n".join([PISTES, ATELIER, VELOS]),
])
def test_an_answer_saying_each_thing_once_is_no_loop(text: str) -> None:
    assert loop(text) == ""
    assert without_repeats(text) is None


def test_verification_rejects_a_looping_answer(chunks) -> None:
    passages = [chunks[0].text]
    checked = verify("\n".join([PISTES, VELOS, VELOS]), passages, "Quelles causes le Club Azur défend-il ?")
    assert not checked.passed
    assert [c.name for c in checked.checks if not c.passed] == ["repetition"]
    assert verify("\n".join([PISTES, VELOS]), passages, "Quelles causes le Club Azur défend-il ?").passed


def test_the_bot_shows_a_looping_list_once(chunks) -> None:
    answer = _bot(chunks, ["\n".join([PISTES, ATELIER, VELOS, VELOS, VELOS, VELOS])]).ask(
        "Quelles causes le Club Azur défend-il ?")
    assert answer.model_text.count("Pour des vélos prêtés") == 1, answer.text
    assert "Pour des pistes cyclables" in answer.model_text and answer.verification["final"] == "llm"


def test_the_bot_does_not_show_a_phrase_looping_to_the_token_limit(chunks) -> None:
    looping = "Le Club Azur défend " + ", ".join(["des pistes cyclables sûres autour des écoles, un atelier"] * 6)
    answer = _bot(chunks, [looping, looping]).ask("Quelles causes le Club Azur défend-il ?")
    assert "un atelier, des pistes cyclables sûres autour des écoles, un atelier" not in answer.text


def test_a_press_draft_says_a_repeated_sentence_once(tmp_path: Path) -> None:
    path = tmp_path / "faq.md"
    path.write_text(FAQ, encoding="utf-8")
    faq = ingest(IngestSettings(faq_path=path))
    reply = "Madame, Monsieur,\n" + "\n".join([PISTES, ATELIER, ATELIER, VELOS])
    bot = Chatbot(ScriptedRetriever(faq.chunks, {"causes": {1: 0.7, 2: 0.3}}),
                  ScriptedLLM(script=lambda system, user: reply), ChatSettings(backend="scripted"), profile=faq.profile)
    draft = Drafter(bot).draft("Bonjour, quelles causes le Club Azur défend-il auprès des élus ? Merci.")
    assert draft.body.count("Pour un atelier de réparation gratuit") == 1, draft.body
    assert "Pour des vélos prêtés" in draft.body
