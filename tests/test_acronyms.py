"""Acronyms a FAQ spells out without writing them: found from its own text, added to a query that uses them."""

from __future__ import annotations

from ingest.acronyms import expand_acronyms, spelled_acronyms

TEXT = ("La fondation est un acteur de l'économie circulaire et locale. Elle défend l'économie circulaire et locale "
        "auprès des mairies. Ses ateliers de réparation ouverts sont gratuits. Le conseil d'administration se réunit "
        "chaque mois ; le conseil d'administration vote le budget. Protection des mineurs isolés : une priorité.")


def test_a_phrase_written_twice_gives_its_initials() -> None:
    acronyms = spelled_acronyms([TEXT])
    assert acronyms["ecl"] == "économie circulaire et locale"


def test_a_phrase_met_once_two_letters_or_across_a_sentence_give_nothing() -> None:
    acronyms = spelled_acronyms([TEXT])
    assert "aro" not in acronyms  # « ateliers de réparation ouverts »: once only
    assert "pmi" not in acronyms
    assert "ca" not in acronyms  # two letters: too many phrases would fit
    assert not any(phrase.endswith("Elle") or "mairies Ses" in phrase for phrase in acronyms.values())


def test_initials_the_text_writes_itself_are_not_spelled_out() -> None:
    written = TEXT + " L'ECL organise des visites."
    assert "ecl" not in spelled_acronyms([written])


def test_a_query_using_the_acronym_carries_its_phrase() -> None:
    acronyms = spelled_acronyms([TEXT])
    assert expand_acronyms("La fondation fait-elle partie de l'ECL ?", acronyms) == (
        "La fondation fait-elle partie de l'ECL (économie circulaire et locale) ?")
    assert expand_acronyms("Et la SNCF ?", acronyms) == "Et la SNCF ?"
    assert expand_acronyms("Et l'ECL ?", {}) == "Et l'ECL ?"


def test_a_question_using_the_acronym_finds_the_passage_that_spells_it_out(tmp_path) -> None:
    """« Que fait l'ECL ? »: the FAQ writes only « économie circulaire et locale », twice, in its second question."""
    from index import IndexSettings, build, load_retriever
    from ingest import IngestSettings

    faq = tmp_path / "faq.md"
    faq.write_text("# FAQ de la Fondation Exemple\n\n## 1. Qui dirige la fondation ?\n\nLa fondation est dirigée par "
                   "un bureau de cinq bénévoles, élus chaque année par les adhérents.\n\n## 2. Que défend la "
                   "fondation ?\n\nLa fondation défend l'économie circulaire et locale auprès des mairies. Ses "
                   "ateliers font connaître l'économie circulaire et locale aux habitants.\n", encoding="utf-8")
    ingest_settings = IngestSettings(faq_path=faq)
    index_settings = IndexSettings.from_env(index_dir=tmp_path / "idx", embedder="hash")
    build(ingest_settings, index_settings)
    retriever = load_retriever(ingest_settings, index_settings)
    assert retriever.acronyms.get("ecl") == "économie circulaire et locale"
    assert retriever.search("Qui dirige l'ECL ?", k=1)[0].chunk.section == 2  # « dirige » alone: question 1
