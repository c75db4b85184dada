"""With the sentence blend on (`index.retriever.SENTENCE_WEIGHT`, off by default, kept for measurement), a question
answered by one line of a long passage is retrieved from that passage, not from a shorter one on a neighbouring
topic; off, the passage vectors alone rank, as before."""

from __future__ import annotations

import pytest

import index.retriever as retriever_module
from index import IndexSettings, build, load_retriever
from index.embedders import HashEmbedder
from index.retriever import Retriever
from ingest import IngestSettings

FAQ = """# Questions sur le Club Azur

## 1. Que propose le Club Azur ?

Le Club Azur organise des randonnées en montagne chaque dimanche, des sorties en forêt au printemps et des séjours \
en refuge l'été. Les parcours sont choisis par les guides selon la météo et le niveau du groupe. Les randonnées \
partent du parking de la gare et reviennent avant la nuit. Les séjours en refuge durent trois jours. Chaque \
automne, le club organise une fête des sentiers avec ses partenaires, les offices de tourisme et les communes \
voisines, et publie le calendrier des sorties de l'année suivante.

- Le club prête des casques de vélo aux débutants.

## 2. Où sont rangés les équipements ?

Les casques de vélo des débutants sont rangés au local du club, avec les cordes.
"""

QUESTION = "Le club prête-t-il des casques de vélo aux débutants ?"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = tmp_path_factory.mktemp("blend")
    faq = folder / "faq.md"
    faq.write_text(FAQ, encoding="utf-8")
    ingest_settings = IngestSettings(faq_path=faq)
    index_settings = IndexSettings.from_env(index_dir=folder / "index", embedder="hash")
    build(ingest_settings, index_settings, embedder=HashEmbedder())
    return load_retriever(ingest_settings, index_settings, embedder=HashEmbedder())


def test_with_the_blend_a_line_deep_in_a_long_passage_brings_its_section_first(
        retriever: Retriever, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retriever_module, "SENTENCE_WEIGHT", 0.5)
    assert retriever.rank(QUESTION)[0].chunk.section == 1


def test_by_default_the_passage_vectors_alone_rank_and_the_short_neighbour_wins(retriever: Retriever) -> None:
    assert retriever_module.SENTENCE_WEIGHT == 0.0
    assert retriever.rank(QUESTION)[0].chunk.section == 2


def test_the_blend_stays_a_cosine(retriever: Retriever, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retriever_module, "SENTENCE_WEIGHT", 0.5)
    scores = retriever.dense_scores(QUESTION)
    assert len(scores) == len(retriever.chunks)
    assert all(-1.0 <= s <= 1.0 for s in scores)
