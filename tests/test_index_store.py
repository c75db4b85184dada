"""The index: manifest contents, staleness and corruption detection, and `faqbot search` over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import (
    CorruptIndexError,
    IndexMissingError,
    IndexSettings,
    StaleIndexError,
    build,
    load_retriever,
    read_manifest,
)
from ingest import IngestSettings
from ui.cli import main


@pytest.fixture
def built(mini_faq: Path, tmp_path: Path) -> tuple[IngestSettings, IndexSettings]:
    ing = IngestSettings(faq_path=mini_faq)
    idx = IndexSettings.from_env(index_dir=tmp_path / "idx", embedder="hash")
    build(ing, idx)
    return ing, idx


def test_manifest_records_what_the_index_was_built_from(built) -> None:
    ing, idx = built
    manifest = read_manifest(idx.index_dir)
    assert manifest["faq"]["path"] == str(ing.faq_path)
    assert len(manifest["faq"]["sha256"]) == 64
    assert manifest["embedder"]["name"] == "hash"
    assert manifest["chunk_count"] >= 4 and manifest["vector_count"] >= manifest["chunk_count"]
    assert manifest["dimensions"] == 256 and manifest["built_at"]
    assert set(manifest["files"]) == {"index.faiss", "sentences.faiss", "chunks.json"}
    doc = json.loads((idx.index_dir / "chunks.json").read_text())
    assert doc["chunks"][0]["chunk_id"]
    assert manifest["sentence_count"] == len(doc["sentences"]) > manifest["chunk_count"]


def test_evidence_ranks_the_sentences_of_the_given_passages(built) -> None:
    """Sentence vectors pick, inside the retrieved passages, the sentence that answers; other passages'
    sentences are never offered."""
    retriever = load_retriever(*built)
    hits = retriever.search("budget de l'association", k=1)
    evidence = retriever.evidence("budget de l'association", hits)
    assert evidence and all(e.hit.chunk.chunk_id == hits[0].chunk.chunk_id for e in evidence)
    assert "budget" in evidence[0].text.lower()
    assert [e.score for e in evidence] == sorted((e.score for e in evidence), reverse=True)
    assert len({e.text for e in evidence}) == len(evidence)
    assert retriever.evidence("budget", []) == []


def test_a_sentence_the_query_speaks_of_stands_out_among_the_faqs(built) -> None:
    """`sentence_z`: the FAQ sentence a query's words speak of stands far above the mean of all the FAQ's sentences,
    one about something else does not; a text holding no FAQ sentence has no score."""
    retriever = load_retriever(*built)
    sentences = [t for _, t in retriever.index.sentences]
    about = next(t for t in sentences if "budget" in t.lower())
    other = next(t for t in sentences if "budget" not in t.lower() and len(t) > 30)
    z_about, z_other, none = retriever.sentence_z("budget de l'association", [about, other, "Rien de la FAQ."])
    assert z_about > 2 and z_about > z_other and none is None


def test_fresh_index_answers_queries(built) -> None:
    retriever = load_retriever(*built)
    hits = retriever.search("budget de l'association", k=2)
    assert hits[0].chunk.section == 2 and hits[0].rank == 1 and hits[0].score >= hits[1].score


def test_missing_index_says_to_run_faqbot_index(mini_faq: Path, tmp_path: Path) -> None:
    idx = IndexSettings.from_env(index_dir=tmp_path / "nothing", embedder="hash")
    with pytest.raises(IndexMissingError, match="run `faqbot index`"):
        load_retriever(IngestSettings(faq_path=mini_faq), idx)


def test_edited_faq_makes_the_index_stale(built, mini_faq: Path) -> None:
    mini_faq.write_text(mini_faq.read_text(encoding="utf-8").replace("2,5 millions", "3 millions"), encoding="utf-8")
    with pytest.raises(StaleIndexError, match="different version of the FAQ.*faqbot index"):
        load_retriever(*built)


def test_other_chunk_settings_or_embedder_make_it_stale(built) -> None:
    ing, idx = built
    with pytest.raises(StaleIndexError, match="chunk settings"):
        load_retriever(IngestSettings(faq_path=ing.faq_path, max_chars=300), idx)
    with pytest.raises(StaleIndexError, match="embedder 'hash'"):
        load_retriever(ing, IndexSettings.from_env(index_dir=idx.index_dir, embedder="gemma"))


@pytest.mark.parametrize("victim", ["index.faiss", "sentences.faiss", "chunks.json"])
def test_truncated_or_edited_files_are_reported_as_corrupt(built, victim: str) -> None:
    _, idx = built
    path = idx.index_dir / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(CorruptIndexError, match="corrupted.*faqbot index"):
        load_retriever(*built)


def test_garbage_manifest_is_reported(built) -> None:
    _, idx = built
    (idx.index_dir / "manifest.json").write_text("{not json")
    with pytest.raises(CorruptIndexError, match="unreadable"):
        load_retriever(*built)


def test_consistent_but_wrong_vectors_are_caught(built) -> None:
    """Files rewritten together (hashes updated) but disagreeing with the manifest counts are refused."""
    _, idx = built
    manifest = read_manifest(idx.index_dir)
    manifest["vector_count"] += 1
    (idx.index_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CorruptIndexError, match="inconsistent"):
        load_retriever(*built)


def test_search_cli_prints_sections_titles_and_scores(built, capsys) -> None:
    ing, idx = built
    args = ["--faq", str(ing.faq_path), "--index-dir", str(idx.index_dir), "--embedder", "hash"]
    assert main(["search", *args, "-k", "2", "budget de l'association"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] Question 2 — Quel est notre budget ?  (score ")
    assert "[2] " in out and "[3] " not in out
    assert main(["search", *args, "--json", "Qui êtes-vous ?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "Qui êtes-vous ?" and len(data["sources"]) == 4
    assert set(data["sources"][0]) == {"section", "title", "chunk_id", "score", "text"}


def test_search_cli_on_stale_index_fails_cleanly(built, mini_faq: Path, capsys) -> None:
    ing, idx = built
    mini_faq.write_text(mini_faq.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    code = main(["search", "--faq", str(ing.faq_path), "--index-dir", str(idx.index_dir), "--embedder", "hash", "x"])
    err = capsys.readouterr().err
    assert code == 1 and "stale" in err and "faqbot index" in err and "Traceback" not in err


def test_empty_question_is_refused(built, capsys) -> None:
    ing, idx = built
    assert main(["search", "--faq", str(ing.faq_path), "--index-dir", str(idx.index_dir), "   "]) == 2
    assert "question is empty" in capsys.readouterr().err


def test_index_if_stale_skips_an_up_to_date_index(built, capsys) -> None:
    ing, idx = built
    assert main(["index", "--if-stale", "--faq", str(ing.faq_path), "--index-dir", str(idx.index_dir),
                 "--embedder", "hash"]) == 0
    assert "index is up to date" in capsys.readouterr().out


# --- a folder that is not an index is never replaced ------------------------------------------------------------


def test_index_refuses_a_folder_holding_a_user_file_and_leaves_it_intact(mini_faq: Path, tmp_path: Path,
                                                                          capsys) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mes notes", encoding="utf-8")
    code = main(["index", "--faq", str(mini_faq), "--embedder", "hash", "--index-dir", str(folder)])
    err = capsys.readouterr().err
    assert code == 1 and "not empty and not a faqbot index" in err and "notes.txt" in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mes notes"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_index_refuses_an_index_folder_with_a_foreign_file(built, capsys) -> None:
    ing, idx = built
    (idx.index_dir / "README.txt").write_text("à moi", encoding="utf-8")
    code = main(["index", "--faq", str(ing.faq_path), "--embedder", "hash", "--index-dir", str(idx.index_dir)])
    assert code == 1 and "README.txt" in capsys.readouterr().err
    assert (idx.index_dir / "README.txt").read_text(encoding="utf-8") == "à moi"
    read_manifest(idx.index_dir)  # the old index is still there


def test_index_replaces_its_own_index_and_fills_an_empty_folder(built, tmp_path: Path) -> None:
    ing, idx = built
    before = read_manifest(idx.index_dir)["built_at"]
    build(ing, idx)
    assert set(p.name for p in idx.index_dir.iterdir()) == {"index.faiss", "sentences.faiss", "chunks.json",
                                                               "manifest.json"}
    assert read_manifest(idx.index_dir)["built_at"] >= before
    empty = tmp_path / "empty"
    empty.mkdir()
    build(ing, IndexSettings.from_env(index_dir=empty, embedder="hash"))
    assert read_manifest(empty)["chunk_count"] > 0
    # A folder named like the old backup is the user's and survives.
    mine = idx.index_dir.with_name(f".{idx.index_dir.name}.old")
    mine.mkdir()
    (mine / "keep.txt").write_text("x", encoding="utf-8")
    build(ing, idx)
    assert (mine / "keep.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{idx.index_dir.name}-")]


def test_index_refuses_a_file_in_place_of_the_folder(mini_faq: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "index"
    target.write_text("not a folder", encoding="utf-8")
    assert main(["index", "--faq", str(mini_faq), "--embedder", "hash", "--index-dir", str(target)]) == 1
    assert "is not a folder" in capsys.readouterr().err and target.read_text(encoding="utf-8") == "not a folder"
