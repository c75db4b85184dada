"""Integration: the real EmbeddingGemma index finds the right FAQ question for French paraphrases."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

PARAPHRASES = [
    ("Combien pèse le Groupe SOS financièrement ?", 4),
    ("c'est qui le patron du groupe sos", 2),
    ("Est-ce que le groupe touche de l'argent public ?", 5),
    ("Le groupe SOS roule pour un parti ?", 11),
    ("Pourquoi les assos acceptent de se faire reprendre ?", 8),
    ("Pourquoi personne ne connaît le Groupe SOS ?", 12),
    ("pourquoi ils achètent des immeubles", 7),
    ("Quels sont leurs objectifs pour 2025 ?", 6),
    ("Does Groupe SOS pay dividends to shareholders?", 9),
    ("Quelles valeurs défend le groupe ?", 1),
]


@pytest.mark.parametrize(("question", "section"), PARAPHRASES)
def test_paraphrase_finds_its_section_in_the_top_passages(gemma_retriever, question: str, section: int) -> None:
    hits = gemma_retriever.search(question, k=4)
    assert section in [h.chunk.section for h in hits]


def test_most_paraphrases_rank_their_section_first(gemma_retriever) -> None:
    first = sum(gemma_retriever.search(q, k=1)[0].chunk.section == s for q, s in PARAPHRASES)
    assert first >= 8


def test_off_topic_questions_score_below_on_topic_ones(gemma_retriever) -> None:
    on_topic = gemma_retriever.search("Quel est le budget du Groupe SOS ?", k=1)[0].score
    off_topic = gemma_retriever.search("Quelle est la capitale du Japon ?", k=1)[0].score
    assert off_topic < on_topic - 0.15
