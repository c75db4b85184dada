"""Build, write and open the FAISS index, its chunk metadata (JSON) and its manifest.

An index is four files in one folder: `index.faiss` (passage vectors), `sentences.faiss` (one vector per
sentence of each passage, to pick the sentences that answer), `chunks.json` (chunk metadata, which chunk each
vector belongs to, the sentences) and `manifest.json` (what it was built from). Opening checks the manifest
against the current FAQ and embedder and the files against their recorded hashes: a stale or corrupted
index is reported with the fix, never used.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from index.embedders import Embedder
from index.hardware import cpu_info
from ingest import Chunk, Faq, FaqbotError
from ingest.chunker import passage_sentences

# 2: sentence vectors added. 3: each chunk carries its section's outline (`ingest.chunker.section_outline`).
FORMAT_VERSION = 3
INDEX_FILE = "index.faiss"
SENTENCES_FILE = "sentences.faiss"
CHUNKS_FILE = "chunks.json"
MANIFEST_FILE = "manifest.json"


class IndexMissingError(FaqbotError):
    """No index has been built at the configured place."""


class StaleIndexError(FaqbotError):
    """The index was built from another FAQ, other chunk settings or another embedding model."""


class CorruptIndexError(FaqbotError):
    """An index file is truncated, edited or unreadable."""


@dataclass(frozen=True)
class LoadedIndex:
    """An opened, checked index: the manifest, the chunks and the FAISS vectors."""

    directory: Path
    manifest: dict
    chunks: tuple[Chunk, ...]
    vectors: faiss.Index
    vector_chunks: np.ndarray  # vector id -> chunk row
    sentence_vectors: faiss.Index | None = None
    sentences: tuple[tuple[int, str], ...] = ()  # sentence vector id -> (chunk row, sentence)


def vector_inputs(chunks: tuple[Chunk, ...] | list[Chunk]) -> tuple[list[int], list[str], list[str]]:
    """The texts to embed: each chunk under its question, plus one vector per section made of its paraphrases
    (and one for each chunk outside the questions that has some, such as the contact footer).

    The paraphrase vector belongs to the section's first chunk, which states the answer's core in this FAQ.
    Returns (chunk row of each vector, texts, titles).
    """
    rows, texts, titles = [], [], []
    seen_sections: set[int | None] = set()
    for row, chunk in enumerate(chunks):
        rows.append(row)
        texts.append(chunk.text)
        titles.append(chunk.title)
        if chunk.aliases and (chunk.section is None or chunk.section not in seen_sections):
            seen_sections.add(chunk.section)
            rows.append(row)
            texts.append(" ".join(chunk.aliases))
            titles.append(chunk.title)
    return rows, texts, titles


def sentence_inputs(chunks: tuple[Chunk, ...] | list[Chunk]) -> list[tuple[int, str]]:
    """Every sentence of every chunk as (chunk row, sentence), list dashes removed, each once per chunk."""
    return [(row, sentence) for row, chunk in enumerate(chunks) for sentence in indexed_sentences(chunk.text)]


def indexed_sentences(text: str) -> list[str]:
    """The sentences of a passage as the index embeds them: list dashes removed, each once."""
    return list(dict.fromkeys(s for s in (s.removeprefix("- ").strip() for s in passage_sentences(text)) if s))


def embedding_inputs(chunks: tuple[Chunk, ...] | list[Chunk]) -> tuple[list[str], list[str]]:
    """All the texts an index embeds, passages then sentences, with their titles (what a build costs)."""
    _, texts, titles = vector_inputs(chunks)
    sentences = sentence_inputs(chunks)
    return texts + [s for _, s in sentences], titles + [chunks[row].title for row, _ in sentences]


def _flat_index(vectors: np.ndarray, dimensions: int) -> faiss.Index:
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimensions))
    if len(vectors):
        index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    return index


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_index(faq: Faq, embedder: Embedder, index_dir: Path, *, chunk_settings: dict[str, int],
                progress: Callable[[int, int], None] | None = None) -> dict:
    """Embed the FAQ's chunks and write the index folder atomically; return the manifest."""
    started = time.perf_counter()
    rows, _, _ = vector_inputs(faq.chunks)
    sentences = sentence_inputs(faq.chunks)
    # One call embeds passages and sentences, so the progress bar covers the whole build; a sentence that
    # overlapping chunks of one question share is embedded once.
    texts, titles = embedding_inputs(faq.chunks)
    unique = list(dict.fromkeys(zip(texts, titles, strict=True)))
    unique_vectors = embedder.embed_documents([t for t, _ in unique], [t for _, t in unique], progress)
    embed_seconds = time.perf_counter() - started
    if unique_vectors.shape[0] != len(unique):
        raise FaqbotError(f"the embedder returned {unique_vectors.shape[0]} vectors for {len(unique)} texts")
    row_of = {pair: row for row, pair in enumerate(unique)}
    all_vectors = unique_vectors[[row_of[pair] for pair in zip(texts, titles, strict=True)]]
    vectors, sentence_vectors = all_vectors[: len(rows)], all_vectors[len(rows):]
    index = _flat_index(vectors, all_vectors.shape[1])

    index_dir = Path(index_dir)
    if index_dir.is_symlink():
        index_dir = index_dir.resolve()  # the link is the user's: the folder it points to is replaced, not it
    check_replaceable(index_dir)  # before the embedding work, so a refusal costs nothing
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=index_dir.parent, prefix=f".{index_dir.name}-"))
    try:
        faiss.write_index(index, str(staging / INDEX_FILE))
        faiss.write_index(_flat_index(sentence_vectors, all_vectors.shape[1]), str(staging / SENTENCES_FILE))
        chunks_doc = {"chunks": [c.to_dict() for c in faq.chunks], "vector_chunks": rows,
                      "sentences": [[row, text] for row, text in sentences]}
        (staging / CHUNKS_FILE).write_text(json.dumps(chunks_doc, ensure_ascii=False, indent=1), encoding="utf-8")
        manifest = {
            "format": FORMAT_VERSION,
            "faq": {"path": str(faq.path), "sha256": faq.sha256, "title": faq.title,
                    "organisation": faq.profile.name, "questions": len(faq.sections)},
            # Score thresholds: the embedder's defaults until `faqbot calibrate` stores calibrated ones beside it.
            "thresholds": {"calibrated": []},
            "chunking": dict(chunk_settings),
            "embedder": embedder.identity(),
            # How the vectors were computed, and on what: not part of the fingerprint (float32 vectors are the
            # same from either engine), shown when an index built elsewhere is refused.
            "engine": getattr(embedder, "engine_name", None) or embedder.name,
            "cpu": cpu_info().to_dict(),
            "chunk_count": len(faq.chunks),
            "vector_count": len(rows),
            "sentence_count": len(sentences),
            "dimensions": int(vectors.shape[1]),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 3),
            "embed_seconds": round(embed_seconds, 3),
            "files": {name: _sha256(staging / name) for name in (INDEX_FILE, SENTENCES_FILE, CHUNKS_FILE)},
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        # Swap folders so a reader never sees a half-written index. Checked again just before: only a folder
        # holding nothing but index files is ever moved aside and deleted.
        check_replaceable(index_dir)
        backup = None
        if index_dir.is_dir() and any(index_dir.iterdir()):
            backup = Path(tempfile.mkdtemp(dir=index_dir.parent, prefix=f".{index_dir.name}-old-"))
            index_dir.rename(backup / "index")  # a unique name of our own: nothing of the user's is overwritten
        elif index_dir.is_dir():
            index_dir.rmdir()  # empty
        staging.rename(index_dir)
        if backup is not None:
            shutil.rmtree(backup)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


# thresholds.json: the calibrated thresholds `faqbot calibrate` stores beside the index (index/thresholds.py).
INDEX_FILES = frozenset({INDEX_FILE, SENTENCES_FILE, CHUNKS_FILE, MANIFEST_FILE, "thresholds.json"})


class IndexDirError(FaqbotError):
    """The index folder holds something that is not a faqbot index: it is never replaced."""


def check_replaceable(index_dir: Path) -> None:
    """Refuse to build into `index_dir` unless it is missing, empty or holds only faqbot index files."""
    index_dir = Path(index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexDirError(f"{index_dir} is not a folder: choose another --index-dir (or FAQBOT_INDEX_DIR)")
    if not index_dir.exists():
        return
    foreign = sorted(p.name for p in index_dir.iterdir() if p.name not in INDEX_FILES or not p.is_file())
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise IndexDirError(f"{index_dir} is not empty and not a faqbot index (it holds {shown}): faqbot replaces "
                            "only its own index folders; choose an empty or new --index-dir, or move those files")


def read_manifest(index_dir: Path) -> dict:
    """The manifest of the index in `index_dir`; IndexMissingError or CorruptIndexError if unusable."""
    path = Path(index_dir) / MANIFEST_FILE
    if not path.exists():
        raise IndexMissingError(f"index is missing in {index_dir}: run `faqbot index`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CorruptIndexError(f"index manifest {path} is unreadable ({exc}): run `faqbot index`") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise StaleIndexError(f"index in {index_dir} has an unknown format: run `faqbot index`")
    return manifest


def staleness(manifest: dict, *, faq_sha256: str, chunk_settings: dict[str, int], embedder: dict) -> str | None:
    """Why the index does not match the current FAQ, chunking or embedder; None when it matches."""
    if manifest.get("faq", {}).get("sha256") != faq_sha256:
        return "it was built from a different version of the FAQ"
    if manifest.get("chunking") != dict(chunk_settings):
        return f"it was built with other chunk settings ({manifest.get('chunking')})"
    built = manifest.get("embedder", {})
    if built.get("name") != embedder.get("name"):
        return f"it was built with the embedder {built.get('name')!r}, not {embedder.get('name')!r}"
    if built.get("hashes") != embedder.get("hashes"):
        return f"it was built with other {embedder.get('name')} model files"
    if built.get("dtype") != embedder.get("dtype") and built.get("dtype") and embedder.get("dtype"):
        # Vectors of two precisions are close but not equal, and the score thresholds were chosen on one:
        # an index is used only in the precision it was built in. Asking for that precision is the deliberate
        # way to use an index built on another machine.
        cpu = (manifest.get("cpu") or {}).get("model")
        return (f"it was built with {embedder.get('name')} in {built['dtype']}{f' on {cpu}' if cpu else ''}, and "
                f"this machine runs it in {embedder['dtype']}; set FAQBOT_EMBED_DTYPE={built['dtype']} to use it "
                "as built, or rebuild it for this machine")
    if built != embedder:
        return f"it was built with other {embedder.get('name')} settings ({built})"
    return None


def open_index(index_dir: Path, *, faq_sha256: str, chunk_settings: dict[str, int], embedder: dict) -> LoadedIndex:
    """Open and check the index; raise with the fix (`faqbot index`) when it is missing, stale or corrupt."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    reason = staleness(manifest, faq_sha256=faq_sha256, chunk_settings=chunk_settings, embedder=embedder)
    if reason:
        raise StaleIndexError(f"index in {index_dir} is stale: {reason}; run `faqbot index`")
    for name, expected in (manifest.get("files") or {}).items():
        path = index_dir / name
        if not path.exists():
            raise CorruptIndexError(f"index file {path} is missing: run `faqbot index`")
        if _sha256(path) != expected:
            raise CorruptIndexError(f"index file {path} is corrupted (its hash changed since it was built): "
                                    "run `faqbot index`")
    try:
        data = json.loads((index_dir / CHUNKS_FILE).read_text(encoding="utf-8"))
        chunks = tuple(Chunk.from_dict(c) for c in data["chunks"])
        vector_chunks = np.asarray(data["vector_chunks"], dtype=np.int64)
        vectors = faiss.read_index(str(index_dir / INDEX_FILE))
        sentences = tuple((int(row), str(text)) for row, text in data["sentences"])
        sentence_vectors = faiss.read_index(str(index_dir / SENTENCES_FILE))
    except Exception as exc:  # faiss raises RuntimeError; JSON raises several types
        raise CorruptIndexError(f"index in {index_dir} is unreadable ({type(exc).__name__}): run `faqbot index`"
                                ) from exc
    if (vectors.ntotal != manifest.get("vector_count") or len(vector_chunks) != vectors.ntotal
            or vectors.d != manifest.get("dimensions") or len(chunks) != manifest.get("chunk_count")
            or (len(vector_chunks) and (vector_chunks.min() < 0 or vector_chunks.max() >= len(chunks)))
            or sentence_vectors.ntotal != len(sentences) or len(sentences) != manifest.get("sentence_count")
            or any(not 0 <= row < len(chunks) for row, _ in sentences)):
        raise CorruptIndexError(f"index in {index_dir} is inconsistent with its manifest: run `faqbot index`")
    return LoadedIndex(index_dir, manifest, chunks, vectors, vector_chunks, sentence_vectors, sentences)
