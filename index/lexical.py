"""French-aware BM25: accents folded, elisions (l', d', qu') split off, light stemming, stop words out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from ingest.normalize import terms


class BM25:
    """Okapi BM25 over short FAQ passages; rebuilt from the chunk texts when the index is opened."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.6) -> None:
        self.k1 = k1
        self.b = b
        self.docs = [Counter(terms(d)) for d in documents]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg_length = sum(self.lengths) / max(len(self.docs), 1)
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> list[float]:
        """BM25 score of every document for `query` (0 where no term matches)."""
        q_terms = set(terms(query))
        out = []
        for doc, length in zip(self.docs, self.lengths, strict=True):
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / max(self.avg_length, 1e-9))
            for term in q_terms:
                tf = doc.get(term)
                if tf:
                    score += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
            out.append(score)
        return out

    def coverage(self, query: str, doc_index: int) -> float:
        """Share of the query's informative terms (weighted by IDF) that occur in one document."""
        q_terms = set(terms(query))
        if not q_terms:
            return 0.0
        total = sum(self.idf.get(t, max(self.idf.values(), default=1.0)) for t in q_terms)
        found = sum(self.idf[t] for t in q_terms if t in self.docs[doc_index])
        return found / total if total else 0.0
