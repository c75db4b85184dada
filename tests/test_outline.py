"""A question asking for the items a FAQ section gives as its subheadings gets those headings quoted."""

from __future__ import annotations

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot import outline as outline_module
from chatbot.context import Context
from chatbot.outline import asks_list_of, list_nouns, outline_asked, with_outline
from chatbot.question import read_question
from index.retriever import Hit
from ingest import Chunk, IngestSettings, ingest
from tests.fakes import ScriptedLLM, ScriptedRetriever

# A fictional FAQ (a rail heritage association): its values are three headings with prose under each, as FAQs
# exported from a web page often give them.
RAIL_FAQ = """# 2 QUESTIONS SUR LES AMIS DU RAIL

# 1. Quelles sont les valeurs des Amis du Rail ?

Depuis 1971, les Amis du Rail restaurent des voitures anciennes. Trois valeurs guident leurs chantiers :

## **La patience du geste juste**

Chaque pièce est démontée, nettoyée et remontée à la main, même quand cela prend des mois.

## **Le partage des savoirs anciens**

Les anciens cheminots forment les nouveaux bénévoles sur chaque chantier.

## **L'ouverture à tous les publics**

Les ateliers accueillent les visiteurs chaque premier dimanche du mois.

# 2. Comment les Amis du Rail financent-ils leurs chantiers ?

Les cotisations des 420 membres et la vente de billets des trains historiques financent les chantiers.
"""

HEADINGS = ("La patience du geste juste", "Le partage des savoirs anciens", "L'ouverture à tous les publics")


@pytest.fixture(scope="module")
def rail_chunks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Chunk, ...]:
    path = tmp_path_factory.mktemp("rail") / "rail.md"
    path.write_text(RAIL_FAQ, encoding="utf-8")
    return tuple(ingest(IngestSettings(faq_path=path, max_chars=220, overlap_chars=0)).chunks)


def test_the_chunks_of_a_section_under_headings_carry_its_outline(rail_chunks) -> None:
    values = [c for c in rail_chunks if c.section == 1]
    assert len(values) > 1 and all(c.outline == HEADINGS for c in values)
    assert all(c.outline == () for c in rail_chunks if c.section == 2)
    assert Chunk.from_dict(values[0].to_dict()) == values[0]
    old = {k: v for k, v in values[0].to_dict().items() if k != "outline"}  # an index written before outlines
    assert Chunk.from_dict(old).outline == ()


def test_the_list_a_section_question_asks_for() -> None:
    assert list_nouns("Quelles sont les valeurs des Amis du Rail ?") == {"valeurs"}
    assert list_nouns("Quelles sont les grandes dates du club ?") == {"dates"}
    assert list_nouns("Quels services le club propose-t-il ?") == {"services"}
    assert list_nouns("Comment les Amis du Rail financent-ils leurs chantiers ?") == frozenset()
    assert list_nouns("Quel est le budget du club ?") == frozenset()


@pytest.mark.parametrize("question", [
    "Quelles sont les valeurs des Amis du Rail ?",
    "Sur quelles valeurs reposent les chantiers ?",
    "C'est quoi leurs valeurs, en gros ?",
    "Cite-moi les valeurs de l'association.",
    "Donne-moi la liste des valeurs.",
    "Quelle est la deuxième valeur de l'association ?",
    "Valeurs principales ?",
    "What are the association's valeurs?",  # a cognate; a translation needs the embedder (below)
    "Hi! Could you explain in simple terms what the association's valeurs are?",  # a request, not yes or no
    "Combien de bénévoles compte l'association, et quelles sont ses valeurs ?",  # the figure is the other part's
])
def test_a_question_asking_for_the_list(question: str) -> None:
    assert asks_list_of(read_question(question), frozenset({"valeurs"}))


@pytest.mark.parametrize("question", [
    "Depuis quand ces valeurs guident-elles les chantiers ?",  # a year
    "Les bénévoles doivent-ils partager ces valeurs ?",  # yes or no
    "Pourquoi ces valeurs ?",  # a reason
    "Comment les valeurs sont-elles transmises ?",  # a process
    "Quelles consignes les bénévoles doivent-ils respecter côté valeurs sur les chantiers ?",  # asks for rules
    "Quel est le budget de l'association ?",
    "Combien de valeurs l'association a-t-elle ?",  # a figure
    "Could the valeurs change one day?",  # yes or no
    "Quelle valeur compte le plus pour l'association ?",  # one value, not the list
])
def test_a_question_naming_the_list_without_asking_for_it(question: str) -> None:
    assert not asks_list_of(read_question(question), frozenset({"valeurs"}))


def test_an_english_word_is_the_list_noun_when_it_translates_it() -> None:
    question = read_question("Which values guide the association's work?")
    assert not asks_list_of(question, frozenset({"valeurs"}))
    assert asks_list_of(question, frozenset({"valeurs"}), translates=lambda word, noun: (word, noun) == ("values",
                                                                                                          "valeurs"))


def _bot(chunks, reply: str) -> Chatbot:
    retriever = ScriptedRetriever(chunks, {"valeur": {1: 0.7, 2: 0.3}, "values": {1: 0.7, 2: 0.3}})
    llm = ScriptedLLM(script=lambda system, user: reply)
    return Chatbot(retriever, llm, ChatSettings(backend="scripted"))


def test_an_answer_that_leaves_the_headings_out_gets_them_quoted(rail_chunks) -> None:
    bot = _bot(rail_chunks, "Depuis 1971, les Amis du Rail restaurent des voitures anciennes [1].")
    answer = bot.ask("Quelles sont les valeurs des Amis du Rail ?")
    assert not answer.abstained and answer.verification["final"] == "llm"
    assert all(f"« {h} »" in answer.text for h in HEADINGS)
    assert answer.verification["passed"]  # the quotes are the FAQ's words, cited from its sources
    assert {q.section for q in answer.quotes} == {1}


def test_a_failed_answer_is_replaced_by_the_headings(rail_chunks) -> None:
    bot = _bot(rail_chunks, "Les Amis du Rail défendent la vitesse et le profit [1].")
    answer = bot.ask("Quelles sont les valeurs des Amis du Rail ?")
    assert not answer.abstained and answer.verification["final"] == "extractive"
    assert answer.text.startswith("D'après la FAQ (question 1) :")
    assert all(f"« {h} »" in answer.text for h in HEADINGS) and "profit" not in answer.text


def test_without_the_outline_the_headings_are_not_quoted(rail_chunks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outline_module, "OUTLINE_ANSWERS", False)
    bot = _bot(rail_chunks, "Depuis 1971, les Amis du Rail restaurent des voitures anciennes [1].")
    answer = bot.ask("Quelles sont les valeurs des Amis du Rail ?")
    assert not any(f"« {h} »" in answer.text for h in HEADINGS)


def test_a_question_on_another_section_gets_no_outline(rail_chunks) -> None:
    retriever = ScriptedRetriever(rail_chunks, {"financ": {2: 0.7, 1: 0.3}})
    llm = ScriptedLLM(script=lambda s, u: "Les cotisations des 420 membres financent les chantiers [1].")
    bot = Chatbot(retriever, llm, ChatSettings(backend="scripted"))
    answer = bot.ask("Comment les Amis du Rail financent-ils leurs chantiers ?")
    assert not answer.abstained and not any(h in answer.text for h in HEADINGS)


def test_a_heading_the_retrieved_passages_lack_joins_the_sources(rail_chunks) -> None:
    """The headings' passages join the sources (not the prompt), so that each quote cites the passage holding it."""
    ranked = [Hit(c, 0.7 - 0.01 * i, 0.7, 0.0, i + 1) for i, c in enumerate(rail_chunks)]
    items = outline_asked(read_question("Quelles sont les valeurs des Amis du Rail ?"), ranked, k=1)
    assert [e.text for e in items] == list(HEADINGS)
    for item in items:
        assert item.text in item.hit.chunk.text.splitlines()
    context = with_outline(Context((ranked[0],), (ranked[0],)), items)
    assert context.prompt == (ranked[0],)
    assert {e.hit.chunk.chunk_id for e in items} <= {h.chunk.chunk_id for h in context.sources}
    assert outline_asked(read_question("Comment les chantiers sont-ils financés ?"), ranked, k=1) == []
