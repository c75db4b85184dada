"""`faqbot eval` and `faqbot bench`: the measuring side of the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.cases import load_cases
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
    p.add_argument("--cases", nargs="+", type=Path, required=True, metavar="FILE", help="JSONL case files")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where results and summary go")
    p.add_argument("--retrieval-only", action="store_true", help="score retrieval only (no LLM)")
    p.add_argument("-k", type=int, default=4, help="passages retrieved per question (default 4)")
    p.add_argument("--llm", metavar="NAME", help="LLM backend: llamacpp (default), ollama, openai")
    p.add_argument("--model", metavar="NAME", help="model name (llamacpp: qwen-1.5b or qwen-0.5b)")
    p.add_argument("--length", choices=["court", "developpe"], default=None, help="answer length")
    p.set_defaults(func=eval_cmd)

    p = sub.add_parser("bench", help="benchmark retrieval (and answers) against the bare model as a floor")
    add_faq(p)
    add_index(p)
    p.add_argument("--retrieval", action="store_true", help="benchmark retrieval")
    p.add_argument("--queries", type=int, default=60, help="number of timed queries (default 60)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=bench_cmd)


def _write_results(out: Path, records: list[dict], summary: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def eval_cmd(args: argparse.Namespace) -> int:
    """Run the cases and write results.jsonl and summary.json."""
    if args.k < 1:
        raise InputError("-k must be at least 1")
    cases = load_cases(args.cases)
    if args.retrieval_only:
        retriever = load_retriever(ingest_settings(args), index_settings(args))
        with progress_bar("cases", unit="case") as update:
            records = run_retrieval(cases, retriever, k=args.k, progress=update)
        summary = {"cases": len(cases), "k": args.k, **summarise_retrieval(records, args.k)}
    else:
        from eval.answers import run_answers, summarise_answers
        from ui.cmd_ask import make_bot

        bot = make_bot(args)
        with progress_bar("cases", unit="case") as update:
            records = run_answers(cases, bot, k=args.k, progress=update)
        summary = {"backend": bot.backend_name, "model": bot.model_name, **summarise_answers(records)}
    _write_results(args.out, records, summary)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"results in {args.out}/results.jsonl and {args.out}/summary.json", file=sys.stderr)
    return 0


def bench_cmd(args: argparse.Namespace) -> int:
    """Print retrieval benchmark figures with the bare embedding model as the floor."""
    from eval.bench import bench_retrieval, format_retrieval

    if args.queries < 50:
        raise InputError("--queries must be at least 50 for stable percentiles")
    figures = bench_retrieval(ingest_settings(args), index_settings(args), queries=args.queries)
    print(json.dumps(figures, indent=2) if args.json else format_retrieval(figures))
    return 0
