"""The regression suite: run cases (answers from the cache when unchanged), compare with the baseline and
the thresholds, write results, summary and reports, accept a new baseline, and self-test the checks."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from chatbot import Chatbot
from chatbot.backends.cache import AnswerCache, CachingLLM
from eval.answers import run_answers, summarise_answers
from eval.cases import Case
from ingest.errors import InputError
from ingest.normalize import normalize
from ingest.settings import REPO_ROOT

if TYPE_CHECKING:
    from chatbot.backends.base import LLM
    from eval.mutate import MutationReport

BASELINE_DIR = REPO_ROOT / "eval" / "baseline"
CACHE_FILE = REPO_ROOT / "eval" / "cache" / "answers.jsonl"
THRESHOLDS_FILE = REPO_ROOT / "eval" / "thresholds.toml"


@dataclass
class SuiteOptions:
    """How to run the suite."""

    out: Path
    baseline: Path | None = None
    cache: Path | None = CACHE_FILE
    cached_only: bool = False
    regenerate: bool = False
    accept: bool = False
    accept_dir: Path = BASELINE_DIR  # where --accept stores the run (a second FAQ keeps its own baseline)
    repeat: int = 1
    mutate: bool = False
    thresholds: Path = THRESHOLDS_FILE
    k: int = 4


@dataclass
class SuiteResult:
    """What a run produced and whether the gate passed."""

    records: list[dict]
    summary: dict
    exit_code: int
    reasons: list[str] = field(default_factory=list)


def load_results(path: Path | None) -> tuple[list[dict] | None, dict | None]:
    """A baseline: its results.jsonl records and summary.json (path to either file or their folder)."""
    if path is None:
        return None, None
    folder = path if path.is_dir() else path.parent
    results = path if path.is_file() else folder / "results.jsonl"
    if not results.exists():
        raise InputError(f"baseline not found: {results} (run `faqbot eval ... --accept` to create it)")
    records = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary_file = folder / "summary.json"
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else None
    return records, summary


def write_results(out: Path, records: list[dict], summary: dict) -> None:
    """`results.jsonl` (one record per case) and `summary.json`."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def agreement(first: list[dict], second: list[dict]) -> float | None:
    """Share of cases whose two uncached answers are identical (after normalisation)."""
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if "cache" not in a["checks"]]
    if not pairs:
        return None
    same = sum(normalize(a["answer"]) == normalize(b["answer"]) and a["abstained"] == b["abstained"]
               for a, b in pairs)
    return round(same / len(pairs), 4)


def _self_tests(cases: list[Case], records: list[dict], bot: Chatbot, inner: LLM | None, summary: dict, *,
                offline: bool) -> MutationReport:
    """The checks' self-tests, their figures added to `summary`: mutated answers, and the labelled claims of the
    verifier benchmark (eval/verifier, precision and recall on its test split)."""
    from eval.mutate import default_judge, run_mutation_test
    from eval.verifier import (
        BENCH_DIR,
        bench_files,
        judge_of,
        load_pairs,
        load_passages,
        run_bench,
        verify_judge,
    )
    from eval.verifier import metrics as verifier_metrics

    texts = {c.chunk_id: c.text for c in bot.retriever.chunks}
    # The judge runs every check a real answer faces: grounding and the case's required/forbidden facts.
    judge = partial(default_judge, source_texts=texts, cases={c.id: c for c in cases}, restates=bot.restates,
                    entails=bot.entails)
    mutation = run_mutation_test(records, texts, judge)
    summary.update(mutation.metrics())
    summary["mutants"] = mutation.total
    if bench_files():
        entails = judge_of(inner, offline=offline) if bot.entails is not None else None
        summary.update(verifier_metrics(run_bench(load_pairs(bench_files()), load_passages(BENCH_DIR / "passages.jsonl"),
                                                  partial(verify_judge, restates=bot.restates, entails=entails))))
    return mutation


def run_suite(cases: list[Case], bot: Chatbot, options: SuiteOptions,
              progress: Callable[[int, int], None] | None = None) -> SuiteResult:
    """Run the cases, gate them against the baseline and thresholds, and write every output."""
    from eval.report import compare, load_thresholds, write_reports

    inner = bot.llm
    cache = AnswerCache(options.cache) if options.cache else None
    if cache is not None and inner is not None:
        bot.llm = CachingLLM(inner, cache, offline=options.cached_only,
                             read=options.repeat < 2 and not options.regenerate)
    mutation = None
    try:
        records = run_answers(cases, bot, k=options.k, progress=progress)
        summary = summarise_answers(records)
        if options.repeat >= 2:
            second = run_answers(cases, bot, k=options.k, progress=progress)
            summary["repeat_agreement"] = agreement(records, second)
        if options.mutate:
            # Still through the answer cache: the claim judge reads some mutants as it reads answers.
            mutation = _self_tests(cases, records, bot, inner, summary, offline=options.cached_only)
    finally:
        bot.llm = inner
    summary = {"backend": bot.backend_name, "model": bot.model_name, **summary}
    if cache is not None:
        summary["cache"] = {"hits": cache.hits, "misses": cache.misses, "file": str(options.cache)}

    baseline, baseline_summary = load_results(options.baseline)
    comparison = compare(records, baseline, summary, baseline_summary, load_thresholds(options.thresholds))
    reasons = list(comparison.reasons)
    stale = [r["id"] for r in records if "cache" in r["checks"]]
    exit_code = comparison.exit_code
    if stale:
        exit_code = 1
        reasons.append(f"{len(stale)} case(s) have no cached answer (the FAQ, the prompt or the model changed): "
                       f"{', '.join(stale[:10])}{' ...' if len(stale) > 10 else ''}; run `make eval` and commit "
                       "eval/cache")
    summary["gate"] = {"exit_code": exit_code, "reasons": reasons}
    write_results(options.out, records, summary)
    write_reports(options.out, comparison, records, baseline, mutation=mutation)
    if options.accept:
        accept(options.out, cache, options.accept_dir)
    return SuiteResult(records, summary, exit_code, reasons)


def accept(out: Path, cache: AnswerCache | None, baseline_dir: Path = BASELINE_DIR) -> None:
    """Make this run the baseline (results and summary copied under eval/) and keep only used cache entries."""
    baseline_dir.mkdir(parents=True, exist_ok=True)
    for name in ("results.jsonl", "summary.json"):
        shutil.copyfile(out / name, baseline_dir / name)
    if cache is not None:
        cache.prune()
