"""Benchmarks: our pipeline against the bare model as a floor, measured in the same run.

Figures, never assertions: the machine is shared and noisy, so each figure comes with the floor measured
alongside it, and the ratio is what to compare across runs.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

from eval.cases import load_cases
from index import IndexSettings, Retriever, make_embedder
from index.store import build_index, embedding_inputs, open_index
from ingest import IngestSettings, ingest
from ingest.settings import REPO_ROOT

DEV_CASES = REPO_ROOT / "eval" / "cases" / "dev.jsonl"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def bench_queries(n: int, fallback: list[str]) -> list[str]:
    """`n` questions: the development cases' questions, cycled, or `fallback` when there are none."""
    try:
        questions = [c.question for c in load_cases([DEV_CASES])]
    except Exception:
        questions = []
    questions = questions or fallback
    return [questions[i % len(questions)] for i in range(n)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def bench_retrieval(ingest_settings: IngestSettings, index_settings: IndexSettings, *, queries: int = 60,
                    rounds: int = 2) -> dict:
    """Index build time and warm query latency, each against the bare embedding model doing the same work."""
    started = time.perf_counter()
    embedder = make_embedder(index_settings.embedder, index_settings.models_dir, index_settings.threads)
    load_s = time.perf_counter() - started
    faq = ingest(ingest_settings)
    texts, titles = embedding_inputs(faq.chunks)  # passages and sentences: everything a build embeds
    embedder.embed_documents(texts[:2], titles[:2])  # warm-up: first calls pay one-off allocation costs

    settings = {"max_chars": ingest_settings.max_chars, "overlap_chars": ingest_settings.overlap_chars}
    floor_build, ours_build = [], []
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        # Alternate floor and ours so that drift in machine load hits both alike.
        for _ in range(rounds):
            t = time.perf_counter()
            embedder.embed_documents(texts, titles)
            floor_build.append(time.perf_counter() - t)
            t = time.perf_counter()
            build_index(faq, embedder, index_dir, chunk_settings=settings)
            ours_build.append(time.perf_counter() - t)
        loaded = open_index(index_dir, faq_sha256=faq.sha256, chunk_settings=settings,
                            embedder=embedder.fingerprint())
    retriever = Retriever(loaded, embedder)
    fallback = [c.title for c in faq.chunks] + [a for c in faq.chunks for a in c.aliases]
    questions = bench_queries(queries, fallback)
    for q in questions[:3]:
        retriever.search(q)
    floor_q, ours_q = [], []
    for q in questions:
        t = time.perf_counter()
        embedder.embed_query(q)
        floor_q.append(time.perf_counter() - t)
        t = time.perf_counter()
        retriever.search(q, k=4)
        ours_q.append(time.perf_counter() - t)
    build_floor, build_ours = min(floor_build), min(ours_build)
    p50_floor, p50_ours = percentile(floor_q, 50), percentile(ours_q, 50)
    return {
        "embedder": embedder.name,
        "chunks": len(faq.chunks),
        "vectors": loaded.vectors.ntotal,
        "sentences": len(loaded.sentences),
        "model_load_s": round(load_s, 2),
        "index_build_s": round(build_ours, 3),
        "index_build_floor_s": round(build_floor, 3),
        "index_build_ratio": round(build_ours / build_floor, 3),
        "queries": len(questions),
        "query_p50_ms": _ms(p50_ours),
        "query_p95_ms": _ms(percentile(ours_q, 95)),
        "query_floor_p50_ms": _ms(p50_floor),
        "query_floor_p95_ms": _ms(percentile(floor_q, 95)),
        "query_ratio_p50": round(p50_ours / p50_floor, 3),
        "query_mean_ms": _ms(statistics.mean(ours_q)),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rounds": rounds,
    }


def format_retrieval(f: dict) -> str:
    """Human-readable retrieval benchmark report."""
    return "\n".join([
        f"retrieval benchmark — embedder {f['embedder']}, {f['chunks']} chunks ({f['vectors']} vectors, "
        f"{f['sentences']} sentence vectors)",
        f"  model load                 {f['model_load_s']:8.2f} s",
        f"  index build (ours)         {f['index_build_s']:8.3f} s   best of {f['rounds']}",
        f"  encode texts only (floor)  {f['index_build_floor_s']:8.3f} s   ratio ours/floor {f['index_build_ratio']:.3f}",
        f"  warm query p50 / p95       {f['query_p50_ms']:8.2f} / {f['query_p95_ms']:.2f} ms over {f['queries']} queries",
        f"  encode query only (floor)  {f['query_floor_p50_ms']:8.2f} / {f['query_floor_p95_ms']:.2f} ms"
        f"   ratio p50 ours/floor {f['query_ratio_p50']:.3f}",
        f"  peak memory (RSS)          {f['peak_rss_mb']:8.1f} MB",
    ])


class _Timed:
    """Wraps an LLM's `stream` to record, per call, when the first and last pieces came and the text."""

    def __init__(self, llm) -> None:
        self.llm = llm
        self.calls: list[dict] = []

    def __getattr__(self, name: str):
        return getattr(self.llm, name)

    def stream(self, messages, **kwargs):
        started = time.perf_counter()
        record = {"messages": messages, "first": None, "last": None, "text": ""}
        self.calls.append(record)
        for piece in self.llm.stream(messages, **kwargs):
            now = time.perf_counter()
            record["first"] = record["first"] or now - started
            record["last"] = now - started
            record["text"] += piece
            yield piece

    def complete(self, messages, **kwargs):
        return "".join(self.stream(messages, **kwargs))


def bench_questions(n: int, fallback: list[str]) -> list[str]:
    """`n` answerable development questions, one per FAQ question first (no follow-ups, no drafts); the FAQ's
    own questions (`fallback`) when there are no cases."""
    try:
        cases = [c for c in load_cases([DEV_CASES]) if c.kind == "answer" and not c.history and c.mode == "ask"]
    except Exception:
        cases = []
    by_section: dict[object, list[str]] = {}
    for case in cases:
        by_section.setdefault(tuple(case.expect_sections), []).append(case.question)
    ordered = [q for i in range(max((len(v) for v in by_section.values()), default=0))
               for v in by_section.values() if i < len(v) for q in [v[i]]]
    return (ordered or fallback)[:n]


def _peak_rss_of(command: list[str]) -> tuple[float, float]:
    """Run `command`; return (its peak RSS in MB, wall seconds).

    The child's own high-water mark (VmHWM, reset by exec) is polled: getrusage's figure for children would
    count the parent's memory copied at fork, before the exec.
    """
    import subprocess

    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_kb = 0
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {child.returncode}")
    return peak_kb / 1024, time.perf_counter() - started


def bench_answers(ingest_settings: IngestSettings, index_settings: IndexSettings, chat_settings, *,
                  questions: int = 12) -> dict:
    """Time to first token, decode speed, total time, prompt tokens and peak memory of `faqbot ask`, against
    the same prompts sent straight to llama-cpp-python (its own `Llama`, same file and settings) as the floor."""
    import sys

    from chatbot import build_chatbot
    from chatbot.backends.llamacpp import LlamaCppBackend

    bot = build_chatbot(ingest_settings, index_settings, chat_settings)
    if not isinstance(bot.llm, LlamaCppBackend):
        from ingest.errors import InputError

        raise InputError("the answer benchmark measures the llamacpp backend against bare llama-cpp-python: "
                         "use --llm llamacpp")
    t = time.perf_counter()
    bot.llm.chat_model()
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    warmed = bot.warm_up()
    warm_s = time.perf_counter() - t
    timed = _Timed(bot.llm)
    bot.llm = timed  # type: ignore[assignment]
    asked = bench_questions(questions, list(bot.sections.values()))
    ours = []
    for question in asked:
        before = len(timed.calls)
        answer = bot.ask(question)
        first_call = timed.calls[before] if len(timed.calls) > before else None
        ours.append({"question": question, "answer": answer, "call": first_call})
    bot.llm = timed.llm

    from llama_cpp import Llama

    floor_llama = Llama(model_path=str(bot.llm.path), n_ctx=chat_settings.n_ctx, n_threads=chat_settings.threads,
                        n_threads_batch=chat_settings.threads, seed=chat_settings.seed, verbose=False, n_batch=512)
    rows = []
    for item in ours:
        call = item["call"]
        if call is None:  # refused before the LLM: nothing to compare
            continue
        messages = [{"role": m.role, "content": m.content} for m in call["messages"]]
        t = time.perf_counter()
        first = last = None
        text = ""
        for part in floor_llama.create_chat_completion(messages=messages, stream=True, temperature=0.0,
                                                       seed=chat_settings.seed, max_tokens=chat_settings.max_tokens):
            delta = part["choices"][0].get("delta", {}).get("content") or ""
            if delta:
                now = time.perf_counter() - t
                first = first or now
                last = now
                text += delta
        tokens_ours = len(floor_llama.tokenize(call["text"].encode(), add_bos=False)) if call["text"] else 0
        tokens_floor = len(floor_llama.tokenize(text.encode(), add_bos=False)) if text else 0
        rows.append({
            "question": item["question"],
            "prompt_tokens": bot.llm.count_tokens(call["messages"]),
            "ttft_ours_s": call["first"], "ttft_floor_s": first,
            "decode_ours": (tokens_ours - 1) / (call["last"] - call["first"]) if tokens_ours > 1 and
            call["last"] > call["first"] else None,
            "decode_floor": (tokens_floor - 1) / (last - first) if tokens_floor > 1 and last and first and
            last > first else None,
            "total_ours_s": item["answer"].timings_ms["total"] / 1000,
            "total_floor_s": last,
            "abstained": item["answer"].abstained,
        })
    floor_llama.close()
    rss_ask, ask_s = _peak_rss_of([sys.executable, "-m", "ui.cli", "ask", "--json", asked[0]])

    def p(key: str, q: float) -> float:
        values = [r[key] for r in rows if r[key] is not None]
        return round(percentile(values, q), 3) if values else float("nan")

    return {
        "model": bot.llm.model, "questions": len(asked), "compared": len(rows),
        "llm_load_s": round(load_s, 2), "warm_up_s": round(warm_s, 1), "states_computed": warmed,
        "ttft_p50_s": p("ttft_ours_s", 50), "ttft_p95_s": p("ttft_ours_s", 95),
        "ttft_floor_p50_s": p("ttft_floor_s", 50), "ttft_floor_p95_s": p("ttft_floor_s", 95),
        "ttft_ratio_p50": round(p("ttft_ours_s", 50) / p("ttft_floor_s", 50), 3),
        "decode_tps": p("decode_ours", 50), "decode_floor_tps": p("decode_floor", 50),
        "total_p50_s": p("total_ours_s", 50), "total_floor_p50_s": p("total_floor_s", 50),
        "prompt_tokens_p50": p("prompt_tokens", 50),
        "peak_rss_ask_mb": round(rss_ask, 1), "ask_wall_s": round(ask_s, 1),
        "peak_rss_bench_mb": round(peak_rss_mb(), 1),
        "rows": rows,
    }


def format_answers(f: dict) -> str:
    """Human-readable answer benchmark report."""
    lines = [
        f"answer benchmark — {f['model']}, {f['questions']} questions ({f['compared']} reached the LLM)",
        f"  model load {f['llm_load_s']:.1f} s; one-time warm-up of section states {f['warm_up_s']:.1f} s"
        f" ({f['states_computed']} computed)",
        f"  time to first token p50 / p95     {f['ttft_p50_s']:6.2f} / {f['ttft_p95_s']:.2f} s",
        f"  floor (bare llama-cpp-python)     {f['ttft_floor_p50_s']:6.2f} / {f['ttft_floor_p95_s']:.2f} s"
        f"   ratio p50 ours/floor {f['ttft_ratio_p50']:.3f}",
        f"  decode speed p50                  {f['decode_tps']:6.1f} tokens/s (floor {f['decode_floor_tps']:.1f})",
        f"  total answer time p50             {f['total_p50_s']:6.2f} s (floor {f['total_floor_p50_s']:.2f} s)",
        f"  prompt tokens p50                 {f['prompt_tokens_p50']:6.0f}",
        f"  peak memory of `faqbot ask`       {f['peak_rss_ask_mb']:6.0f} MB (whole command {f['ask_wall_s']:.1f} s)",
    ]
    return "\n".join(lines)
