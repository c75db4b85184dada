"""`faqbot eval` and `faqbot bench`: the measuring side of the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.cases import load_cases, select_cases
from eval.retrieval import run_retrieval, summarise_retrieval
from index import load_retriever
from ingest.errors import InputError
from ui.cmd_data import index_settings, ingest_settings
from ui.render import progress_bar


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
    p.add_argument("--accept", action="store_true", help="store this run as the baseline under eval/baseline")
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
                        "and recall of 'not supported' per split and kind; no model is loaded")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="with --verifier: list N misjudged pairs a split")
    p.add_argument("-k", type=int, default=4, help="passages retrieved per question (default 4)")
    p.add_argument("--llm", metavar="NAME", help="LLM backend: llamacpp (default), ollama, openai")
    p.add_argument("--model", metavar="NAME", help="model name (llamacpp: qwen-1.5b or qwen-0.5b)")
    p.add_argument("--length", choices=["court", "developpe"], default=None, help="answer length")
    p.set_defaults(func=eval_cmd)

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
    options = SuiteOptions(out=args.out, baseline=baseline, cache=None if args.no_cache else (args.cache or CACHE_FILE),
                           cached_only=args.cached_only, regenerate=args.regenerate, accept=args.accept,
                           repeat=args.repeat, mutate=args.mutate,
                           thresholds=thresholds, k=args.k)
    with progress_bar("cases", unit="case") as update:
        result = run_suite(cases, bot, options, progress=update)
    summary = {k: v for k, v in result.summary.items() if k != "gate"}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"results in {args.out}/results.jsonl, summary.json, report.md, report.html", file=sys.stderr)
    if args.accept:
        print("accepted as the new baseline in eval/baseline (commit it with eval/cache)", file=sys.stderr)
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
        load_pairs,
        load_passages,
        run_bench,
    )

    folder = BENCH_DIR if args.verifier is True else args.verifier
    files = bench_files(folder)
    if not files:
        raise InputError(f"no verifier pairs in {folder}: expected tune.jsonl and test.jsonl (docs/verifier.md)")
    result = run_bench(load_pairs(files), load_passages(folder / "passages.jsonl"))
    print(format_result(result, errors=args.errors))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "verifier.json").write_text(json.dumps(result.summary(), indent=2) + "\n", encoding="utf-8")
    reasons = gate(result, load_thresholds(args.thresholds or THRESHOLDS_FILE))
    for reason in reasons:
        print(f"faqbot eval: {reason}", file=sys.stderr)
    return 1 if reasons else 0


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


