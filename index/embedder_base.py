"""The embedder interface every backend implements, and its error."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

from ingest.errors import FaqbotError

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

    def embed_statements(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for comparing statements with each other (symmetric similarity): the query vectors unless the
        model has a prompt of its own for it."""
        return self.embed_queries(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """Vector for one query."""
        return self.embed_queries([text])[0]

    @classmethod
    @abstractmethod
    def fingerprint(cls) -> dict[str, object]:
        """What identifies this model's vectors (name and file hashes), known without loading the model."""

    def identity(self) -> dict[str, object]:
        """The fingerprint of this loaded instance (what its vectors really are: a backend that fell back to
        another precision at load time says so here)."""
        return type(self).fingerprint()


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
