"""Hybrid retrieval: EmbeddingGemma vectors in FAISS fused with a French BM25."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.embedders import Embedder
from index.lexical import BM25
from index.store import LoadedIndex
from ingest import Chunk, Profile
from ingest.acronyms import expand_acronyms, spelled_acronyms

# Fusion weights, measured on eval/cases/dev.jsonl (see README, "Retrieval quality").
DENSE_WEIGHT = 0.9
LEXICAL_WEIGHT = 0.1
# BM25 is unbounded; s / (s + LEXICAL_HALF) maps it to [0, 1) so fused scores stay comparable across
# queries, which the abstention thresholds rely on.
LEXICAL_HALF = 10.0
# Query embeddings kept: a press draft ranks up to 5 questions (its questions and the whole message), then
# picks the sentences to quote for each.
QUERY_VECTORS_KEPT = 8
EXPAND_ACRONYMS = True  # (kept for measurement)
# A passage's dense score blended with its best sentence's similarity, this share of it (0: the passage vectors
# alone): a question answered by one line of a long passage (a list item, a clause deep in a paragraph on something
# else) would score as that line. Off, kept for measurement (docs/quality.md, the eighth stop of 6 December): at 0.5
# the section ranked first held the answer for 20 more tune questions, but the answers lost 6 tune and 4 test cases
# net (a runner-up section joined the prompt more often, and the recalibrated off-topic cut refused two questions).
SENTENCE_WEIGHT = 0.0


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the two scores it came from."""

    chunk: Chunk
    score: float
    dense: float
    lexical: float
    rank: int

    def to_dict(self, *, with_text: bool = True) -> dict[str, object]:
        """The `sources` entry of the `faqbot ask --json` contract."""
        out: dict[str, object] = {
            "section": self.chunk.section,
            "title": self.chunk.title,
            "chunk_id": self.chunk.chunk_id,
            "score": round(self.score, 4),
        }
        if with_text:
            out["text"] = self.chunk.text
        return out


@dataclass(frozen=True)
class Evidence:
    """A sentence of a retrieved passage and how closely it answers the question (cosine similarity)."""

    text: str
    hit: Hit
    score: float



def standardised(sims: np.ndarray) -> np.ndarray | None:
    """`sims` in standard deviations from their mean (None when they all score alike)."""
    spread = float(sims.std())
    return (sims - sims.mean()) / spread if spread > 0 else None


def best_z(sentences: Sequence[str], z: np.ndarray, texts: Sequence[str]) -> list[float | None]:
    """For each of `texts`, the best z-score (`z`, one per sentence) of the `sentences` it holds; None when it holds
    none of them."""
    best: dict[str, float] = {}
    for sentence, score in zip(sentences, z, strict=True):
        best[sentence] = max(best.get(sentence, float("-inf")), float(score))
    out: list[float | None] = []
    for text in texts:
        held = [score for sentence, score in best.items() if sentence in text]
        out.append(max(held) if held else None)
    return out

class Retriever:
    """Finds the FAQ passages that best answer a question; knows the organisation the FAQ speaks for and the
    thresholds calibrated for this index (None: the embedder's defaults apply)."""

    profile: Profile | None = None
    thresholds: dict | None = None
    embedder_key: str = ""

    def __init__(self, index: LoadedIndex, embedder: Embedder, *, profile: Profile | None = None,
                 thresholds: dict | None = None, embedder_key: str = "") -> None:
        self.index = index
        self.embedder = embedder
        self.profile = profile
        self.thresholds = thresholds
        self.embedder_key = embedder_key
        self.chunks = index.chunks
        self.bm25 = BM25([f"{c.title} {' '.join(c.aliases)} {c.text}" for c in self.chunks])
        # « l'ECL » where the FAQ only writes « économie circulaire et locale »: queries carry the phrase too.
        self.acronyms = spelled_acronyms(c.text for c in self.chunks) if EXPAND_ACRONYMS else {}
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._sentence_rows = np.asarray([row for row, _ in index.sentences], dtype=np.int64)  # sentence id -> chunk

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, kept for the last few queries: ranking passages then sentences, or a draft's
        several questions ranked then quoted, embed each question once."""
        query = expand_acronyms(query, self.acronyms)
        vector = self._query_vectors.pop(query, None)
        if vector is None:
            vector = self.embedder.embed_query(query).reshape(1, -1).astype(np.float32)
        self._query_vectors[query] = vector
        while len(self._query_vectors) > QUERY_VECTORS_KEPT:
            self._query_vectors.popitem(last=False)
        return vector

    def dense_scores(self, query: str) -> np.ndarray:
        """Cosine similarity of `query` to every chunk: the best of the chunk's passage vectors (blended with its best
        sentence's when `SENTENCE_WEIGHT`, off by default, is set)."""
        vector = self.query_vector(query)
        sims, ids = self.index.vectors.search(vector, self.index.vectors.ntotal)
        per_chunk = np.full(len(self.chunks), -1.0, dtype=np.float32)
        np.maximum.at(per_chunk, self.index.vector_chunks[ids[0]], sims[0])
        sentences = self.index.sentence_vectors
        if not SENTENCE_WEIGHT or sentences is None or sentences.ntotal == 0:
            return per_chunk
        sims, ids = sentences.search(vector, sentences.ntotal)
        per_sentence_chunk = np.full(len(self.chunks), -1.0, dtype=np.float32)
        np.maximum.at(per_sentence_chunk, self._sentence_rows[ids[0]], sims[0])
        # A chunk without a sentence vector (a heading alone) keeps its passage score.
        best_sentence = np.where(per_sentence_chunk > -1.0, per_sentence_chunk, per_chunk)
        return (1 - SENTENCE_WEIGHT) * per_chunk + SENTENCE_WEIGHT * best_sentence

    def rank(self, query: str) -> list[Hit]:
        """Every chunk scored for `query`, best first."""
        if not query.strip() or not self.chunks:
            return []
        dense = self.dense_scores(query)
        raw = np.asarray(self.bm25.scores(expand_acronyms(query, self.acronyms)), dtype=np.float32)
        lexical = raw / (raw + LEXICAL_HALF)
        fused = DENSE_WEIGHT * dense + LEXICAL_WEIGHT * lexical
        order = np.argsort(-fused, kind="stable")
        return [
            Hit(self.chunks[i], float(fused[i]), float(dense[i]), float(lexical[i]), rank)
            for rank, i in enumerate(order, start=1)
        ]

    def evidence(self, query: str, hits: Sequence[Hit]) -> list[Evidence]:
        """The sentences of `hits`, best answer to `query` first (a sentence repeated by overlapping passages
        counts once)."""
        vectors = self.index.sentence_vectors
        if vectors is None or not hits or vectors.ntotal == 0:
            return []
        by_row: dict[int | None, Hit] = {}
        row_of = {c.chunk_id: row for row, c in enumerate(self.chunks)}
        for hit in hits:
            by_row.setdefault(row_of.get(hit.chunk.chunk_id), hit)
        sims, ids = vectors.search(self.query_vector(query), vectors.ntotal)
        out: list[Evidence] = []
        seen: set[str] = set()
        for sim, sid in zip(sims[0], ids[0], strict=True):
            row, text = self.index.sentences[sid]
            hit = by_row.get(row)
            if hit is not None and text not in seen:
                seen.add(text)
                out.append(Evidence(text, hit, float(sim)))
        return out

    def _z_scores(self, query: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Every indexed sentence's id and score for `query`, best first, in standard deviations from the mean of all
        the FAQ's sentences (None without two sentence vectors, or when they all score alike).

        A z-score, not a cosine: every sentence scores higher for a question naming the organisation, and a question
        in another language scores lower against all of them; what tells a question the FAQ answers is one sentence
        standing out from the rest (docs/quality.md, "cross-lingual quotes")."""
        vectors = self.index.sentence_vectors
        if vectors is None or vectors.ntotal < 2:
            return None
        sims, ids = vectors.search(self.query_vector(query), vectors.ntotal)
        z = standardised(sims[0])
        return (ids[0], z) if z is not None else None

    def distinctness(self, query: str) -> float:
        """How far the FAQ sentence closest to `query` stands out from all the FAQ's sentences (a z-score; 0 when
        the index holds no sentence vectors)."""
        scored = self._z_scores(query)
        return float(scored[1][0]) if scored is not None else 0.0

    def sentence_z(self, query: str, texts: Sequence[str]) -> list[float | None]:
        """For each of `texts`, how far the best FAQ sentence it holds stands out among all the FAQ's sentences for
        `query` (a z-score; None when it holds no indexed sentence)."""
        scored = self._z_scores(query)
        if scored is None:
            return [None] * len(texts)
        ids, z = scored
        return best_z([self.index.sentences[sid][1] for sid in ids], z, texts)

    def search(self, query: str, k: int = 4) -> list[Hit]:
        """The `k` best chunks for `query`, best first."""
        return self.rank(query)[:k]
