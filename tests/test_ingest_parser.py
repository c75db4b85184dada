"""The FAQ parser: question headings at any level, table of contents, paraphrases, footer, plain text."""

from __future__ import annotations

from pathlib import Path

from ingest import IngestSettings, ingest, parse_faq
from tests.conftest import REAL_FAQ


def test_real_faq_has_thirteen_questions_and_a_contact_footer() -> None:
    faq = ingest(IngestSettings(faq_path=REAL_FAQ))
    assert list(faq.sections) == list(range(1, 14))
    assert faq.sections[4] == "Quel est le budget du Groupe SOS ?"
    footer = [c for c in faq.chunks if c.section is None]
    assert len(footer) == 1 and "info@groupe-sos.org" in footer[0].text
    assert faq.contact() == "info@groupe-sos.org, 01 58 30 55 55"
    assert faq.title == "13 QUESTIONS SUR LE GROUPE SOS"


def test_table_of_contents_becomes_paraphrases_not_a_chunk() -> None:
    faq = ingest(IngestSettings(faq_path=REAL_FAQ))
    texts = "\n".join(c.text for c in faq.chunks)
    # The table of contents lists "1. Quelles sont les valeurs ..." as a bullet: no chunk may hold it.
    assert "1. Quelles sont les valeurs" not in texts
    budget = next(c for c in faq.chunks if c.section == 4)
    assert "Le Groupe SOS a-t-il des fonds en réserve ?" in budget.aliases
    # Sub-questions that only the table of contents has are kept too.
    join = next(c for c in faq.chunks if c.section == 8)
    assert "Pourquoi des associations rejoignent-elles le Groupe SOS ?" in join.aliases
    assert "Pourquoi le Groupe SOS est-il sollicité pour reprendre des associations ?" in join.aliases


def test_question_paragraph_under_heading_is_not_answer_text() -> None:
    faq = ingest(IngestSettings(faq_path=REAL_FAQ))
    first_budget = next(c for c in faq.chunks if c.section == 4)
    assert first_budget.text.startswith("En 2022, le chiffre d'activité du Groupe SOS ressort à 1,367 milliard")


def test_markdown_noise_is_removed() -> None:
    faq = ingest(IngestSettings(faq_path=REAL_FAQ))
    texts = "\n".join(c.text for c in faq.chunks)
    assert "**" not in texts and "<sup>" not in texts and "](#)" not in texts
    assert "1er gestionnaire associatif d'établissements hospitaliers" in texts
    assert "groupe_sos" in texts  # the escaped underscore is unescaped, not dropped


def test_headings_at_any_level_and_sub_headings_stay_in_their_question(mini_faq: Path) -> None:
    faq = ingest(IngestSettings(faq_path=mini_faq))
    assert faq.sections == {1: "Qui sommes-nous ?", 2: "Quel est notre budget ?", 3: "Comment nous rejoindre ?"}
    values = [c for c in faq.chunks if c.section == 1]
    assert any("Nos valeurs" in c.text and "solidarité" in c.text for c in values)
    budget = next(c for c in faq.chunks if c.section == 2)
    assert budget.aliases == ("D’où vient l’argent ?", "L’association est-elle à l’équilibre ?")
    assert budget.text.startswith("En 2023")


def test_plain_heading_after_last_question_starts_the_footer(mini_faq: Path) -> None:
    faq = ingest(IngestSettings(faq_path=mini_faq))
    footer = [c for c in faq.chunks if c.section is None]
    assert len(footer) == 1
    assert "contact@exemple.org" in footer[0].text
    assert all("contact@exemple.org" not in c.text for c in faq.chunks if c.section == 3)
    assert faq.contact() == "contact@exemple.org, 04 72 00 00 00"


def test_unnumbered_question_headings_are_numbered_in_order() -> None:
    doc = parse_faq("# FAQ\n\n### Où êtes-vous ?\n\nÀ Paris.\n\n### Quand ouvrez-vous ?\n\nLe lundi.\n")
    assert [(s.number, s.title) for s in doc.sections] == [(1, "Où êtes-vous ?"), (2, "Quand ouvrez-vous ?")]


def test_plain_text_questions_are_found(plain_faq: Path) -> None:
    faq = ingest(IngestSettings(faq_path=plain_faq))
    assert faq.sections == {1: "Quand se réunit le club ?", 2: "Combien coûte l'adhésion ?",
                            3: "Peut-on proposer un livre ?"}
    fee = next(c for c in faq.chunks if c.section == 2)
    assert "15 euros" in fee.text


def test_plain_text_without_questions_degrades_to_one_untitled_section(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Le club existe depuis 2001.\n\nIl compte quarante membres.\n", encoding="utf-8")
    faq = ingest(IngestSettings(faq_path=path))
    assert [c.section for c in faq.chunks] == [None]
    assert "quarante membres" in faq.chunks[0].text
