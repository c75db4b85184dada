"""Press drafts: vouvoiement reply from the FAQ, traced sentences, flagged ones, sources appendix, exports."""

from __future__ import annotations

import io

import pytest

from chatbot import Chatbot, ChatSettings
from chatbot.draft import Drafter, extract_questions, tidy
from ingest import IngestSettings, InputError, ingest
from tests.conftest import REAL_FAQ
from tests.fakes import ScriptedLLM, ScriptedRetriever

TABLE = {"chiffre": {4: 0.72, 9: 0.5}, "dividende": {4: 0.7, 9: 0.6}, "météo": {7: 0.1}}
EMAIL = ("Bonjour,\nJe prépare un article sur le financement des associations. Pouvez-vous me confirmer le "
         "chiffre d'affaires 2022 du Groupe SOS ? Verse-t-il des dividendes ?\nCordialement,\nJeanne Martin")


def drafter(script, sentence_scores: dict[str, float] | None = None) -> tuple[Drafter, ScriptedLLM]:
    faq = ingest(IngestSettings(faq_path=REAL_FAQ))
    llm = ScriptedLLM(script=script)
    retriever = ScriptedRetriever(faq.chunks, TABLE)
    retriever.sentence_scores = sentence_scores or {}
    return Drafter(Chatbot(retriever, llm, ChatSettings(backend="scripted"), profile=faq.profile)), llm


RESULT = ("Le chiffre d'activité ne doit pas être confondu avec le résultat : le résultat 2021 du Groupe SOS "
          "s'établit à +5 millions d'euros, soit environ 0,4% du total du chiffre d'activité.")
BUDGET = "En 2022, le chiffre d'activité du Groupe SOS ressort à 1,367 milliard d'euros."


GOOD = ("Madame, Monsieur,\nEn 2022, le chiffre d'activité du Groupe SOS ressort à 1,367 milliard d'euros [1]. "
        "Le Groupe SOS ne dispose d'aucun actionnaire et n'a donc aucun dividende à reverser [2].\n"
        "Le service de presse du Groupe SOS")


def test_questions_are_found_in_an_email() -> None:
    email = ("Bonjour,\nJe prépare un article sur les refuges de montagne. Pouvez-vous me confirmer le budget 2023 "
             "du Club Azur ? Verse-t-il des rentes ?\nCordialement,\nJeanne Martin")
    assert extract_questions(email) == [
        "Pouvez-vous me confirmer le budget 2023 du Club Azur ?", "Verse-t-il des rentes ?"]


def test_draft_is_traced_and_has_an_appendix_quoting_the_faq() -> None:
    d, llm = drafter(lambda s, u: GOOD)
    draft = d.draft(EMAIL, tone="factuel", length="court")
    assert not draft.abstained and draft.flagged == []
    assert "vouvoie" in llm.calls[0]["system"].lower() and "factuel" in llm.calls[0]["system"]
    assert "Jeanne Martin" in llm.calls[0]["user"], "the journalist's message is in the prompt"
    markdown = draft.to_markdown()
    assert "**Sources (FAQ du Groupe SOS)**" in markdown
    assert "> « En 2022, le chiffre d'activité du Groupe SOS ressort à 1,367 milliard d'euros." in markdown
    assert "[1] Question 4 — Quel est le budget du Groupe SOS ?" in markdown


def test_faq_sentences_the_draft_leaves_out_are_quoted_before_its_closing_line() -> None:
    d, _ = drafter(lambda s, u: GOOD, {BUDGET: 0.8, RESULT: 0.78})
    draft = d.draft(EMAIL)
    lines = draft.body.split("\n")
    assert lines[-1] == "Le service de presse du Groupe SOS", "the signature stays last"
    assert lines[-5:-1] == ["", "Comme le précise notre FAQ :", f"- « {RESULT} » [1]", ""]
    assert BUDGET not in draft.body.split("Comme le précise")[1], "what the draft already says is not quoted"
    assert draft.flagged == [] and draft.verification["final"] == "llm"
    assert draft.verification["quoted"][0]["text"] == RESULT


def test_draft_claiming_the_faq_is_silent_is_replaced_by_its_quotes() -> None:
    """The small model's usual failure: "la FAQ ne traite pas ce point" when retrieval found the answer."""
    silent = "Madame, Monsieur,\nJe suis désolé, mais la FAQ ne traite pas de ce point [1].\nLe service de presse du Groupe SOS"
    d, _ = drafter(lambda s, u: silent, {BUDGET: 0.8})
    draft = d.draft(EMAIL)
    assert draft.body == f"Madame, Monsieur,\n\nComme le précise notre FAQ :\n- « {BUDGET} » [1]\n\nLe service de presse du Groupe SOS"
    assert draft.verification["final"] == "extractive" and draft.flagged == []
    assert not any(s.formula for s in draft.sentences if "1,367" in s.text), "the quote is traced, not skipped"


def test_what_a_press_officer_would_delete_first_is_tidied_away() -> None:
    """The journalist's question copied back, a meta line, a stray citation and a sentence cut off by the
    token limit go; the missing signature comes back; list markers and lead-ins are not flagged."""
    raw = ("Madame, Monsieur,\nJe vous remercie. Voici le projet de réponse :\n"
           "Pouvez-vous me confirmer le chiffre d'affaires 2022 du Groupe SOS [1] ?\n"
           f"Elle comprend :\n1. {BUDGET[:-1]} [1].\n[1\nLa gouvernance de l")
    assert tidy(raw, EMAIL, "Le service de presse du Groupe SOS") == ("Madame, Monsieur,\nJe vous remercie.\nElle comprend :\n"
                                f"1. {BUDGET[:-1]} [1].\n\nLe service de presse du Groupe SOS")
    d, _ = drafter(lambda s, u: raw)
    draft = d.draft(EMAIL)
    assert draft.flagged == [] and "Pouvez-vous" not in draft.body and "gouvernance de l" not in draft.body


def test_a_denied_fact_stated_plainly_is_flagged() -> None:
    """Seen in a real draft: "Je vous confirme également que le Groupe SOS verse des dividendes à des
    actionnaires [2]." — the FAQ says the opposite; the sentence is flagged, not passed as traced."""
    flip = GOOD.replace("ne dispose d'aucun actionnaire et n'a donc aucun dividende à reverser",
                        "verse des dividendes à des actionnaires")
    d, _ = drafter(lambda s, u: flip)
    draft = d.draft(EMAIL)
    assert [s.text for s in draft.flagged] == ["Le Groupe SOS verse des dividendes à des actionnaires [2]."]
    assert any(p.startswith("polarity") for p in draft.flagged[0].problems)


def test_untraceable_sentence_is_visibly_flagged() -> None:
    bad = GOOD.replace("Le service de presse", "Le Groupe SOS emploie 50 000 salariés en France [1].\nLe service de presse")
    d, _ = drafter(lambda s, u: bad)
    draft = d.draft(EMAIL)
    assert [s.text for s in draft.flagged] == ["Le Groupe SOS emploie 50 000 salariés en France [1]."]
    assert "figures: 50 000" in draft.flagged[0].problems
    assert "**⚠ À vérifier :** Le Groupe SOS emploie 50 000" in draft.to_markdown()
    assert draft.verification["attempts"] == 2, "an unsupported figure triggers one stricter regeneration"


def test_docx_export_highlights_flagged_sentences() -> None:
    from docx import Document

    from ui.export import draft_docx

    bad = GOOD.replace("[2].", "[2]. Il est coté en bourse depuis 1999 [2].")
    d, _ = drafter(lambda s, u: bad)
    document = Document(io.BytesIO(draft_docx(d.draft(EMAIL))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "[À VÉRIFIER : absent des sources]" in text and "Sources (FAQ du Groupe SOS)" in text
    highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color]
    assert any("1999" in t for t in highlighted)


def test_message_outside_the_faq_gives_no_draft_and_no_llm_call() -> None:
    d, llm = drafter(lambda s, u: GOOD)
    draft = d.draft("Quelle sera la météo à Paris demain ?")
    assert draft.abstained and llm.calls == [] and "FAQ" in draft.body


def test_invalid_tone_is_refused() -> None:
    d, _ = drafter(lambda s, u: GOOD)
    with pytest.raises(InputError, match="choose one of factuel, institutionnel"):
        d.draft(EMAIL, tone="familier")
