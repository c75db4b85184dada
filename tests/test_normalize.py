"""The DESIGN.md matching form, and the French tokeniser used by the lexical retriever."""

from __future__ import annotations

from ingest.normalize import normalize, terms


def test_design_examples() -> None:
    assert normalize("170 000") == "170000"
    assert normalize("1,367 milliard") == "1.367 milliard"
    assert normalize("1\u202f367") == "1367"
    assert normalize("L’Économie « sociale »   et  Solidaire") == "l'economie \" sociale \" et solidaire"
    assert normalize("Œuvrer") == "oeuvrer"


def test_lists_and_commas_are_not_taken_for_numbers() -> None:
    assert normalize("1, 2 et 3") == "1, 2 et 3"
    assert normalize("en 2022 2 associations") == "en 2022 2 associations"


def test_elisions_and_accents_do_not_prevent_matching() -> None:
    assert terms("l’équilibre") == terms("equilibre")
    assert terms("D'où provient l'argent ?") == terms("provient argent")
    assert terms("les établissements") == terms("établissement")


def test_a_year_before_a_number_is_not_glued_to_it() -> None:
    assert normalize("En 2022 170 000 associations") == "en 2022 170000 associations"
    assert normalize("1 234 567 euros") == "1234567 euros"
