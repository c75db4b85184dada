"""Whether a source sentence says what a claim says in other words: sentence similarity from the embedder.

Word overlap cannot be counted between a claim in English and a French source (« The club has no
branches » against « Le club ne possède aucune succursale »); the embedder's similarity can, and scores
faithful translations far above unrelated sentences (docs/verifier.md, « A translation is recognised by sentence
similarity »). It is not a support check on its own: negations and swapped names score as high, so the claim checks
still read figures, names, roles, stances and polarity (`chatbot.claims`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

import numpy as np

from index.embedder_base import Embedder

# singles_out(words, texts) -> for each text, whether it stands out among all the FAQ's sentences as the one `words`
# speak of (the bot's: the retriever's sentence index, at the cross-lingual quote's z-score).
SinglesOut = Callable[[str, Sequence[str]], Sequence[bool]]
CACHE_SIZE = 2048  # vectors kept: the FAQ's sentences and their pairs, and the claims of recent answers


class Restatement:
    """`restates(claim, texts)`: for each text, whether its similarity to the claim reaches `threshold`."""

    def __init__(self, embedder: Embedder, threshold: float, cache_size: int = CACHE_SIZE, *,
                 lock: AbstractContextManager | None = None, singles_out: SinglesOut | None = None) -> None:
        self.embedder = embedder
        self.singles_out = singles_out
        self.lock = lock or nullcontext()  # the embedder is shared with retrieval, which runs one text at a time
        self.threshold = threshold
        self.cache_size = cache_size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def _vectors_of(self, texts: Sequence[str]) -> np.ndarray:
        # Under the lock as a whole: answers verified at the same time share the embedder and this cache.
        with self.lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            if missing:
                for text, vector in zip(missing, self.embedder.embed_statements(missing), strict=True):
                    self._vectors[text] = vector
            for text in texts:
                self._vectors.move_to_end(text)
            while len(self._vectors) > max(self.cache_size, len(texts)):
                self._vectors.popitem(last=False)
            return np.stack([self._vectors[t] for t in texts])

    def similarity(self, claim: str, texts: Sequence[str]) -> list[float]:
        """The cosine of `claim` with each of `texts` (the embedder's statement vectors)."""
        if not texts:
            return []
        vectors = self._vectors_of([claim, *texts])
        return [float(v) for v in vectors[1:] @ vectors[0]]

    def __call__(self, claim: str, texts: Sequence[str]) -> list[bool]:
        return [score >= self.threshold for score in self.similarity(claim, texts)]

    def anchors(self, words: str, texts: Sequence[str]) -> list[bool]:
        """For each of `texts`, whether it is, among all the FAQ's sentences, one that `words` (a claim without its
        figures) singles out; True for every text when the FAQ's sentences are not at hand."""
        if self.singles_out is None or not texts:
            return [True] * len(texts)
        with self.lock:  # the retriever's embedder, shared like the one above
            return list(self.singles_out(words, texts))


def restatement_for(embedder: Embedder | None, threshold: float, *, lock: AbstractContextManager | None = None,
                    singles_out: SinglesOut | None = None) -> Restatement | None:
    """The restatement test of `embedder` at `threshold`; None without an embedder or when the threshold is above 1
    (the embedder's similarity was not measured as a translation test: claims are read by their words alone)."""
    if embedder is None or threshold > 1:
        return None
    return Restatement(embedder, threshold, lock=lock, singles_out=singles_out)
