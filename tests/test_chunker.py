"""Chunks respect sentence and paragraph boundaries, overlap when a paragraph is cut, and keep stable ids."""

from __future__ import annotations

import itertools

from ingest import IngestSettings, ingest, parse_faq
from ingest.chunker import chunk_document, split_sentences
from tests.conftest import REAL_FAQ

LONG = " ".join(f"Phrase numéro {i} du paragraphe, avec assez de mots pour peser un peu." for i in range(1, 30))


def _doc(body: str):
    return parse_faq(f"## 1. Une question longue ?\n\n{body}\n")


def test_long_answer_is_split_on_sentences_with_overlap() -> None:
    chunks = chunk_document(_doc(LONG), max_chars=300, overlap_chars=120)
    assert len(chunks) > 4
    for chunk in chunks:
        assert len(chunk.text) <= 300 + 120
        assert chunk.text.endswith("."), "a chunk must not end in the middle of a sentence"
        assert chunk.section == 1 and chunk.title == "Une question longue ?"
    for before, after in itertools.pairwise(chunks):
        last_sentence = split_sentences(before.text)[-1]
        assert after.text.startswith(last_sentence), "the next chunk repeats the last sentence"


def test_short_paragraphs_are_grouped_and_never_split() -> None:
    chunks = chunk_document(_doc("Premier paragraphe court.\n\nDeuxième paragraphe court."),
                            max_chars=700, overlap_chars=160)
    assert [c.text for c in chunks] == ["Premier paragraphe court.\nDeuxième paragraphe court."]


def test_french_numbers_do_not_split_sentences() -> None:
    assert split_sentences("Le budget est de 1,367 milliard. Le résultat vaut 0,4 %. Fin.") == [
        "Le budget est de 1,367 milliard.", "Le résultat vaut 0,4 %.", "Fin."]


def test_real_faq_chunks_are_bounded_and_complete() -> None:
    settings = IngestSettings(faq_path=REAL_FAQ)
    faq = ingest(settings)
    assert 30 <= len(faq.chunks) <= 70
    assert all(len(c.text) <= settings.max_chars + settings.overlap_chars + 200 for c in faq.chunks)
    text = "\n".join(c.text for c in faq.chunks)
    for fact in ("1,367 milliard", "170 000 associations employeuses", "Jean-Marc Borello", "présent dans 40 pays",
                 "102 rue Amelot", "Altermundi"):
        assert fact in text


def test_chunk_ids_are_stable_and_follow_content(tmp_path) -> None:
    first = ingest(IngestSettings(faq_path=REAL_FAQ))
    again = ingest(IngestSettings(faq_path=REAL_FAQ))
    assert [c.chunk_id for c in first.chunks] == [c.chunk_id for c in again.chunks]
    assert len({c.chunk_id for c in first.chunks}) == len(first.chunks)
    edited = tmp_path / "faq.md"
    edited.write_text(REAL_FAQ.read_text(encoding="utf-8").replace("1,367 milliard", "1,5 milliard"),
                      encoding="utf-8")
    changed = ingest(IngestSettings(faq_path=edited))
    before, after = {c.chunk_id for c in first.chunks}, {c.chunk_id for c in changed.chunks}
    assert len(before - after) == 1, "only the edited chunk gets a new id"
    assert next(c for c in changed.chunks if c.section == 4).chunk_id.startswith("q04-")


def test_abbreviations_do_not_end_sentences() -> None:
    text = ("M. Dupont préside depuis le 3 janv. 2022, avec Mme Durand et le Dr. Martin. Voir p. 12, art. 4 "
            "et n° 7, p. ex. Lyon ou St. Étienne. J.-M. Borello a fondé le groupe, etc. Il compte 40 pays.")
    assert split_sentences(text) == [
        "M. Dupont préside depuis le 3 janv. 2022, avec Mme Durand et le Dr. Martin.",
        "Voir p. 12, art. 4 et n° 7, p. ex. Lyon ou St. Étienne.",
        "J.-M. Borello a fondé le groupe, etc.",
        "Il compte 40 pays.",
    ]
