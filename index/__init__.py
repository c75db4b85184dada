"""Stage 2: embed chunks, store them in FAISS with a manifest, and retrieve them."""

from __future__ import annotations

from collections.abc import Callable

from index.embedders import EMBEDDERS, Embedder, embedder_class, make_embedder
from index.retriever import Evidence, Hit, Retriever
from index.settings import IndexSettings
from index.store import (
    CorruptIndexError,
    IndexDirError,
    IndexMissingError,
    LoadedIndex,
    StaleIndexError,
    build_index,
    check_replaceable,
    open_index,
    read_manifest,
    staleness,
)
from index.thresholds import THRESHOLDS_FILE, read_thresholds, write_thresholds
from ingest import Faq, IngestSettings, ingest


def chunk_settings(settings: IngestSettings) -> dict[str, int]:
    """The ingestion settings an index depends on (recorded in its manifest)."""
    return {"max_chars": settings.max_chars, "overlap_chars": settings.overlap_chars}


def build(ingest_settings: IngestSettings, index_settings: IndexSettings, *, embedder: Embedder | None = None,
          progress: Callable[[int, int], None] | None = None) -> dict:
    """Ingest the FAQ, embed it and write the index; return the manifest."""
    faq = ingest(ingest_settings)
    check_replaceable(index_settings.index_dir)  # refuse a user's folder before loading any model
    embedder = embedder or make_embedder(index_settings.embedder, index_settings.models_dir, index_settings.threads)
    return build_index(faq, embedder, index_settings.index_dir, chunk_settings=chunk_settings(ingest_settings),
                       progress=progress)


def check_index(ingest_settings: IngestSettings, index_settings: IndexSettings) -> tuple[Faq, LoadedIndex]:
    """Open the index and check it against the current FAQ and embedder, without loading any model."""
    faq = ingest(ingest_settings)
    loaded = open_index(index_settings.index_dir, faq_sha256=faq.sha256,
                        chunk_settings=chunk_settings(ingest_settings),
                        embedder=embedder_class(index_settings.embedder).fingerprint())
    return faq, loaded


def load_retriever(ingest_settings: IngestSettings, index_settings: IndexSettings, *,
                   embedder: Embedder | None = None) -> Retriever:
    """A retriever over the checked index (the index is checked before the model is loaded)."""
    faq, loaded = check_index(ingest_settings, index_settings)
    thresholds = read_thresholds(loaded.directory, loaded.manifest)
    embedder = embedder or make_embedder(index_settings.embedder, index_settings.models_dir, index_settings.threads)
    # The model may have settled on another precision while loading (an int8 export that failed its check
    # falls back to float32): its queries must match the index's vectors.
    reason = staleness(loaded.manifest, faq_sha256=faq.sha256, chunk_settings=chunk_settings(ingest_settings),
                       embedder=embedder.identity())
    if reason:
        raise StaleIndexError(f"index in {index_settings.index_dir} is stale: {reason}; run `faqbot index`")
    return Retriever(loaded, embedder, profile=faq.profile, thresholds=thresholds,
                     embedder_key=index_settings.embedder)


__all__ = [
    "EMBEDDERS",
    "THRESHOLDS_FILE",
    "CorruptIndexError",
    "Embedder",
    "Evidence",
    "Hit",
    "IndexDirError",
    "IndexMissingError",
    "IndexSettings",
    "LoadedIndex",
    "Retriever",
    "StaleIndexError",
    "build",
    "check_index",
    "chunk_settings",
    "load_retriever",
    "make_embedder",
    "read_manifest",
    "read_thresholds",
    "write_thresholds",
]
