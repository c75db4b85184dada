"""A wrong Oui/Non before a true statement: the statement is kept, the Oui/Non dropped; a true statement beside the
point is not rescued so."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot.claims import judge_claims, without_wrong_openers
from ingest import IngestSettings, ingest
from tests.fakes import ScriptedLLM, ScriptedRetriever

FAQ = """# FAQ de la Fondation Lumière

## 1. La Fondation Lumière est-elle unique ?

Aujourd'hui, en Europe, la Fondation Lumière est la seule fondation à prêter des vélos aux apprentis. Elle est
présente dans 12 pays.

## 2. Comment la Fondation Lumière est-elle financée ?

Les dons des particuliers financent ses actions. Les comptes sont publiés chaque année.
"""
UNIQUE = "Aujourd'hui, en Europe, la Fondation Lumière est la seule fondation à prêter des vélos aux apprentis."
QUESTION = "Y a-t-il d'autres fondations semblables en Europe ?"
ORG = frozenset({"fondation", "lumiere"})


@pytest.fixture()
def chunks(tmp_path: Path):
    path = tmp_path / "faq.md"
    path.write_text(FAQ, encoding="utf-8")
    return ingest(IngestSettings(faq_path=path)).chunks


def _bot(chunks, reply: str) -> Chatbot:
    retriever = ScriptedRetriever(chunks, {"fondations": {1: 0.7, 2: 0.3}})
    retriever.sentence_scores = {UNIQUE: 0.72, "Elle est présente dans 12 pays.": 0.5}
    return Chatbot(retriever, ScriptedLLM(script=lambda system, user: reply), ChatSettings(backend="scripted"))


def test_a_wrong_oui_before_the_answering_sentence_is_dropped(chunks) -> None:
    answer = _bot(chunks, "Oui, la Fondation Lumière est la seule fondation à prêter des vélos aux "
                          "apprentis [1].").ask(QUESTION)
    assert answer.model_text.startswith("La Fondation Lumière est la seule fondation"), answer.text
    assert "Oui" not in answer.text
    assert answer.verification["final"] == "llm" and answer.verification["passed"]


def test_a_wrong_oui_before_a_true_statement_beside_the_point_is_not_kept(chunks) -> None:
    """« Elle est présente dans 12 pays » is true, but the sentence that answers says no: the answer is not this one."""
    answer = _bot(chunks, "Oui, la Fondation Lumière est présente dans 12 pays [1].").ask(QUESTION)
    assert "présente dans 12 pays" not in answer.model_text


def test_only_claims_judged_on_their_opener_lose_it() -> None:
    passages = [FAQ.split("## 1.")[1].split("## 2.")[0]]
    text = "Oui, la Fondation Lumière est la seule fondation à prêter des vélos aux apprentis [1]."
    verdicts = judge_claims(text, passages, QUESTION, org_terms=ORG)
    assert [v.reason for v in verdicts] == ["opener"]
    assert without_wrong_openers(text, verdicts) == ("La Fondation Lumière est la seule fondation à prêter des vélos "
                                                     "aux apprentis [1].")
    right = "Non, la Fondation Lumière est la seule fondation à prêter des vélos aux apprentis [1]."
    assert without_wrong_openers(right, judge_claims(right, passages, QUESTION, org_terms=ORG)) is None
