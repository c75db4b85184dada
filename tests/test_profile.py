"""The organisation is read from the FAQ (title, text, footer), and a profile file beside the FAQ overrides it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestSettings, InputError, ingest
from ingest.profile import PHONE, Profile
from tests.conftest import REAL_FAQ
from ui.cli import main


def _faq(tmp_path: Path, title: str, body: str = "", footer: str = "", name: str = "faq.md") -> Path:
    path = tmp_path / name
    path.write_text(f"# {title}\n\n## 1. Que faites-vous ?\n\n{body or 'Nous aidons les gens.'}\n\n"
                    f"# Contact\n\n{footer or 'Écrivez-nous.'}\n", encoding="utf-8")
    return path


def test_the_groupe_sos_profile_comes_from_its_title_and_footer() -> None:
    profile = ingest(IngestSettings(faq_path=REAL_FAQ)).profile
    assert (profile.name, profile.article) == ("Groupe SOS", "le")
    assert (profile.the_name, profile.of_name) == ("le Groupe SOS", "du Groupe SOS")
    assert profile.press_signature == "Le service de presse du Groupe SOS"
    assert profile.contact.summary() == "info@groupe-sos.org, 01 58 30 55 55"
    assert profile.contact.address == "102 rue Amelot 75011 Paris" and profile.contact.site == "groupe-sos.org"
    assert profile.name_terms == {"groupe", "sos"}


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("FAQ de la Fondation Lumen", "", ("Fondation Lumen", "la", "de la Fondation Lumen")),
        ("Foire aux questions — Association Ker Avel", "L'Association Ker Avel aide. L'Association Ker Avel agit.",
         ("Association Ker Avel", "l'", "de l'Association Ker Avel")),
        ("QUESTIONS FRÉQUENTES SUR LES JARDINS DU MONDE", "Les Jardins du Monde sèment.",
         ("Jardins du Monde", "les", "des Jardins du Monde")),
        ("Emmaüs Solidarité : questions fréquentes", "Emmaüs Solidarité accueille.",
         ("Emmaüs Solidarité", "", "d'Emmaüs Solidarité")),
        ("Vos questions au Réseau Orée", "", ("Réseau Orée", "le", "du Réseau Orée")),
    ],
)
def test_name_and_article_are_read_from_the_title_and_the_text(tmp_path: Path, title: str, body: str,
                                                              expected: tuple[str, str, str]) -> None:
    profile = ingest(IngestSettings(faq_path=_faq(tmp_path, title, body))).profile
    assert (profile.name, profile.article, profile.of_name) == expected


def test_acronym_and_contact_block_in_another_shape(tmp_path: Path) -> None:
    footer = ("Association pour l'Habitat Partagé\n\nAdresse : 12, avenue des Tilleuls\n\n"
              "35000 Rennes\n\nTél. +33 2 99 00 11 22 — bonjour@habitat-partage.fr — www.habitat-partage.fr")
    body = "L'Association pour l'Habitat Partagé (APHP) loge 300 familles."
    profile = ingest(IngestSettings(faq_path=_faq(tmp_path, "FAQ de l'Association pour l'Habitat Partagé", body,
                                                  footer))).profile
    assert profile.short_name == "APHP" and "aphp" in profile.name_terms
    assert profile.contact.address == "12, avenue des Tilleuls, 35000 Rennes"
    assert profile.contact.phone == "+33 2 99 00 11 22"
    assert profile.contact.email == "bonjour@habitat-partage.fr"
    assert profile.contact.site == "www.habitat-partage.fr"


def test_a_profile_file_beside_the_faq_overrides_what_was_read(tmp_path: Path) -> None:
    faq = _faq(tmp_path, "FAQ de la Fondation Lumen", name="lumen.md")
    (tmp_path / "lumen.profile.toml").write_text(
        'name = "Fondation Lumen pour la lecture"\nsignature = "Claire Dubois, attachée de presse"\n'
        'faq_url = "https://lumen.example/faq"\n[contact]\nemail = "presse@lumen.example"\n', encoding="utf-8")
    profile = ingest(IngestSettings(faq_path=faq)).profile
    assert profile.name == "Fondation Lumen pour la lecture" and profile.article == "la"
    assert profile.press_signature == "Claire Dubois, attachée de presse"
    assert profile.contact.email == "presse@lumen.example" and profile.faq_url == "https://lumen.example/faq"
    assert profile.origin("name") == "profile file lumen.profile.toml" and profile.origin("article") == "title"


@pytest.mark.parametrize(
    ("content", "expected"),
    [('nom = "X"\n', "unknown key.*nom.*valid keys"), ('name = \n', "not valid TOML"),
     ('article = "un"\n', "article must be one of"), ("[contact]\nfax = '1'\n", "unknown contact key")],
)
def test_a_bad_profile_file_is_one_line_with_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     content: str, expected: str) -> None:
    faq = _faq(tmp_path, "FAQ de la Fondation Lumen")
    (tmp_path / "faq.profile.toml").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        ingest(IngestSettings(faq_path=faq))
    assert main(["ingest", "--faq", str(faq)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "faq.profile.toml" in err


def test_a_faq_without_a_name_speaks_of_the_organisation() -> None:
    profile = Profile()
    assert profile.of_name == "de l'organisation" and profile.press_signature.endswith("de l'organisation")
    assert profile.name_terms == frozenset()


def test_ingest_shows_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--faq", str(REAL_FAQ)]) == 0
    out = capsys.readouterr().out
    assert "organisation: Groupe SOS (le Groupe SOS)  [title]" in out
    assert "press signature: Le service de presse du Groupe SOS" in out and "faq_groupe_sos.profile.toml" in out


@pytest.mark.parametrize(("text", "phones"), [
    ("Standard : +33 4 12 34 56 78", ["+33 4 12 34 56 78"]),
    ("Bureau de Genève : +41 22 123 45 67", ["+41 22 123 45 67"]),
    ("Antenne de Londres : +44 20 7946 0958", ["+44 20 7946 0958"]),
    ("Le résultat 2022 s'établit à +60 000 euros.", []),
    ("Un excédent de +120 000 euros, puis de +15 000 000 euros.", []),
])
def test_a_signed_figure_is_no_international_phone_number(text: str, phones: list[str]) -> None:
    """« +60 000 euros » is a result, not a country code and three digits."""
    assert [m.group(0) for m in PHONE.finditer(text)] == phones
