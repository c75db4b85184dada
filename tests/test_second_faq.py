"""The second FAQ (fictional Fondation Ombelle: `Q :`/`R :` pairs under thematic headings, no table of contents,
a contact block after a rule) is read, answered and refused with its own organisation, never the Groupe SOS."""

from __future__ import annotations

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot.draft import Drafter
from index import IndexSettings, build, load_retriever
from index.embedders import HashEmbedder
from ingest import IngestSettings, ingest, parse_faq
from tests.conftest import REPO
from tests.fakes import CopyingLLM
from ui.cli import main

OMBELLE = REPO / "data" / "faq_fondation_ombelle.md"


def test_q_and_r_pairs_under_thematic_headings_are_questions() -> None:
    doc = parse_faq("# FAQ de la Maison Test\n\n## Qui sommes-nous\n\nQ : Qui êtes-vous ?\n\nR : Une maison.\n\n"
                    "**Q 7 : Où êtes-vous ?**\nRéponse : À Lyon.\n\n## Finances\n\nQ : Quel budget ?\nR : 10 euros.\n\n"
                    "---\n\nMaison Test\n\n1 rue X, 69001 Lyon\n")
    assert [(s.number, s.title) for s in doc.sections] == [
        (1, "Qui êtes-vous ?"), (7, "Où êtes-vous ?"), (8, "Quel budget ?"), (None, "Maison Test")]
    assert [b.text for s in doc.sections for b in s.blocks] == [
        "Une maison.", "À Lyon.", "10 euros.", "Maison Test", "1 rue X, 69001 Lyon"]


def test_the_second_faq_is_read_whole() -> None:
    faq = ingest(IngestSettings(faq_path=OMBELLE))
    assert len(faq.sections) == 21
    assert faq.sections[11] == "Quel est le budget de la Fondation Ombelle ?"
    assert not any(c.text.startswith("R :") for c in faq.chunks)
    footer = [c for c in faq.chunks if c.section is None and c.aliases]
    assert len(footer) == 1 and "14, quai des Chartrons" in footer[0].text
    last_answer = next(c.text for c in faq.chunks if c.section == 21)
    assert "Chartrons" not in last_answer and "prix" not in footer[0].text, "the rule ends the last answer"
    profile = faq.profile
    assert (profile.name, profile.of_name) == ("Fondation Ombelle", "de la Fondation Ombelle")
    assert profile.contact.summary() == "presse@fondation-ombelle.fr, 05 56 12 34 78"
    assert profile.contact.address == "14, quai des Chartrons, 33300 Bordeaux"
    assert profile.press_signature == "Le service de presse de la Fondation Ombelle"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Chatbot:
    ingest_settings = IngestSettings(faq_path=OMBELLE)
    index_settings = IndexSettings.from_env(index_dir=tmp_path_factory.mktemp("ombelle") / "index", embedder="hash")
    build(ingest_settings, index_settings, embedder=HashEmbedder())
    retriever = load_retriever(ingest_settings, index_settings, embedder=HashEmbedder())
    return Chatbot(retriever, CopyingLLM(), ChatSettings(backend="copying"))


def test_answers_refusals_and_drafts_speak_for_the_fondation_ombelle(bot: Chatbot) -> None:
    answer = bot.ask("Quel est le budget annuel, en euros ?")
    assert not answer.abstained and "7,8 millions" in answer.text
    refusal = bot.ask("Quelle est la capitale du Japon ?")
    assert refusal.abstained and "FAQ de la Fondation Ombelle" in refusal.text
    assert "presse@fondation-ombelle.fr, 05 56 12 34 78" in refusal.text
    english = bot.ask("What is the capital of Japan?")
    assert english.abstained and "the Fondation Ombelle FAQ" in english.text
    draft = Drafter(bot).draft("Bonjour, quel est votre budget annuel, en euros ?")
    assert draft.body.rstrip().endswith("Le service de presse de la Fondation Ombelle")
    assert "**Sources (FAQ de la Fondation Ombelle)**" in draft.to_markdown()
    for text in (answer.text, refusal.text, english.text, draft.to_markdown()):
        assert "groupe sos" not in text.lower()


def test_draft_command_signs_for_the_other_organisation(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    index_dir = tmp_path / "index"
    assert main(["index", "--faq", str(OMBELLE), "--index-dir", str(index_dir), "--embedder", "hash"]) == 0
    out = tmp_path / "draft.docx"
    code = main(["draft", "--faq", str(OMBELLE), "--index-dir", str(index_dir), "--embedder", "hash",
                 "--llm", "tests.fakes:CopyingLLM", "--out", str(out),
                 "Bonjour, quel est votre budget annuel, en euros ?"])
    assert code == 0
    markdown = capsys.readouterr().out
    assert "Le service de presse de la Fondation Ombelle" in markdown and "Groupe SOS" not in markdown
    from docx import Document

    document = Document(str(out))
    assert document.core_properties.title == "Projet de réponse presse — Fondation Ombelle"
    assert any(p.text == "Sources (FAQ de la Fondation Ombelle)" for p in document.paragraphs)


def test_each_faq_gets_its_own_default_index_folder(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("FAQBOT_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    main_index = IndexSettings.from_env().index_dir
    assert main_index == tmp_path / "faqbot" / "index"
    other = IndexSettings.from_env(faq_path=OMBELLE).index_dir
    assert other.parent == main_index.parent and other.name.startswith("index-faq-fondation-ombelle-")
    monkeypatch.setenv("FAQBOT_FAQ", str(OMBELLE))
    assert IndexSettings.from_env().index_dir == other, "`faqbot ui --faq` reaches the app through FAQBOT_FAQ"
    monkeypatch.setenv("FAQBOT_INDEX_DIR", str(tmp_path / "mine"))
    assert IndexSettings.from_env(faq_path=OMBELLE).index_dir == tmp_path / "mine", "an explicit folder wins"


def test_the_chat_page_names_the_other_organisation(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`faqbot ui --faq other.md` reaches the app as FAQBOT_FAQ: titles, placeholder and refusals name it."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    index_dir = tmp_path / "index"
    build(IngestSettings(faq_path=OMBELLE), IndexSettings.from_env(index_dir=index_dir, embedder="hash"))
    for key, value in {"FAQBOT_FAQ": str(OMBELLE), "FAQBOT_INDEX_DIR": str(index_dir), "FAQBOT_EMBEDDER": "hash",
                       "FAQBOT_LLM": "tests.fakes:CopyingLLM", "FAQBOT_FEEDBACK_FILE": str(tmp_path / "fb.jsonl"),
                       "FAQBOT_FEEDBACK_CASES": str(tmp_path / "cases.jsonl")}.items():
        monkeypatch.setenv(key, value)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=30)
        at.run()
        assert not at.exception, at.exception
        assert at.title[0].value == "Questions sur la Fondation Ombelle"
        assert "FAQ officielle de la Fondation Ombelle" in at.caption[0].value
        at.chat_input(key="chat_prompt").set_value("Quelle est la capitale du Japon ?").run()
        page = "\n".join(m.value for m in at.main.markdown)
        assert "FAQ de la Fondation Ombelle" in page and "presse@fondation-ombelle.fr" in page
        assert "Groupe SOS" not in page
    finally:
        st.cache_resource.clear()
