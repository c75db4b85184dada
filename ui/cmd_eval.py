"""`faqbot eval` and `faqbot bench`: the measuring side of the command line."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from eval.cases import load_cases, select_cases
from eval.retrieval import run_retrieval, summarise_retrieval
from index import load_retriever
from ingest.errors import InputError
from ui.cmd_data import index_settings, ingest_settings
from ui.render import progress_bar

if TYPE_CHECKING:
    from chatbot.restatement import Restatement


def add_parsers(sub: argparse._SubParsersAction, add_faq, add_index) -> None:
    """Register `eval` and `bench`."""
    p = sub.add_parser("eval", help="run evaluation cases and score them")
    add_faq(p)
    add_index(p)
    p.add_argument("--cases", nargs="+", type=Path, metavar="FILE", help="JSONL case files")
    p.add_argument("--out", type=Path, metavar="DIR", help="where results, summary and reports go")
    p.add_argument("--retrieval-only", action="store_true", help="score retrieval only (no LLM)")
    p.add_argument("--split", choices=["tune", "test"], default=None,
                   help="run only the cases of this split (default: all; develop rules on tune, report on test)")
    p.add_argument("--only", metavar="ID", nargs="+", default=None, help="run only the cases with these ids")
    p.add_argument("--baseline", type=Path, metavar="FILE", help="baseline results.jsonl (or its folder) to compare")
    p.add_argument("--accept", action="store_true",
                   help="store this run as the baseline (in the --baseline folder, default eval/baseline)")
    p.add_argument("--cache", type=Path, default=None, metavar="FILE",
                   help="answer cache (default eval/cache/answers.jsonl)")
    p.add_argument("--no-cache", action="store_true", help="always ask the LLM and keep no cache")
    p.add_argument("--regenerate", action="store_true",
                   help="ask the LLM for every answer and refresh the cache with the new answers (make eval)")
    p.add_argument("--cached-only", action="store_true",
                   help="never ask the LLM: a prompt without a cached answer fails its case (what make test runs)")
    p.add_argument("--repeat", type=int, default=1, metavar="N", help="2: run twice uncached, report agreement")
    p.add_argument("--mutate", action="store_true", help="self-test: share of mutated answers the checks catch")
    p.add_argument("--thresholds", type=Path, default=None, metavar="FILE",
                   help="metric bounds (default eval/thresholds.toml)")
    p.add_argument("--verifier", nargs="?", type=Path, const=True, default=None, metavar="DIR",
                   help="measure the claim checks on their labelled benchmark (default eval/verifier): precision "
                        "and recall of 'not supported' per split and kind, with the default embedder's "
                        "restatement test for claims in English (--judge: and the LLM's claim judge, its replies "
                        "cached in eval/cache/verifier.jsonl)")
    p.add_argument("--words-only", action="store_true",
                   help="with --verifier: the word checks alone, no embedder or LLM loaded (as before the restatement "
                        "test and the claim judge)")
    p.add_argument("--judge", action="store_true",
                   help="with --verifier: with the LLM's claim judge, off by default (FAQBOT_CLAIM_JUDGE=1 does the same)")
    p.add_argument("--errors", type=int, default=0, metavar="N",
                   help="with --verifier: list the first N misjudged pairs of the --errors-split split")
    p.add_argument("--errors-split", choices=("tune", "test", "all"), default="tune",
                   help="whose misjudged pairs --errors lists (default tune: test is held out, read its figures only)")
    p.add_argument("-k", type=int, default=4, help="passages retrieved per question (default 4)")
    p.add_argument("--llm", metavar="NAME", help="LLM backend: llamacpp (default), ollama, openai")
    p.add_argument("--model", metavar="NAME", help="model name (llamacpp: qwen-1.5b or qwen-0.5b)")
    p.add_argument("--length", choices=["court", "developpe"], default=None, help="answer length")
    p.set_defaults(func=eval_cmd)

    p = sub.add_parser("calibrate", help="derive the score thresholds from the tune cases and store them with the index")
    add_faq(p)
    add_index(p)
    p.add_argument("--cases", nargs="+", type=Path, required=True, metavar="FILE",
                   help="JSONL case files of this FAQ (only their tune cases are used)")
    p.add_argument("-k", type=int, default=4, help="passages retrieved per question (default 4)")
    p.add_argument("--dry-run", action="store_true", help="print the thresholds without storing them")
    p.add_argument("--if-stale", action="store_true",
                   help="only when the stored calibration is missing or was made for another index or other cases")
    p.add_argument("--json", action="store_true", help="print the calibration as JSON")
    p.set_defaults(func=calibrate_cmd)

    p = sub.add_parser("bench", help="benchmark retrieval (and answers) against the bare model as a floor")
    add_faq(p)
    add_index(p)
    p.add_argument("--retrieval", action="store_true", help="benchmark retrieval only")
    p.add_argument("--answers", action="store_true", help="benchmark answers only")
    p.add_argument("--queries", type=int, default=60, help="number of timed retrieval queries (default 60)")
    p.add_argument("--questions", type=int, default=12, help="number of timed answers (default 12)")
    p.add_argument("--llm", metavar="NAME", help="LLM backend (the answer benchmark needs llamacpp)")
    p.add_argument("--model", metavar="NAME", help="model name (qwen-1.5b or qwen-0.5b)")
    p.add_argument("-k", type=int, default=None, help="passages retrieved (default 4)")
    p.add_argument("--length", choices=["court", "developpe"], default=None, help="answer length")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=bench_cmd)


def eval_cmd(args: argparse.Namespace) -> int:
    """Run the cases, write results, summary and reports; exit 1 on a regression or a crossed threshold."""
    from eval.report import compare, load_thresholds, write_reports
    from eval.suite import BASELINE_DIR, CACHE_FILE, THRESHOLDS_FILE, SuiteOptions, run_suite, write_results

    if args.verifier is not None:
        return verifier_cmd(args)
    if not args.cases or args.out is None:
        raise InputError("faqbot eval needs --cases FILE... and --out DIR (or --verifier)")
    if args.k < 1:
        raise InputError("-k must be at least 1")
    if args.repeat < 1:
        raise InputError("--repeat must be at least 1")
    if args.accept and (args.split or args.only):
        raise InputError("--accept stores a whole baseline: run it without --split and --only")
    cases = select_cases(load_cases(args.cases), split=args.split, ids=args.only)
    thresholds = args.thresholds or THRESHOLDS_FILE
    load_thresholds(thresholds)  # a bad thresholds file is reported before minutes of work, not after
    if args.retrieval_only:
        retriever = load_retriever(ingest_settings(args), index_settings(args))
        with progress_bar("cases", unit="case") as update:
            records = run_retrieval(cases, retriever, k=args.k, progress=update)
        summary = {"cases": len(cases), "k": args.k, **summarise_retrieval(records, args.k)}
        comparison = compare(records, None, summary, None, load_thresholds(thresholds))
        summary["gate"] = {"exit_code": comparison.exit_code, "reasons": comparison.reasons}
        write_results(args.out, records, summary)
        write_reports(args.out, comparison, records, None)
        print(json.dumps({k: v for k, v in summary.items() if k != "gate"}, ensure_ascii=False, indent=2))
        for reason in comparison.reasons:
            print(f"faqbot eval: {reason}", file=sys.stderr)
        return comparison.exit_code
    from ui.cmd_ask import make_bot

    bot = make_bot(args)
    baseline = args.baseline
    if baseline is None and BASELINE_DIR.joinpath("results.jsonl").exists() and not args.accept:
        baseline = BASELINE_DIR
    accept_dir = BASELINE_DIR
    if args.baseline is not None:
        accept_dir = args.baseline.parent if args.baseline.is_file() else args.baseline
    if args.accept and baseline is not None and not (baseline.is_file() or (baseline / "results.jsonl").exists()):
        baseline = None  # a first baseline: nothing to compare with yet
    options = SuiteOptions(out=args.out, baseline=baseline, cache=None if args.no_cache else (args.cache or CACHE_FILE),
                           cached_only=args.cached_only, regenerate=args.regenerate, accept=args.accept,
                           accept_dir=accept_dir, repeat=args.repeat, mutate=args.mutate,
                           thresholds=thresholds, k=args.k)
    with progress_bar("cases", unit="case") as update:
        result = run_suite(cases, bot, options, progress=update)
    summary = {k: v for k, v in result.summary.items() if k != "gate"}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"results in {args.out}/results.jsonl, summary.json, report.md, report.html", file=sys.stderr)
    if args.accept:
        print(f"accepted as the new baseline in {accept_dir} (commit it with the answer cache {options.cache})",
              file=sys.stderr)
    for reason in result.reasons:
        print(f"faqbot eval: {reason}", file=sys.stderr)
    print("faqbot eval: " + ("FAILED" if result.exit_code else "passed"), file=sys.stderr)
    return result.exit_code


def verifier_cmd(args: argparse.Namespace) -> int:
    """Precision and recall of the claim checks on the verifier benchmark; exit 1 when the test split crosses
    a `verifier_*` bound of the thresholds file."""
    from eval.report import load_thresholds
    from eval.suite import THRESHOLDS_FILE
    from eval.verifier import (
        BENCH_DIR,
        bench_files,
        format_result,
        gate,
        judge_of,
        load_pairs,
        load_passages,
        load_titles,
        run_bench,
        sentence_ranker,
        verify_judge,
    )

    folder = BENCH_DIR if args.verifier is True else args.verifier
    files = bench_files(folder)
    if not files:
        raise InputError(f"no verifier pairs in {folder}: expected tune.jsonl and test.jsonl (docs/verifier.md)")
    restates = None if args.words_only else default_restatement(folder / "passages.jsonl")
    from chatbot.backends import make_backend
    from ui.cmd_ask import chat_settings

    settings = chat_settings(args)
    entails = None
    if not args.words_only and (args.judge or settings.claim_judge):
        # The replies the judge gives on the benchmark are cached like answers: a second run asks the model nothing.
        entails = judge_of(make_backend(settings), offline=args.cached_only)
    # With the embedder, a Yes/No is read as the bot reads it: against the sentence ranked first as the answer.
    rank = sentence_ranker(restates.embedder, load_titles(folder / "passages.jsonl")) if restates else None
    result = run_bench(load_pairs(files), load_passages(folder / "passages.jsonl"),
                       partial(verify_judge, restates=restates, entails=entails, rank=rank))
    splits = ("tune", "test") if args.errors_split == "all" else (args.errors_split,)
    print(format_result(result, errors=args.errors, error_splits=splits))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "verifier.json").write_text(json.dumps(result.summary(), indent=2) + "\n", encoding="utf-8")
    reasons = gate(result, load_thresholds(args.thresholds or THRESHOLDS_FILE))
    for reason in reasons:
        print(f"faqbot eval: {reason}", file=sys.stderr)
    return 1 if reasons else 0


def default_restatement(passages: Path) -> Restatement | None:
    """The restatement test the bot runs with the default embedder and its default thresholds; the FAQ's sentences
    an English claim's words must single out are those of the benchmark's `passages` file."""
    from chatbot.restatement import restatement_for
    from chatbot.settings import default_thresholds
    from eval.verifier import sentence_singles_out
    from index.embedders import make_embedder

    embedder, thresholds = make_embedder("gemma"), default_thresholds("gemma")
    return restatement_for(embedder, thresholds.restate_min,
                           singles_out=sentence_singles_out(embedder, passages, thresholds.cross_quote_z))


def calibrate_cmd(args: argparse.Namespace) -> int:
    """Derive the thresholds from the tune cases, check them on every case, store them beside the index."""
    from chatbot.settings import default_thresholds
    from eval.calibrate import calibrate
    from index import THRESHOLDS_FILE, check_index, read_thresholds, write_thresholds

    if args.k < 1:
        raise InputError("-k must be at least 1")
    cases = load_cases(args.cases)
    cases_sha256 = hashlib.sha256(b"".join(p.read_bytes() for p in args.cases)).hexdigest()
    idx = index_settings(args)
    if args.if_stale and not args.dry_run:
        _, loaded = check_index(ingest_settings(args), idx)
        stored = read_thresholds(loaded.directory, loaded.manifest)
        if stored and not stored.get("stale") and stored.get("cases_sha256") == cases_sha256:
            calibrated = ", ".join(f"{k} {v}" for k, v in stored["values"].items()) or "none: embedder defaults"
            print(f"thresholds are up to date ({calibrated}) in {idx.index_dir / THRESHOLDS_FILE}")
            return 0
    retriever = load_retriever(ingest_settings(args), idx)
    defaults = default_thresholds(idx.embedder)
    with progress_bar("tune cases", unit="case") as update:
        result = calibrate(cases, retriever, defaults, k=args.k, progress=update)
    refused = result.refused_without_llm(result.thresholds(defaults).off_topic)
    report = {"embedder": idx.embedder, "tune_cases": result.tune_cases, "used_cases": result.used_cases,
              "thresholds": {c.name: c.to_dict() for c in result.cuts}, "tune_refused_without_llm": refused,
              "cases": [str(p) for p in args.cases]}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{result.used_cases} of {result.tune_cases} tune cases used (questions without history; answer "
              f"and refuse), embedder {idx.embedder}")
        for cut in result.cuts:
            where = (f"gap {cut.below:.3f}–{cut.above:.3f}" if cut.below is not None and cut.above is not None
                     else cut.note or "")
            print(f"  {cut.name:13s} {cut.value:.3f}  (default {cut.default:.2f}; {cut.positives} should pass, "
                  f"{cut.negatives} should not, {cut.errors} on the wrong side; {where})")
            if cut.held:
                # One case alone places this cut: the next tune case written may move it (and test verdicts).
                held = ", ".join(f"{case_id} ({moved:.3f} without it)" for case_id, moved in cut.held)
                print(f"  {'':13s} held by one case: {held}")
        print(f"  refused before any LLM call: {refused['answer']:.1%} of the answerable tune cases, "
              f"{refused['refuse']:.1%} of the must-abstain ones (the test split is measured by `faqbot eval`)")
    if args.dry_run:
        return 0
    path = idx.index_dir / THRESHOLDS_FILE
    write_thresholds(idx.index_dir, result.values, {
        "from": "faqbot calibrate", "cases": [str(p) for p in args.cases], "cases_sha256": cases_sha256,
        "tune_cases": result.tune_cases, "used_cases": result.used_cases, "details": report["thresholds"]})
    if not result.values:
        print(f"no threshold could be calibrated (too few tune cases): the {idx.embedder} defaults apply; "
              f"recorded in {path}", file=sys.stderr)
    else:
        print(f"thresholds stored in {path} (recorded in the index manifest)", file=sys.stderr)
    return 0


def bench_cmd(args: argparse.Namespace) -> int:
    """Print retrieval and/or answer benchmark figures, each against the bare model as the floor."""
    from eval.bench import bench_answers, bench_retrieval, format_answers, format_retrieval
    from ui.cmd_ask import chat_settings

    if args.queries < 50:
        raise InputError("--queries must be at least 50 for stable percentiles")
    if args.questions < 10:
        raise InputError("--questions must be at least 10")
    both = not args.retrieval and not args.answers
    figures: dict = {}
    if args.retrieval or both:
        figures["retrieval"] = bench_retrieval(ingest_settings(args), index_settings(args), queries=args.queries)
        if not args.json:
            print(format_retrieval(figures["retrieval"]), flush=True)
    if args.answers or both:
        figures["answers"] = bench_answers(ingest_settings(args), index_settings(args), chat_settings(args),
                                           questions=args.questions)
        if not args.json:
            print(format_answers(figures["answers"]), flush=True)
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    return 0


