"""The verifier benchmark's report: figures per split, and misjudged pairs listed from `tune` only unless asked."""

from __future__ import annotations

import json

from eval.verifier import BenchResult, Outcome, Pair, format_result, metrics


def _pair(pid: str, label: str, split: str) -> Pair:
    return Pair(pid, f"claim {pid} [1].", ("q01-x",), "question ?", label, "real", split)


RESULT = BenchResult([
    Outcome(_pair("tune-miss", "unsupported", "tune"), rejected=False),
    Outcome(_pair("tune-hit", "unsupported", "tune"), rejected=True, reasons=("support",)),
    Outcome(_pair("test-miss", "unsupported", "test"), rejected=False),
    Outcome(_pair("test-false", "supported", "test"), rejected=True, reasons=("names",)),
    Outcome(_pair("test-hit", "unsupported", "test"), rejected=True, reasons=("polarity",)),
], seconds=0.01)


def test_errors_list_the_tune_split_only_by_default() -> None:
    text = format_result(RESULT, errors=5)
    assert "tune-miss" in text
    assert "test-miss" not in text and "test-false" not in text, "test is held out: its figures, not its pairs"
    assert "test: 3 pairs" in text


def test_the_test_splits_errors_are_listed_when_asked() -> None:
    text = format_result(RESULT, errors=5, error_splits=("test",))
    assert "test-miss" in text and "test-false" in text and "tune-miss" not in text


def test_the_gated_figures_are_the_test_splits() -> None:
    figures = metrics(RESULT)
    assert figures["verifier_pairs"] == 3
    assert figures["verifier_recall"] == 0.5 and figures["verifier_precision"] == 0.5


def test_the_benchmark_ranks_a_passages_sentences_as_answers_to_the_question() -> None:
    """Without the FAQ's index, the benchmark ranks the cited passages' sentences with the embedder, each under its
    question's title, as retrieval does (here the toy embedder: shared words)."""
    from eval.verifier import sentence_ranker
    from index.embedders import HashEmbedder

    passage = ("La Fondation Lumière gère des crèches.\n- Elle ne verse aucun dividende à ses membres.\n"
               "Ses comptes sont publiés chaque année.")
    rank = sentence_ranker(HashEmbedder(), {passage: "Quel est le modèle de la Fondation Lumière ?"})
    ranked = rank("Verse-t-elle des dividendes ?", [passage])
    assert ranked[0] == "Elle ne verse aucun dividende à ses membres."
    assert sorted(ranked) == sorted(["La Fondation Lumière gère des crèches.",
                                     "Elle ne verse aucun dividende à ses membres.",
                                     "Ses comptes sont publiés chaque année."])


def test_the_benchmark_singles_out_a_sentence_as_the_bot_index_does(tmp_path) -> None:
    """`faqbot eval --verifier` reads an English claim's words against every FAQ sentence of its passages file, as
    the bot reads them against its index: the words of one sentence single it out, and not its neighbour."""
    from eval.verifier import sentence_singles_out
    from index.embedders import HashEmbedder

    rows = [{"chunk_id": "q01-a", "text": "Le club gère douze refuges de montagne. Ses guides sont bénévoles.",
             "title": "Qui sommes-nous ?"},
            {"chunk_id": "q02-b", "text": "La cotisation annuelle est de trente euros.", "title": "Combien ?"},
            {"chunk_id": "q03-c", "text": "Le bureau se réunit chaque mois.", "title": "Le bureau"}]
    path = tmp_path / "passages.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    singles = sentence_singles_out(HashEmbedder(), path, z_min=1.0)
    refuges, cotisation = "Le club gère douze refuges de montagne.", "La cotisation annuelle est de trente euros."
    assert singles("Le club gère douze refuges de montagne.", [refuges, cotisation]) == [True, False]
    assert singles("une phrase sans rapport", ["Une phrase que la FAQ n'a pas."]) == [True]  # holds no FAQ sentence
