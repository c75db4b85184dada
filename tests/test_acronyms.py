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
