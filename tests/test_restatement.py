"""The restatement test: sentence similarity from the embedder's statement vectors, cached, with a threshold."""

from __future__ import annotations

import numpy as np

from chatbot.restatement import Restatement
from index.embedders import HashEmbedder


class CountingEmbedder(HashEmbedder):
    """The toy embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_statements(self, texts):
        self.embedded.extend(texts)
        return super().embed_statements(texts)


def test_a_text_is_its_own_restatement_and_an_unrelated_one_is_not() -> None:
    test = Restatement(HashEmbedder(), threshold=0.9)
    same, other = test("Le siège est à Paris.", ["Le siège est à Paris.", "Les dividendes sont réinvestis chaque année."])
    assert same and not other
    scores = test.similarity("Le siège est à Paris.", ["Le siège est à Paris."])
    assert np.isclose(scores[0], 1.0)


def test_vectors_are_computed_once_per_text() -> None:
    """The FAQ's sentences come back for every claim of every answer: each is embedded once."""
    embedder = CountingEmbedder()
    test = Restatement(embedder, threshold=0.5)
    sources = ["Première phrase de la FAQ.", "Deuxième phrase de la FAQ."]
    test("Une affirmation.", sources)
    test("Une autre affirmation.", sources)
    assert sorted(embedder.embedded) == sorted(["Une affirmation.", "Une autre affirmation.", *sources])


def test_the_cache_keeps_its_size_and_still_answers_a_larger_request() -> None:
    test = Restatement(HashEmbedder(), threshold=0.5, cache_size=2)
    flags = test("claim", [f"texte {n}" for n in range(5)])
    assert len(flags) == 5 and len(test._vectors) <= 6
    test("claim", ["texte 0"])
    assert len(test._vectors) == 2


def test_no_restatement_test_without_an_embedder_or_above_a_cosine_of_one() -> None:
    """An embedder whose similarity was not measured as a translation test (e5: 1.01) reads claims by their words."""
    from chatbot.restatement import restatement_for

    assert restatement_for(HashEmbedder(), 0.85) is not None
    assert restatement_for(HashEmbedder(), 1.01) is None
    assert restatement_for(None, 0.85) is None
