"""`faqbot bench`: figures beside a floor measured in the same run, the CPU named, vectors and retrieval
metrics compared with the floor's, and where an answer's time goes."""

from __future__ import annotations

from pathlib import Path

from chatbot.answer import Answer
from eval.bench import STAGES, _stages, bench_retrieval, format_answers, format_retrieval
from index import IndexSettings
from index.hardware import cpu_info
from ingest import IngestSettings

CASES = '{"id": "c1", "question": "Quel est le budget de l\'association ?", "kind": "answer", ' \
        '"expect_sections": [2]}\n'


def test_retrieval_bench_reports_ours_beside_the_floor_on_this_cpu(mini_faq: Path, tmp_path: Path) -> None:
    cases = tmp_path / "mini.jsonl"
    cases.write_text(CASES, encoding="utf-8")
    # A case file of refusals names no FAQ question: it has no retrieval figures, and the report says so.
    refusals = tmp_path / "refusals.jsonl"
    refusals.write_text('{"id": "r1", "question": "Quel temps fait-il ?", "kind": "refuse"}\n', encoding="utf-8")
    figures = bench_retrieval(IngestSettings(faq_path=mini_faq),
                              IndexSettings.from_env(index_dir=tmp_path / "idx", embedder="hash"),
                              queries=50, case_files=[cases, refusals])
    assert figures["cpu"] == cpu_info().to_dict() and figures["queries"] == 50
    assert figures["index_build_s"] > 0 and figures["index_build_floor_s"] > 0 and figures["query_p50_ms"] > 0
    assert figures["cosine_min_texts"] > 0.999, "the same model as its own floor gives the same vectors"
    assert figures["retrieval"][0]["file"] == "mini.jsonl" and figures["retrieval"][0]["changed"] == []
    assert figures["peak_rss_search_mb"] > 0
    text = format_retrieval(figures)
    assert cpu_info().model in text and "floor" in text and "mini.jsonl" in text
    assert "refusals.jsonl       no case names the FAQ question it expects" in text


def test_answer_stages_come_from_the_answer_and_the_backend() -> None:
    answer = Answer(question="q", text="t", abstained=False, sources=(), backend="llamacpp", model="m",
                    timings_ms={"retrieval": 40.0, "evidence": 1.0, "first_token": 900.0, "decode": 2500.0,
                                "verification": 5.0, "quotes": 1.0, "total": 3500.0})
    call = {"first": 0.85, "prepare": {"prepare_s": 0.02, "restored_tokens": 1000}}
    stages = _stages(answer, call)
    assert stages["prompt"] == 20.0 and round(stages["question"]) == 830
    assert "rewrite" not in stages and "regeneration" not in stages
    assert set(stages) <= {key for key, _ in STAGES}


def test_answer_report_lists_every_stage_and_how_often_it_ran() -> None:
    stages = {key: {"label": label, "runs": 0 if key in ("rewrite", "regeneration") else 12, "of": 12,
                    "p50_ms": 100.0, "mean_ms": 120.0} for key, label in STAGES}
    figures = {"model": "qwen", "questions": 12, "compared": 12, "llm_calls": 15, "cpu_description": "AMD EPYC",
               "load_average": 0.5, "llm_load_s": 2.0, "warm_up_s": 1.0, "states_computed": 0, "states_total": 14,
               "ttft_p50_s": 0.9, "ttft_p95_s": 1.2, "ttft_floor_p50_s": 9.0, "ttft_floor_p95_s": 12.0,
               "ttft_ratio_p50": 0.1, "decode_tps": 15.0, "decode_floor_tps": 15.0, "answer_tokens_p50": 40,
               "total_p50_s": 3.5, "total_p95_s": 6.0, "total_floor_p50_s": 12.0, "prompt_tokens_p50": 1000,
               "restart_first_token_s": 1.0, "restart_total_s": 3.0, "ask_wall_s": 9.0, "peak_rss_ask_mb": 2000,
               "draft_tokens": 4, "drafted": 200, "draft_kept": 150, "draft_batches": 60, "same_text": 11,
               "stages": stages}
    text = format_answers(figures)
    assert "AMD EPYC" in text and "regeneration (second answer, verified)" in text
    assert "150 of 200 proposed tokens kept (75%)" in text and "identical to floor  11 of 12" in text
    assert " 0/12" in text and "12/12" in text and "first question after a restart" in text
