"""A 200-question FAQ: it indexes, answers, and refuses with a short refusal that points to the full list."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot.refusal import CLOSEST
from index import IndexSettings, build, load_retriever
from index.embedders import HashEmbedder
from ingest import IngestSettings
from tests.fakes import CopyingLLM

THEMES = ("jardins", "bibliothèques", "piscines", "crèches", "musées", "marchés", "stades", "parcs", "écoles",
          "ateliers")


def _faq(path: Path, questions: int = 200) -> Path:
    lines = ["# Questions fréquentes sur la Mutuelle Exemplaire", ""]
    for n in range(1, questions + 1):
        theme = THEMES[n % len(THEMES)]
        lines += [f"## {n}. Quelle est la règle {n} pour les {theme} du quartier {n * 7} ?", "",
                  f"Pour les {theme} du quartier {n * 7}, la règle {n} fixe un plafond de {n * 13} euros par "
                  f"famille depuis {1990 + n % 30}. M. Durand, responsable n° {n}, la revoit chaque année.", ""]
    lines += ["# Contact", "", "Mutuelle Exemplaire, 5 rue des Lilas, 75012 Paris", "", "01 40 00 00 00",
              "", "contact@mutuelle-exemplaire.example", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Chatbot:
    folder = tmp_path_factory.mktemp("scale")
    ingest_settings = IngestSettings(faq_path=_faq(folder / "faq200.md"))
    index_settings = IndexSettings.from_env(index_dir=folder / "index", embedder="hash")
    manifest = build(ingest_settings, index_settings, embedder=HashEmbedder())
    assert manifest["chunk_count"] >= 200 and manifest["faq"]["questions"] == 200
    retriever = load_retriever(ingest_settings, index_settings, embedder=HashEmbedder())
    return Chatbot(retriever, CopyingLLM(), ChatSettings(backend="copying"))


def test_a_question_of_a_200_question_faq_is_answered_from_its_section(bot: Chatbot) -> None:
    answer = bot.ask("Quel est le plafond de la règle 137 pour les ateliers du quartier 959 ?")
    assert not answer.abstained
    assert answer.sources[0].chunk.section == 137
    assert "1781 euros" in answer.text and "[1]" in answer.text
    assert "M. Durand, responsable n° 137" in answer.sources[0].chunk.text, "abbreviations kept whole"


def test_a_refusal_lists_the_closest_questions_not_all_200(bot: Chatbot) -> None:
    answer = bot.ask("Quelle est la capitale du Japon ?")
    assert answer.abstained
    listed = [line for line in answer.text.splitlines() if line[:1].isdigit()]
    assert len(listed) == CLOSEST
    assert f"({CLOSEST} sur 200)" in answer.text and "la liste complète figure dans la FAQ de la Mutuelle " \
                                                       "Exemplaire" in answer.text
    assert len(answer.text.splitlines()) <= CLOSEST + 4
    assert "contact@mutuelle-exemplaire.example, 01 40 00 00 00" in answer.text


def test_a_refusal_for_a_missing_fact_lists_the_questions_closest_to_it(bot: Chatbot) -> None:
    answer = bot.ask("Quel était le plafond de la règle 42 pour les crèches du quartier 294 en 1850 ?")
    assert answer.abstained
    listed = [int(line.split(".")[0]) for line in answer.text.splitlines() if line[:1].isdigit()]
    assert listed[0] == 42 and len(listed) == CLOSEST
