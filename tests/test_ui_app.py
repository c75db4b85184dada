"""The Streamlit chat UI with the scripted LLM (AppTest), its HTML rendering, feedback and `faqbot ui`."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import ClassVar

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from chatbot import Chatbot, ChatSettings
from chatbot.answer import Answer
from chatbot.draft import Draft, DraftSentence
from eval.cases import load_cases
from eval.checks import judge
from index import IndexSettings, build, load_retriever
from index.retriever import Hit
from ingest import Chunk, IngestSettings
from tests.conftest import REPO
from tests.fakes import ScriptedLLM, question_of
from ui import feedback
from ui.app_html import REPLACE_NOTES, answer_html, draft_html, replace_note, sources_html
from ui.cli import main

APP = str(REPO / "ui" / "app.py")
# A fictional FAQ (a railway heritage association): what the app indexes and answers from in these tests.
RAIL_FAQ = """# 5 QUESTIONS SUR LES AMIS DU RAIL

- 1. Qui sont les Amis du Rail ?**
- 2. Qui dirige l'association ?**
- 3. Que font les bénévoles ?**
- 4. Quel budget pour les Amis du Rail ?** *D'où viennent les recettes ? Les comptes sont-ils à jour ?*
- 5. Comment devenir bénévole ?**

# 1. Qui sont les Amis du Rail ?

Des cheminots retraités ont fondé les Amis du Rail en 1971 pour sauver la petite ligne à voie étroite de la \
vallée du Lis. L'association réunit aujourd'hui 640 adhérents, passionnés de trains anciens.

# 2. Qui dirige l'association ?

L'assemblée d'automne élit un bureau de six membres bénévoles. Lucien Carvin, ancien chef de gare, le préside \
depuis trois saisons.

# 3. Que font les bénévoles ?

Les bénévoles restaurent deux locomotives à vapeur et font rouler un train touristique chaque dimanche d'été. \
L'atelier de la gare reçoit aussi des classes pour des visites commentées.

# 4. Quel budget pour les Amis du Rail ?

*D'où viennent les recettes ? Les comptes sont-ils à jour ?*

En 2023, les Amis du Rail ont disposé d'un budget de 1,84 million d'euros. La billetterie du train touristique en \
apporte un tiers, les adhésions et les dons couvrent le reste.

Les comptes de 2022 se sont clos sur un léger excédent, versé aussitôt à la réfection des voitures de voyageurs.

# 5. Comment devenir bénévole ?

Il suffit de passer à l'atelier un samedi matin : un ancien vous montre les gestes de base avant de vous confier \
un chantier.

# Amis du Rail

## Contact

3 avenue de la Gare 63390 Montlis

04 73 00 12 34

contact@amis-du-rail.example
"""
BUDGET = "Quel est le budget des Amis du Rail ?"
GOOD = "En 2023, les Amis du Rail ont disposé d'un budget de 1,84 million d'euros [1]."
# Mostly the passage's own words, so that verification keeps it and the page shows it.
INJECTED = ("En 2023, les Amis du Rail ont disposé d'un budget de 1,84 million d'euros, dont un tiers apporté par la "
            "billetterie du train touristique <script>alert('x')</script><img src=x onerror=alert('y')> [1].")
DRAFT_REPLY = ("Madame, Monsieur,\nEn 2023, les Amis du Rail ont disposé d'un budget de 1,84 million d'euros [1]. "
               "Les Amis du Rail emploient 300 salariés en France [1].\nLe service de presse des Amis du Rail")
EMAIL = ("Bonjour,\nPouvez-vous me confirmer le budget 2023 des Amis du Rail ?\nCordialement,\n"
         "Jeanne Martin <script>alert('mail')</script>")


def ui_script(system: str, user: str) -> str:
    """Scripted replies for the UI tests: follow-up rewrite, drafts, injection, a first answer that fails
    verification, the budget answer, and the model's own refusal for anything else."""
    question = question_of(user)
    if "reformules" in system:
        return "Quel est le budget des Amis du Rail en 2023 ?" if "2023" in question else question
    if "service de presse" in system:
        return DRAFT_REPLY + (" <img src=x onerror=alert('d')>" if "<script>" in user else "")
    if "script" in question:
        return INJECTED
    if "exact" in question and "réponse précédente" not in system:
        return "Le budget des Amis du Rail est de 9 millions d'euros [1]."
    if "budget" in question.lower():
        return GOOD
    return "HORS_FAQ"


class UiLLM(ScriptedLLM):
    """The scripted model with the UI script (selected with FAQBOT_LLM=tests.test_ui_app:UiLLM)."""

    created: ClassVar[list[UiLLM]] = []  # the app builds its own instance: tests read its calls here

    def __init__(self, settings=None) -> None:
        super().__init__(settings, script=ui_script)
        UiLLM.created.append(self)


def _fail(system: str, user: str) -> str:
    raise RuntimeError("le serveur du modèle a planté")


class FailingLLM(ScriptedLLM):
    """A model that fails on its first token (after retrieval is done)."""

    def __init__(self, settings=None) -> None:
        super().__init__(settings, script=_fail)


class CrashingLLM(UiLLM):
    """A backend with a bug: an exception that is not an expected faqbot error."""

    def stream(self, messages, **kwargs):
        raise ValueError("bug in a backend")


@pytest.fixture(scope="module")
def rail_faq(tmp_path_factory) -> Path:
    """The fictional FAQ as a file, as the app reads it."""
    path = tmp_path_factory.mktemp("rail") / "faq_amis_du_rail.md"
    path.write_text(RAIL_FAQ, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hash_index_dir(tmp_path_factory, rail_faq) -> Path:
    """The fictional FAQ indexed with hashed embeddings (built once for the module: it is read-only)."""
    idx = IndexSettings.from_env(index_dir=tmp_path_factory.mktemp("ui") / "idx", embedder="hash")
    build(IngestSettings(faq_path=rail_faq), idx)
    return idx.index_dir


@pytest.fixture
def ui_env(hash_index_dir, rail_faq, tmp_path, monkeypatch) -> dict[str, Path]:
    """Settings for the app: the hash index, the scripted UI model, feedback files in the test's folder."""
    paths = {"feedback": tmp_path / "feedback.jsonl", "cases": tmp_path / "cases.jsonl"}
    monkeypatch.setenv("FAQBOT_INDEX_DIR", str(hash_index_dir))
    monkeypatch.setenv("FAQBOT_EMBEDDER", "hash")
    monkeypatch.setenv("FAQBOT_FAQ", str(rail_faq))
    monkeypatch.setenv("FAQBOT_LLM", "tests.test_ui_app:UiLLM")
    monkeypatch.setenv("FAQBOT_FEEDBACK_FILE", str(paths["feedback"]))
    monkeypatch.setenv("FAQBOT_FEEDBACK_CASES", str(paths["cases"]))
    monkeypatch.setenv("FAQBOT_UI_HOST", "127.0.0.1")  # as `faqbot ui` sets it
    st.cache_resource.clear()  # each test chooses its own backend and index through the environment
    yield paths
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def never_the_repo_cases_file(tmp_path, monkeypatch) -> None:
    """No test may append to eval/cases/feedback.jsonl in the repository."""
    monkeypatch.setenv("FAQBOT_FEEDBACK_CASES", str(tmp_path / "cases.jsonl"))
    monkeypatch.setenv("FAQBOT_FEEDBACK_FILE", str(tmp_path / "feedback.jsonl"))


def start() -> AppTest:
    """The app, first run done (models loaded through the cache)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def staff(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The staff page (`faqbot ui --staff` on 127.0.0.1), first run done."""
    monkeypatch.setenv("FAQBOT_STAFF", "1")
    at = start()
    at.switch_page("app_staff.py").run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    """Send a chat message and run the app until the answer is drawn."""
    at.chat_input(key="chat_prompt").set_value(question).run()
    assert not at.exception, at.exception
    return at


def html_of(at: AppTest) -> str:
    """Everything drawn with Markdown/HTML in the main area, in page order (not the style sheet)."""
    return "\n".join(m.value for m in at.main.markdown if not m.value.startswith("<style>"))


def errors(at: AppTest) -> str:
    """Every error message on the page."""
    return "\n".join(e.value for e in at.error)


def chunk(text: str, section: int = 4, title: str = "Quel budget pour les Amis du Rail ?") -> Chunk:
    """A FAQ passage for the rendering and feedback unit tests."""
    return Chunk(chunk_id=f"q{section:02d}-test", section=section, title=title, text=text)


# --- the chat page -------------------------------------------------------------------------------------------------


def test_answer_streams_with_linked_sources(ui_env) -> None:
    at = ask(start(), BUDGET)
    page = html_of(at)
    assert "1,84 million" in page and 'data-state="final"' in page
    assert '<a class="faq-cite" href="#source-1-1">[1]</a>' in page
    assert 'id="source-1-1"' in page and "Question 4 — Quel budget pour les Amis du Rail ?" in page
    assert "<mark>En 2023, les Amis du Rail ont disposé d&#x27;un budget de 1,84 million" in page
    assert page.index("faq-answer") < page.index("faq-sources"), "sources are laid out under the answer"
    assert len(at.feedback) == 1 and not errors(at)


def test_the_public_page_shows_only_the_chat(ui_env) -> None:
    at = ask(start(), BUDGET)
    at.feedback[0].set_value(1).run()
    everything = html_of(at) + "\n".join(c.value for c in at.caption) + "\n".join(m.value for m in at.sidebar.markdown)
    assert len(at.sidebar) == 0 and not at.selectbox and not at.slider and not at.text_area
    assert [b.key for b in at.button] == ["new_conversation"]
    assert [r.key for r in at.radio] == []  # the only radio is a thumbs-down's reason
    assert str(IndexSettings.from_env().index_dir) not in everything and "tests.test_ui_app" not in everything
    assert "scripted" not in everything and "Brouillon" not in everything


def test_the_staff_page_is_off_unless_enabled(ui_env, monkeypatch) -> None:
    at = start()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("app_staff.py")  # not registered without `--staff`
    at = staff(monkeypatch)
    manifest = json.loads((Path(IndexSettings.from_env().index_dir) / "manifest.json").read_text())
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert manifest["faq"]["sha256"][:12] in sidebar and f"**Passages** : {manifest['chunk_count']}" in sidebar
    assert at.sidebar.selectbox(key="backend").options[1:] == ["llamacpp", "ollama", "openai"]


def test_the_staff_page_asks_for_its_token_or_stays_on_this_machine(ui_env, monkeypatch) -> None:
    monkeypatch.setenv("FAQBOT_STAFF", "1")
    monkeypatch.setenv("FAQBOT_UI_HOST", "0.0.0.0")
    at = start()
    at.switch_page("app_staff.py").run()
    assert "FAQBOT_STAFF_TOKEN" in errors(at) and not at.sidebar.selectbox
    monkeypatch.setenv("FAQBOT_STAFF_TOKEN", "jeton-équipe")
    at.run()
    at.text_input(key="staff_token").input("mauvais").run()
    assert "Jeton incorrect" in errors(at) and not at.sidebar.selectbox
    at.text_input(key="staff_token").input("jeton-équipe").run()
    assert at.sidebar.selectbox(key="backend") is not None and not errors(at)


def test_sources_are_shown_before_the_first_token(ui_env, monkeypatch, caplog) -> None:
    # The model fails before producing any token: the passages retrieved before it was called are on the page.
    monkeypatch.setenv("FAQBOT_LLM", "tests.test_ui_app:FailingLLM")
    at = ask(start(), BUDGET)
    assert "momentanément indisponible" in errors(at) and "le serveur du modèle a planté" in caplog.text
    page = html_of(at)
    assert 'id="source-1-1"' in page and "Question 4" in page and 'class="faq-answer' not in page


def test_follow_up_shows_the_understood_question_and_new_conversation_clears(ui_env) -> None:
    at = ask(start(), BUDGET)
    at = ask(at, "Et en 2023 ?")
    page = html_of(at)
    assert "Question comprise : Quel est le budget des Amis du Rail en 2023 ?" in page
    assert len(at.chat_message) == 4, "two questions and two answers in the history"
    assert 'id="source-2-1"' in page and 'href="#source-2-1"' in page, "each turn links to its own sources"
    at.button(key="new_conversation").click().run()
    assert len(at.chat_message) == 0 and "1,84" not in html_of(at)


def test_abstention_is_styled_apart_and_lists_the_faq_topics(ui_env) -> None:
    at = ask(start(), "Quelle est la capitale du Japon ?")
    page = html_of(at)
    assert 'class="faq-abstain faq-answer"' in page
    assert "La FAQ répond aux questions suivantes" in page and "4. Quel budget pour les Amis du Rail ?" in page
    assert 'class="faq-cite' not in page


def test_replaced_answer_gets_a_note(ui_env) -> None:
    at = ask(start(), "Quel est le budget exact des Amis du Rail ?")
    page = html_of(at)
    assert "9 millions" not in page and "1,84 million" in page
    # Regenerated strictly or replaced by a quote (the chatbot decides which): either way, a note says why.
    assert any(f'<div class="faq-note">{REPLACE_NOTES[r]}</div>'.replace("'", "&#x27;") in page
               for r in ("strict", "extractive")), page


def test_replacement_that_only_adds_citations_needs_no_note() -> None:
    assert replace_note("llm", "Le budget est de 1,84 million.", "Le budget est de 1,84 million [1].") is None
    assert replace_note("strict", "9 millions [1].", "1,84 million [1].").startswith("Réponse régénérée")


def test_the_public_gets_the_servers_settings_and_the_staff_its_own(ui_env, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FAQBOT_LENGTH", "developpe")  # the server's setting is what the public gets
    ask(start(), BUDGET)
    assert any("quatre à six phrases" in c["user"] for c in UiLLM.created[-1].calls), "the long-answer prompt"
    at = staff(monkeypatch)
    assert at.sidebar.slider(key="k").value == 4 and at.sidebar.radio(key="length").value == "developpe"
    monkeypatch.setenv("FAQBOT_MODELS_DIR", str(tmp_path / "no-models"))  # no real model loads in unit tests
    at.sidebar.selectbox(key="backend").set_value("llamacpp").run()
    assert at.sidebar.selectbox(key="llama_model").options == ["qwen-1.5b", "qwen-0.5b"]
    at.text_area(key="draft_request").input(EMAIL)
    at.button(key="draft_go").click().run()
    assert "make models" in errors(at) and not at.exception


# --- errors --------------------------------------------------------------------------------------------------------


def test_missing_index_is_unavailable_for_the_public_and_explained_to_the_staff(ui_env, tmp_path, monkeypatch,
                                                                               caplog) -> None:
    monkeypatch.setenv("FAQBOT_INDEX_DIR", str(tmp_path / "nowhere"))
    at = ask(start(), BUDGET)
    assert "momentanément indisponible" in errors(at) and str(tmp_path) not in errors(at) and not at.exception
    assert "run `faqbot index`" in caplog.text  # the cause is in the server log
    at = staff(monkeypatch)
    warnings = "\n".join(w.value for w in at.warning)
    assert "make index" in warnings and "faqbot index" in warnings


def test_empty_message_is_refused_readably(ui_env) -> None:
    at = ask(start(), "   \n ")
    assert "Votre message est vide" in errors(at)


def test_huge_message_is_truncated_with_a_notice(ui_env) -> None:
    at = ask(start(), "budget " * 2900)  # about 20,000 characters
    assert any("tronquée" in i.value for i in at.info)
    assert not errors(at)


def test_backend_down_is_logged_with_its_address(ui_env, monkeypatch, caplog) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("FAQBOT_LLM", "ollama")
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{port}")
    at = ask(start(), BUDGET)
    assert "momentanément indisponible" in errors(at) and str(port) not in errors(at)
    assert f"Ollama is not reachable at http://127.0.0.1:{port}" in caplog.text


def test_unexpected_error_is_logged_and_shown_in_french(ui_env, monkeypatch, caplog) -> None:
    monkeypatch.setenv("FAQBOT_LLM", "tests.test_ui_app:CrashingLLM")
    at = ask(start(), BUDGET)
    assert "Une erreur inattendue est survenue" in errors(at) and "Traceback" not in errors(at)
    assert "bug in a backend" in caplog.text


# --- safety --------------------------------------------------------------------------------------------------------


def test_html_in_questions_and_answers_is_escaped(ui_env) -> None:
    at = ask(start(), "Quel est le budget des Amis du Rail ? <script>alert('q')</script>")
    page = html_of(at)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;" in page, "the question is shown, escaped"
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(&#x27;y&#x27;)&gt;" in page, \
        "the answer is shown, escaped"


def test_html_in_faq_passages_and_drafts_is_escaped() -> None:
    hit = Hit(chunk("Le budget <img src=x onerror=alert(1)> est de 1,84 million d'euros."), 0.9, 0.9, 0.0, 1)
    cards = sources_html([hit], 1, "Le budget est de 1,84 million d'euros [1].", marks={1: {0}})
    assert "<img" not in cards and "&lt;img src=x onerror=alert(1)&gt;" in cards and "<mark>" in cards
    assert "<script" not in answer_html("<script>x</script> [1]", 1, 1)
    draft = Draft(request="r", questions=("q",), tone="factuel", length="court",
                  body="Madame, Monsieur,\n<script>alert(1)</script> [1].", sources=(hit,), abstained=False,
                  sentences=(DraftSentence("<script>alert(1)</script> [1].", (1,), False, ("x",)),))
    body = draft_html(draft)
    assert "<script" not in body and "⚠ À vérifier" in body


def test_highlight_marks_the_sentence_supporting_the_models_words_not_the_quotes() -> None:
    from chatbot.answer import Answer, Quote
    from chatbot.verify import verify

    passage = ("Les Amis du Rail entretiennent 14 kilomètres de voie.\nEn 2023, le budget de l'association atteint "
               "1,84 million d'euros. Les comptes sont positifs.")
    hit = Hit(chunk(passage), 0.9, 0.9, 0.0, 1)
    own = "En 2023, le budget de l'association atteint 1,84 million d'euros [1]."
    quote = "Les Amis du Rail entretiennent 14 kilomètres de voie."
    checked = verify(own, [passage], "Quel est le budget de l'association ?")
    answer = Answer(question="q", text=f"{own}\n\nLa FAQ précise :\n- « {quote} » [1]", abstained=False,
                    sources=(hit,), backend="b", model="m", model_text=own, claims=tuple(checked.claims),
                    quotes=(Quote(1, 4, quote, 0.7),))
    assert answer.support() == {1: {1}}, "the supporting sentence, not the quoted one"
    cards = sources_html([hit], 1, answer.text, marks=answer.support())
    assert "<mark>En 2023, le budget" in cards and f"<mark>{quote}" not in cards


# --- press-officer drafts -----------------------------------------------------------------------------------------


def test_draft_mode_writes_a_sourced_reply_with_flags_copy_and_downloads(ui_env, monkeypatch) -> None:
    at = staff(monkeypatch)
    at.text_area(key="draft_request").input(EMAIL)
    at.radio(key="draft_tone").set_value("factuel")
    at.button(key="draft_go").click().run()
    assert not at.exception and not errors(at), errors(at)
    page = html_of(at)
    assert "Madame, Monsieur," in page and "Le service de presse des Amis du Rail" in page
    assert '<span class="faq-flag-label">⚠ À vérifier :</span> Les Amis du Rail emploient 300 salariés' in page
    assert "1 phrase à vérifier" in page and "figures: 300" in page
    assert "Sources (FAQ des Amis du Rail)" in page and "Question 4 — Quel budget pour les Amis du Rail ?" in page
    assert "<script" not in page and "<img" not in page and "&lt;img src=x onerror=alert(&#x27;d&#x27;)&gt;" in page
    markdown = at.code[0].value
    assert "**⚠ À vérifier :** Les Amis du Rail emploient 300" in markdown
    assert "**Sources (FAQ des Amis du Rail)**" in markdown
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Télécharger (.md)", "Télécharger (.docx)"]


def test_draft_with_empty_request_is_refused_readably(ui_env, monkeypatch) -> None:
    at = staff(monkeypatch)
    at.button(key="draft_go").click().run()
    assert "Votre message est vide" in errors(at) and not at.exception


# --- feedback and regression cases ----------------------------------------------------------------------------------


def accept_on_staff_page(monkeypatch, cases: Path) -> AppTest:
    """Accept the newest pending rating on the staff page, writing its case to `cases`."""
    at = staff(monkeypatch)
    at.text_input(key="review_cases").input(str(cases)).run()
    at.button(key=next(b.key for b in at.button if b.key.startswith("accept-"))).click().run()
    assert not at.exception, at.exception
    return at


def test_a_public_thumbs_up_is_logged_and_becomes_a_case_only_when_staff_accepts_it(ui_env, monkeypatch,
                                                                                   tmp_path) -> None:
    at = ask(start(), BUDGET)
    at.feedback[0].set_value(1).run()
    record = json.loads(ui_env["feedback"].read_text(encoding="utf-8"))
    assert record["rating"] == "up" and record["reason"] is None and record["question"] == BUDGET
    assert record["sources"][0]["section"] == 4 and "1,84" in record["sources"][0]["text"]
    assert {"id", "timestamp", "standalone_question", "answer", "abstained", "backend", "model"} <= set(record)
    assert not [b for b in at.button if b.key.startswith("case-")]
    assert not ui_env["cases"].exists(), "a public click writes no case"
    chosen = tmp_path / "staff-cases.jsonl"
    at = accept_on_staff_page(monkeypatch, chosen)
    assert "ajouté" in at.success[0].value and not ui_env["cases"].exists()
    (case,) = load_cases([chosen])
    assert case.kind == "answer" and case.expect_sections == (4,) and case.must_include == (("1.84", "184"),)
    assert case.id.startswith("fb-") and case.question == BUDGET
    assert not [b for b in at.button if b.key.startswith("accept-")], "a decided rating leaves the list"
    # The case passes when the chatbot answers as it did (what `faqbot eval` checks).
    bot = Chatbot(load_retriever(IngestSettings.from_env(), IndexSettings.from_env()), UiLLM(), ChatSettings())
    replay = bot.ask(case.question, case.history)
    verdict = judge(case, replay.text, replay.abstained, [h.chunk.section for h in replay.sources])
    assert verdict["passed"], verdict


def test_follow_up_case_keeps_its_history(ui_env, monkeypatch) -> None:
    at = ask(ask(start(), BUDGET), "Et en 2022 ?")
    at.feedback[1].set_value(1).run()
    accept_on_staff_page(monkeypatch, ui_env["cases"])
    (case,) = load_cases([ui_env["cases"]])
    assert case.history == (("user", BUDGET), ("assistant", GOOD))
    assert case.question == "Et en 2022 ?"


def test_thumbs_down_should_have_refused_makes_a_refuse_case_once_accepted(ui_env, monkeypatch) -> None:
    at = ask(start(), BUDGET)
    at.feedback[0].set_value(0).run()
    assert not ui_env["feedback"].exists(), "a thumbs down waits for its reason"
    at.radio(key="fb-reason-1").set_value("aurait dû refuser").run()
    record = json.loads(ui_env["feedback"].read_text(encoding="utf-8"))
    assert record["rating"] == "down" and record["reason"] == "aurait dû refuser"
    accept_on_staff_page(monkeypatch, ui_env["cases"])
    (case,) = load_cases([ui_env["cases"]])
    assert case.kind == "refuse" and case.must_include == ()


def test_tone_complaint_is_logged_but_makes_no_case(ui_env, monkeypatch) -> None:
    at = ask(start(), BUDGET)
    at.feedback[0].set_value(0).run()
    at.radio(key="fb-reason-1").set_value("ton").run()
    assert json.loads(ui_env["feedback"].read_text(encoding="utf-8"))["reason"] == "ton"
    at = staff(monkeypatch)
    assert not [b for b in at.button if b.key.startswith("accept-")]
    assert any("à la main" in c.value for c in at.caption)
    at.button(key=next(b.key for b in at.button if b.key.startswith("reject-"))).click().run()
    assert any("Aucun avis en attente" in i.value for i in at.info) and not ui_env["cases"].exists()


def answer(text: str, passages: list[str], *, abstained: bool = False, question: str = BUDGET,
           standalone: str | None = None) -> Answer:
    """A finished answer whose sources are the given passages (numbered from section 4)."""
    hits = tuple(Hit(chunk(p, section=4 + i), 0.8, 0.8, 0.0, i + 1) for i, p in enumerate(passages))
    return Answer(question=question, text=text, abstained=abstained, sources=hits, backend="scripted",
                  model="m", standalone_question=standalone)


def test_wrong_fact_case_forbids_the_unsupported_figures() -> None:
    wrong = answer("Le budget est de 9 millions d'euros [1].", ["Le budget annuel atteint 1,84 million."])
    case = feedback.regression_case(wrong, (), rating="down", reason=feedback.WRONG_FACT)
    assert case is not None and case.kind == "answer" and case.must_not_include == ("9 millions",)


def test_case_without_figures_keeps_distinctive_words_of_the_cited_passage() -> None:
    passage = ("Le Conservatoire veille sur les archives des Amis du Rail. Son doyen, Paul-Henri Carvin, en fixe "
               "l'ordre du jour avec deux anciens mécaniciens.")
    good = answer("Le Conservatoire est présidé par Paul-Henri Carvin [1].", [passage], question="Qui le préside ?")
    case = feedback.regression_case(good, (("user", "Qui dirige ?"), ("assistant", "Le Conservatoire.")), rating="up")
    assert case is not None and case.expect_sections == (4,)
    assert case.must_include == (("conservatoire",), ("carvin",))
    assert case.history == (("user", "Qui dirige ?"), ("assistant", "Le Conservatoire."))


def test_figures_echoed_from_the_question_and_years_are_not_required() -> None:
    passage = "En 2023, le budget atteint 1,84 million d'euros, pour 14 kilomètres de voie."
    good = answer("En 2023, le budget est de 1,84 million d'euros [1].", [passage],
                  question="Quel est le budget de 2023 ?")
    assert feedback.figure_groups(good.text, [passage], good.question) == [["1.84", "184"]]
    assert feedback.figure_groups("Elle a été fondée en 1971 [1].", ["Fondée en 1971."]) == [["1971"]]


def test_case_ids_are_stable_and_never_duplicated(tmp_path) -> None:
    good = answer(GOOD, ["En 2023, les Amis du Rail ont disposé d'un budget de 1,84 million d'euros."])
    first = feedback.regression_case(good, (), rating="up")
    again = feedback.regression_case(good, (), rating="up")
    assert first is not None and again is not None and first.id == again.id
    path = tmp_path / "cases.jsonl"
    assert feedback.add_case(path, first) is True and feedback.add_case(path, again) is False
    assert len(load_cases([path])) == 1
    refused = answer("Je ne peux pas répondre.", [], abstained=True)
    assert feedback.regression_case(refused, (), rating="up").kind == "refuse"
    assert feedback.regression_case(refused, (), rating="down", reason=feedback.WRONG_FACT) is None


def test_feedback_paths_default_to_the_user_data_folder_and_the_repo_cases(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("FAQBOT_FEEDBACK_FILE")
    monkeypatch.delenv("FAQBOT_FEEDBACK_CASES")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert feedback.feedback_file() == tmp_path / "faqbot" / "feedback.jsonl"
    assert feedback.cases_file() == REPO / "eval" / "cases" / "feedback.jsonl"


# --- faqbot ui -----------------------------------------------------------------------------------------------------


def test_ui_command_runs_streamlit_with_the_settings_in_the_environment(tmp_path) -> None:
    from ui.cli import build_parser
    from ui.cmd_ui import streamlit_command, ui_env, ui_url

    args = build_parser().parse_args(["ui", "--index-dir", str(tmp_path / "idx"), "--llm", "ollama", "-k", "3",
                                      "--port", "8600"])
    env = ui_env(args, base={})
    assert env["FAQBOT_INDEX_DIR"] == str((tmp_path / "idx").resolve()) and env["FAQBOT_LLM"] == "ollama"
    assert env["FAQBOT_K"] == "3" and env["HF_HUB_OFFLINE"] == "1"
    command = streamlit_command(args.host, args.port)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("ui/app.py")
    for flag, value in (("--server.port", "8600"), ("--server.address", "127.0.0.1"),
                        ("--server.headless", "true"), ("--browser.gatherUsageStats", "false")):
        assert command[command.index(flag) + 1] == value
    assert ui_url("127.0.0.1", 8501) == "http://localhost:8501"


def test_ui_command_refuses_a_bad_port(capsys) -> None:
    assert main(["ui", "--port", "70000"]) == 2
    assert "--port must be between 1 and 65535" in capsys.readouterr().err


def test_faq_quotes_under_an_answer_are_set_apart_with_linked_citations() -> None:
    text = ("Le budget atteint 1,84 million d'euros [1].\n\nLa FAQ précise :\n"
            "- « Les Amis du Rail bouclent leurs comptes sans déficit depuis dix ans. » [2]")
    out = answer_html(text, 3, 2, final=True)
    assert '<div class="faq-quote-head">La FAQ précise :</div>' in out
    assert ('<div class="faq-quote">« Les Amis du Rail bouclent leurs comptes sans déficit depuis dix ans. » '
            '<a class="faq-cite" href="#source-3-2">[2]</a></div>') in out
    assert "- «" not in out and "\n\n" not in out, "one HTML block, the list dash dropped"
    plain = answer_html("- « pas une citation de la FAQ » et une affirmation [1].", 1, 1)
    assert "faq-quote" not in plain, "only a line that is a quote of ours is set apart"


# --- many visitors at once -------------------------------------------------------------------------------------


def test_a_waiting_visitor_is_told_their_place_and_a_full_queue_when_to_come_back(monkeypatch) -> None:
    import threading

    from chatbot.queue import QueueFull, RequestQueue
    from ui import app_state

    queue = RequestQueue(slots=1, max_waiting=2)
    monkeypatch.setattr(app_state, "get_queue", lambda backend: queue)
    monkeypatch.setattr(app_state, "session_client", lambda: "visitor")
    running, ahead = queue.enter("first"), queue.enter("second")
    shown: list[str] = []

    class Slot:
        def markdown(self, text: str, **kwargs) -> None:
            shown.append(text)

        def empty(self) -> None:
            shown.append("")

    def serve_the_others() -> None:
        running.release()  # "second" runs, our visitor is next
        threading.Timer(0.6, ahead.release).start()

    threading.Timer(0.6, serve_the_others).start()
    config = app_state.UiConfig(IngestSettings(), IndexSettings.from_env(), ChatSettings())
    ticket = app_state.wait_for_turn(config, Slot())
    assert ticket.granted and shown[-1] == ""
    places = [s for s in shown if s]
    assert "n° 2 dans la file d'attente" in places[0]
    assert "la vôtre commence juste après" in places[-1] and 'class="faq-queue"' in places[0]
    ticket.release()
    assert "Réessayez dans 7 secondes" in app_state.public_failure(QueueFull("full", 7))
