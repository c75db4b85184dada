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


def _countries_bot(chunks, reply: str) -> Chatbot:
    retriever = ScriptedRetriever(chunks, {"pays": {1: 0.7, 2: 0.3}})
    retriever.sentence_scores = {"Elle est présente dans 12 pays.": 0.72, UNIQUE: 0.5}
    return Chatbot(retriever, ScriptedLLM(script=lambda system, user: reply), ChatSettings(backend="scripted"))


def test_a_yes_to_the_questions_figure_before_another_figure_is_dropped(chunks) -> None:
    # The body is the FAQ's, but « Oui » would confirm the 15 countries asked.
    answer = _countries_bot(chunks, "Oui, la Fondation Lumière est présente dans 12 pays [1].").ask(
        "La Fondation Lumière est-elle présente dans 15 pays ?")
    assert answer.model_text.startswith("La Fondation Lumière est présente dans 12 pays"), answer.text
    assert "Oui" not in answer.text


@pytest.mark.parametrize("question, text", [
    ("La fondation est-elle présente dans 15 pays ?", "Oui, la Fondation Lumière est présente dans 12 pays [1]."),
    ("Is the foundation present in 15 countries?", "Yes, the Fondation Lumière is present in 12 countries [1]."),
    ("La fondation existe-t-elle depuis 1990 ?", "Oui, la Fondation Lumière existe depuis 1987 [1]."),
    ("La fondation est-elle présidée par Paul Martin ?", "Oui, la Fondation Lumière est présidée par Marie Dubois [1]."),
])
def test_a_yes_before_another_figure_year_or_name_than_the_questions_is_an_opener_fault(question: str,
                                                                                       text: str) -> None:
    passages = ["La Fondation Lumière, présidée par Marie Dubois, existe depuis 1987. Elle est présente dans 12 pays."]
    assert [v.reason for v in judge_claims(text, passages, question, org_terms=ORG)] == ["opener"]


@pytest.mark.parametrize("question, text", [
    ("La fondation est-elle présente dans 12 pays ?", "Oui, la Fondation Lumière est présente dans 12 pays [1]."),
    ("La fondation est-elle présente dans plus de 10 pays ?", "Oui, la Fondation Lumière est présente dans 12 pays [1]."),
    ("La fondation est-elle présente dans 15 pays ?", "Non, la Fondation Lumière est présente dans 12 pays [1]."),
])
def test_a_yes_to_the_same_figure_or_above_a_bound_and_a_no_stand(question: str, text: str) -> None:
    passages = ["La Fondation Lumière, présidée par Marie Dubois, existe depuis 1987. Elle est présente dans 12 pays."]
    assert [v.reason for v in judge_claims(text, passages, question, org_terms=ORG)] == [""]


def test_a_bare_yes_before_a_sentence_giving_another_figure_fails() -> None:
    passages = ["La Fondation Lumière est présente dans 12 pays."]
    verdicts = judge_claims("Oui [1]. La Fondation Lumière est présente dans 12 pays [1].", passages,
                            "La fondation est-elle présente dans 15 pays ?", org_terms=ORG)
    assert [v.verdict for v in verdicts] == ["unsupported", "supported"]
    assert verdicts[0].reason == "yes_no"


def test_an_invented_figure_is_cut_but_not_the_subject_of_the_sentence_after_it() -> None:
    """« Combien de vélos …, et comment est-elle financée ? » answered « La fondation possède 300 vélos [1]. Les dons
    des particuliers financent ses actions [1]. »: the invented count is cut, the true sentence kept. When the
    sentence left opens on a pronoun (« Ils sont prêtés … »), its subject was the one cut: nothing is kept."""
    from chatbot.claims import without_unowed_figures

    passages = ["Les dons des particuliers financent ses actions. Les comptes sont publiés chaque année."]
    question = "Combien de vélos la Fondation Lumière possède-t-elle, et comment est-elle financée ?"

    def cut(text: str) -> str | None:
        return without_unowed_figures(text, judge_claims(text, passages, question, org_terms=ORG))

    assert cut("La fondation possède 300 vélos [1]. Les dons des particuliers financent ses actions [1].") == (
        "Les dons des particuliers financent ses actions [1].")
    assert cut("La fondation possède 300 vélos [1]. Ses actions sont financées par les dons des particuliers [1].") \
        is None
    assert cut("Les dons des particuliers financent ses actions [1].") is None  # nothing invented: nothing to cut


def test_a_pronoun_left_opening_the_answer_after_a_cut_takes_the_name_it_stood_for() -> None:
    """« Combien de navettes …, et dans combien de pays est-elle présente ? » answered « La Fondation Lumière possède
    10 navettes [1]. Elle est présente dans 12 pays [1]. »: the invented count is cut and « Elle » takes back the name
    the cut sentence opened on, so the true sentence is kept and checked; a cut sentence opening on no name leaves the
    pronoun without a subject, and nothing is kept."""
    from chatbot.claims import without_unowed_figures

    passages = ["La Fondation Lumière est présente dans 12 pays. Les comptes sont publiés chaque année."]
    question = "Combien de navettes la Fondation Lumière possède-t-elle, et dans combien de pays est-elle présente ?"

    def cut(text: str) -> str | None:
        return without_unowed_figures(text, judge_claims(text, passages, question, org_terms=ORG))

    assert cut("La Fondation Lumière possède 10 navettes [1]. Elle est présente dans 12 pays [1].") == (
        "La Fondation Lumière est présente dans 12 pays [1].")
    assert cut("La fondation possède 10 navettes [1]. Elle est présente dans 12 pays [1].") is None


@pytest.mark.parametrize("switch", [True, False])
def test_an_open_question_answered_oui_loses_it(chunks, monkeypatch, switch: bool) -> None:
    """« Pourquoi … ? » is not answered by « Oui »: an answer opening with one (a model copying a FAQ sentence with its
    own « Oui, ») keeps its statement and drops the word; a yes/no question keeps it."""
    monkeypatch.setattr("chatbot.bot.OPEN_QUESTION_OPENER_DROPPED", switch)
    reply = "Oui, la Fondation Lumière est la seule fondation à prêter des vélos aux apprentis [1]."
    answer = _bot(chunks, reply).ask("Pourquoi parle-t-on des fondations qui prêtent des vélos en Europe ?")
    assert answer.model_text.startswith("La Fondation Lumière est la seule") is switch, answer.text
    assert answer.verification["final"] == "llm" and answer.verification["passed"]
    polar = _bot(chunks, reply).ask("La Fondation Lumière est-elle la seule des fondations à prêter des vélos ?")
    assert polar.model_text.startswith("Oui, la Fondation Lumière"), polar.text


HEARSAY_PASSAGES = ["Le conseil de la Fondation Lumière valide les comptes chaque année. Le bureau, présidé par Marie "
                    "Dubois, prépare les dossiers et met en œuvre les décisions du conseil."]
BUREAU = "Oui, le bureau, présidé par Marie Dubois, prépare les dossiers et met en œuvre les décisions du conseil [1]."


@pytest.mark.parametrize("question", [
    "On m'a dit que c'est le bureau qui valide les comptes, c'est vrai ?",
    "Il paraît que le bureau valide les comptes, c'est exact ?",
    "Je lis que le bureau valide les comptes. Vous confirmez ?",
    "Un article affirme que le bureau valide les comptes. C'est bien ça ?",
    "Vrai ou faux : le bureau valide les comptes.",
])
def test_a_yes_to_a_statement_put_up_for_confirmation_that_no_source_states_is_dropped(question: str) -> None:
    """« Oui, <a true sentence on the bureau> » confirms nothing the sources say of who validates the accounts: the
    body stands without the « Oui »."""
    verdicts = judge_claims(BUREAU, HEARSAY_PASSAGES, question, org_terms=ORG)
    assert [v.reason for v in verdicts] == ["opener"]
    assert without_wrong_openers(BUREAU, verdicts).startswith("Le bureau, présidé par Marie Dubois, prépare")


@pytest.mark.parametrize("question, text", [
    ("On m'a dit que le conseil valide les comptes chaque année, c'est vrai ?",
     "Oui, le conseil de la Fondation Lumière valide les comptes chaque année [1]."),
    ("Il paraît que le bureau met en œuvre les décisions du conseil, c'est exact ?", BUREAU),
    ("Un article affirme que le conseil valide les comptes. Vous confirmez ?",  # the frame's words are nobody's claim
     "Oui, le conseil de la Fondation Lumière valide les comptes chaque année [1]."),
    ("Le bureau prépare-t-il les dossiers ?", BUREAU),  # a yes/no question without a frame: as before
])
def test_a_yes_to_a_statement_a_source_states_stands(question: str, text: str) -> None:
    assert [v.reason for v in judge_claims(text, HEARSAY_PASSAGES, question, org_terms=ORG)] == [""]


class _Unrelated:
    """A sentence similarity that finds no two texts alike (a restatement judge with nothing to restate)."""

    def similarity(self, claim: str, texts) -> list[float]:
        return [0.0] * len(texts)

    def __call__(self, claim: str, texts) -> list[bool]:
        return [False] * len(texts)

    def anchors(self, words: str, texts) -> list[bool]:
        return [False] * len(texts)


@pytest.mark.parametrize("switch", [True, False])
def test_a_yes_beside_the_point_is_not_cut_into_an_answer(chunks, monkeypatch, switch: bool) -> None:
    """« Oui, <a true sentence> » to an accusation none of its sentences speaks of: cutting the « Oui » would leave the
    true sentence beside the point standing as the answer."""
    import chatbot.bot as bot_module

    monkeypatch.setattr(bot_module, "OPENER_KEEPS_TOPIC", switch)
    retriever = ScriptedRetriever(chunks, {"fisc": {1: 0.7, 2: 0.3}})
    retriever.sentence_scores = {UNIQUE: 0.6, "Elle est présente dans 12 pays.": 0.5}
    reply = "Oui, la Fondation Lumière est présente dans 12 pays [1]."
    bot = Chatbot(retriever, ScriptedLLM(script=lambda system, user: reply), ChatSettings(backend="scripted"))
    bot.restates = _Unrelated()  # the topic check reads sentence similarity: nothing here is close to the fisc
    answer = bot.ask("On dit que la fondation fraude le fisc, c'est vrai ?")
    assert ("présente dans 12 pays" not in answer.model_text) == switch, answer.text
