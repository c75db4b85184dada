"""Integration: the engine this machine runs EmbeddingGemma with gives sentence-transformers' float32 vectors
(the reference), on the FAQ's longest passages, on questions, and past the local attention window."""

from __future__ import annotations

import numpy as np
import pytest

from index.gemma import QUERY_PROMPT, GemmaEmbedder, load_sentence_transformer
from index.models import EMBEDDINGGEMMA, verify
from index.store import embedding_inputs
from ingest import ingest

pytestmark = pytest.mark.integration

QUESTIONS = ["Quel est le budget du Groupe SOS ?", "c'est qui le patron du groupe sos",
             "Does Groupe SOS pay dividends to shareholders?"]


def test_vectors_match_the_float32_reference(gemma_index) -> None:
    ing, idx, embedder = gemma_index
    assert isinstance(embedder, GemmaEmbedder)
    texts, titles = embedding_inputs(ingest(ing).chunks)
    longest = sorted(zip(texts, titles, strict=True), key=lambda pair: -len(pair[0]))[:6]
    # About 600 tokens: beyond the 256 tokens a local attention layer sees on either side.
    long_text = " ".join(t for t, _ in longest)
    docs = [*longest, (long_text, "none")]
    ours = np.concatenate([embedder.embed_documents([t], [title]) for t, title in docs]
                          + [embedder.embed_queries(QUESTIONS)])
    reference = load_sentence_transformer(verify(EMBEDDINGGEMMA, idx.models_dir), "float32").encode(
        [f"title: {title or 'none'} | text: {t}" for t, title in docs] + [QUERY_PROMPT + q for q in QUESTIONS],
        normalize_embeddings=True, convert_to_numpy=True)
    cosines = np.sum(ours * reference, axis=1)
    floor = {"float32": 0.9999, "bfloat16": 0.999, "int8": 0.99}[embedder.dtype]
    assert cosines.min() >= floor, (embedder.dtype, embedder.engine_name, cosines.round(5).tolist())
