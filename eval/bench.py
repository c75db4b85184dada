"""Benchmarks: our pipeline against the bare model as a floor, measured in the same run.

Figures, never assertions: the machine is shared and noisy, so each figure comes with the floor measured
alongside it, and the ratio is what to compare across runs.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from eval.cases import load_cases
from eval.retrieval import run_retrieval, summarise_retrieval
from index import IndexSettings, Retriever, make_embedder
from index.embedders import Embedder
from index.gemma import GemmaEmbedder
from index.hardware import cpu_info
from index.store import build_index, embedding_inputs, open_index
from ingest import IngestSettings, ingest
from ingest.settings import REPO_ROOT

CASES_DIR = REPO_ROOT / "eval" / "cases"
DEV_CASES = CASES_DIR / "dev.jsonl"


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


def _floor_embedder(index_settings: IndexSettings) -> Embedder:
    """The floor: EmbeddingGemma in float32 through sentence-transformers (the reference implementation), or,
    for another embedder, that embedder itself."""
    if index_settings.embedder == "gemma":
        return GemmaEmbedder(index_settings.models_dir, index_settings.threads, dtype="float32")
    return make_embedder(index_settings.embedder, index_settings.models_dir, index_settings.threads)


def _all_vectors(index: faiss.Index) -> np.ndarray:
    return np.stack([index.reconstruct(i) for i in range(index.ntotal)]) if index.ntotal else np.zeros((0, 1))


def bench_retrieval(ingest_settings: IngestSettings, index_settings: IndexSettings, *, queries: int = 60,
                    case_files: list[Path] | None = None) -> dict:
    """Index build time and warm query latency, each beside EmbeddingGemma in float32 through
    sentence-transformers doing the same work in the same run (the floor); how close our vectors are to the
    floor's on every text of the FAQ; retrieval metrics of both on every case file."""
    cpu = cpu_info()
    started = time.perf_counter()
    embedder = make_embedder(index_settings.embedder, index_settings.models_dir, index_settings.threads)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    floor = _floor_embedder(index_settings)
    floor_load_s = time.perf_counter() - started
    faq = ingest(ingest_settings)
    texts, titles = embedding_inputs(faq.chunks)  # passages and sentences: everything a build embeds
    for model in (embedder, floor):
        model.embed_documents(texts[:2], titles[:2])  # warm-up: first calls pay one-off allocation costs

    settings = {"max_chars": ingest_settings.max_chars, "overlap_chars": ingest_settings.overlap_chars}
    with tempfile.TemporaryDirectory() as tmp:
        floor_dir, ours_dir = Path(tmp) / "floor", Path(tmp) / "ours"
        t = time.perf_counter()
        build_index(faq, floor, floor_dir, chunk_settings=settings)
        build_floor = time.perf_counter() - t
        t = time.perf_counter()
        manifest = build_index(faq, embedder, ours_dir, chunk_settings=settings)
        build_ours = time.perf_counter() - t
        loaded = open_index(ours_dir, faq_sha256=faq.sha256, chunk_settings=settings, embedder=embedder.identity())
        floor_loaded = open_index(floor_dir, faq_sha256=faq.sha256, chunk_settings=settings,
                                  embedder=floor.identity())
        retriever, floor_retriever = Retriever(loaded, embedder), Retriever(floor_loaded, floor)
        fallback = [c.title for c in faq.chunks] + [a for c in faq.chunks for a in c.aliases]
        questions = bench_queries(queries, fallback)
        for q in questions[:3]:
            retriever.search(q)
            floor.embed_query(q)
        floor_q, ours_q, cos_q = [], [], []
        for q in questions:  # interleaved, so that drift in machine load hits both alike
            t = time.perf_counter()
            reference = floor.embed_query(q)
            floor_q.append(time.perf_counter() - t)
            retriever._query_vectors.clear()  # a repeated question must be embedded again to be timed
            t = time.perf_counter()
            retriever.search(q, k=4)
            ours_q.append(time.perf_counter() - t)
            cos_q.append(float(retriever.query_vector(q)[0] @ reference))
        # The same texts in the same order in both indexes: compare vector by vector.
        cos_docs = np.sum(np.concatenate([_all_vectors(loaded.vectors), _all_vectors(loaded.sentence_vectors)])
                          * np.concatenate([_all_vectors(floor_loaded.vectors),
                                            _all_vectors(floor_loaded.sentence_vectors)]), axis=1)
        metrics = _retrieval_metrics(case_files or sorted(CASES_DIR.glob("*.jsonl")), retriever, floor_retriever)
        rss_search, _, _ = _peak_rss_of([sys.executable, "-m", "ui.cli", "search", "--json", "--faq",
                                         str(ingest_settings.faq_path), "--index-dir", str(ours_dir),
                                         "--embedder", index_settings.embedder, questions[0]])
    p50_floor, p50_ours = percentile(floor_q, 50), percentile(ours_q, 50)
    return {
        "embedder": embedder.name, "identity": embedder.identity(), "floor": floor.identity(),
        "cpu": cpu.to_dict(), "cpu_description": cpu.describe(),
        "chunks": len(faq.chunks),
        "vectors": loaded.vectors.ntotal,
        "sentences": len(loaded.sentences),
        "texts_embedded": len(set(zip(texts, titles, strict=True))),
        "model_load_s": round(load_s, 2), "floor_load_s": round(floor_load_s, 2),
        "index_build_s": round(build_ours, 3),
        "index_embed_s": manifest["embed_seconds"],
        "index_build_floor_s": round(build_floor, 3),
        "index_build_ratio": round(build_ours / build_floor, 3),
        "queries": len(questions),
        "query_p50_ms": _ms(p50_ours),
        "query_p95_ms": _ms(percentile(ours_q, 95)),
        "query_floor_p50_ms": _ms(p50_floor),
        "query_floor_p95_ms": _ms(percentile(floor_q, 95)),
        "query_ratio_p50": round(p50_ours / p50_floor, 3),
        "query_mean_ms": _ms(statistics.mean(ours_q)),
        "cosine_min_texts": round(float(cos_docs.min()), 4), "cosine_mean_texts": round(float(cos_docs.mean()), 4),
        "cosine_min_queries": round(min(cos_q), 4),
        "texts_compared": len(cos_docs),
        "retrieval": metrics,
        "peak_rss_search_mb": round(rss_search, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


def _retrieval_metrics(paths: list[Path], ours: Retriever, floor: Retriever) -> list[dict]:
    """hit@1, hit@4 and MRR of ours and of the floor on each case file, and the cases whose rank differs."""
    out = []
    for path in paths:
        cases = load_cases([path])
        mine, theirs = run_retrieval(cases, ours), run_retrieval(cases, floor)
        changed = [a["id"] for a, b in zip(mine, theirs, strict=True)
                   if a.get("retrieval", {}).get("rr") != b.get("retrieval", {}).get("rr")]
        out.append({"file": path.name, "ours": summarise_retrieval(mine), "floor": summarise_retrieval(theirs),
                    "changed": changed})
    return out


def format_retrieval(f: dict) -> str:
    """Human-readable retrieval benchmark report."""
    floor = f"float32 {f['floor'].get('engine', f['floor']['name'])}"
    ours = f"{f['identity'].get('dtype', '')} {f['identity'].get('engine', '')}".strip() or f["embedder"]
    lines = [
        f"retrieval benchmark — {f['embedder']} in {ours} (floor: {floor}); {f['chunks']} chunks "
        f"({f['vectors']} vectors, {f['sentences']} sentence vectors, {f['texts_embedded']} distinct texts)",
        f"  CPU: {f['cpu_description']}; load average {f['load_average']}",
        f"  model load                 {f['model_load_s']:8.2f} s   (floor {f['floor_load_s']:.2f} s)",
        f"  index build (ours)         {f['index_build_s']:8.3f} s   (embedding {f['index_embed_s']:.1f} s)",
        f"  index build (floor)        {f['index_build_floor_s']:8.3f} s   ratio ours/floor {f['index_build_ratio']:.3f}",
        f"  warm query p50 / p95       {f['query_p50_ms']:8.2f} / {f['query_p95_ms']:.2f} ms over {f['queries']} queries"
        " (embedding, FAISS and BM25)",
        f"  encode query only (floor)  {f['query_floor_p50_ms']:8.2f} / {f['query_floor_p95_ms']:.2f} ms"
        f"   ratio p50 ours/floor {f['query_ratio_p50']:.3f}",
        f"  vectors vs floor (cosine)  min {f['cosine_min_texts']:.4f} over {f['texts_compared']} FAQ texts "
        f"(mean {f['cosine_mean_texts']:.4f}); min {f['cosine_min_queries']:.4f} over the queries",
        f"  peak memory of `faqbot search` {f['peak_rss_search_mb']:6.0f} MB",
        "  retrieval (hit@1 / hit@4 / MRR)   ours                  floor",
    ]
    for row in f["retrieval"]:
        o, fl = row["ours"], row["floor"]
        if o.get("hit@1") is None:  # a file whose cases expect no FAQ question (refusals, contact details)
            lines.append(f"    {row['file']:<20} no case names the FAQ question it expects")
            continue
        changed = f"   rank differs: {', '.join(row['changed'])}" if row["changed"] else ""
        lines.append(f"    {row['file']:<20} {o['hit@1']:.3f} / {o['hit@4']:.3f} / {o['mrr']:.3f}   "
                     f"{fl['hit@1']:.3f} / {fl['hit@4']:.3f} / {fl['mrr']:.3f}{changed}")
    return "\n".join(lines)


class _Timed:
    """Wraps an LLM's `stream` to record, per call, when the first and last pieces came, the text, and what the
    llama.cpp backend says its prompt preparation cost (prefix state restored or computed)."""

    def __init__(self, llm) -> None:
        self.llm = llm
        self.calls: list[dict] = []

    def __getattr__(self, name: str):
        return getattr(self.llm, name)

    def stream(self, messages, **kwargs):
        started = time.perf_counter()
        record = {"messages": messages, "first": None, "last": None, "text": "", "prepare": {}}
        self.calls.append(record)
        for piece in self.llm.stream(messages, **kwargs):
            now = time.perf_counter()
            if record["first"] is None:
                record["first"] = now - started
                record["prepare"] = dict(getattr(self.llm.chat_model(), "last", {}) or {})
            record["last"] = now - started
            record["text"] += piece
            yield piece
        record["draft"] = dict((getattr(self.llm.chat_model(), "last", {}) or {}).get("draft", {}))

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


def _peak_rss_of(command: list[str]) -> tuple[float, float, str]:
    """Run `command`; return (its peak RSS in MB, wall seconds, what it printed).

    The child's own high-water mark (VmHWM, reset by exec) is polled: getrusage's figure for children would
    count the parent's memory copied at fork, before the exec.
    """
    import subprocess

    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
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
        out.seek(0)
        printed = out.read().decode("utf-8", "replace")
    return peak_kb / 1024, time.perf_counter() - started, printed


# Where an answer's time goes, in pipeline order: (key, label). Times come from the answer's `timings_ms`
# (measured inside Chatbot.stream) and, for the prompt, from the llama.cpp backend.
STAGES = [
    ("rewrite", "follow-up rewrite (LLM)"),
    ("retrieval", "retrieval (query embedding, FAISS, BM25)"),
    ("evidence", "sentence evidence"),
    ("prompt", "prompt prefix (state restored or computed)"),
    ("question", "question tokens to first token"),
    ("first_token", "= first token, from the question"),
    ("decode", "decode (first answer)"),
    ("verification", "verification"),
    ("regeneration", "regeneration (second answer, verified)"),
    ("quotes", "FAQ quotes"),
    ("total", "total answer time"),
]


def _stages(answer, call: dict | None) -> dict[str, float]:
    """Milliseconds spent in each stage of one answer (only the stages that ran)."""
    out = {k: float(v) for k, v in answer.timings_ms.items() if k in dict(STAGES)}
    if call and call.get("first") is not None:
        prepare_ms = float(call["prepare"].get("prepare_s", 0.0)) * 1000
        out["prompt"] = prepare_ms
        out["question"] = max(0.0, call["first"] * 1000 - prepare_ms)
    return out


def bench_answers(ingest_settings: IngestSettings, index_settings: IndexSettings, chat_settings, *,
                  questions: int = 12) -> dict:
    """Where an answer's time goes, stage by stage, after the background warm-up; time to first token and
    decode speed against the same prompts sent straight to llama-cpp-python (its own `Llama`, same file and
    settings) as the floor; the first question of a restarted process; peak memory of `faqbot ask`."""
    from chatbot import build_chatbot
    from chatbot.backends.llamacpp import LlamaCppBackend
    from chatbot.warmup import start_background_warmup

    bot = build_chatbot(ingest_settings, index_settings, chat_settings)
    if not isinstance(bot.llm, LlamaCppBackend):
        from ingest.errors import InputError

        raise InputError("the answer benchmark measures the llamacpp backend against bare llama-cpp-python: "
                         "use --llm llamacpp")
    t = time.perf_counter()
    bot.llm.chat_model()
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    warmup = start_background_warmup(bot)
    warmup.wait()
    warm_s = time.perf_counter() - t
    warmed = warmup.status()
    timed = _Timed(bot.llm)
    bot.llm = timed  # type: ignore[assignment]
    pool = bench_questions(questions + 1, list(bot.sections.values()))
    asked, restart_question = pool[:questions], pool[-1]
    ours = []
    for question in asked:
        before = len(timed.calls)
        answer = bot.ask(question)
        first_call = timed.calls[before] if len(timed.calls) > before else None
        ours.append({"question": question, "answer": answer, "call": first_call,
                     "calls": len(timed.calls) - before, "stages": _stages(answer, first_call)})
    bot.llm = timed.llm
    draft_tokens = getattr(bot.llm.chat_model(), "draft_tokens", 0)

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
            "answer_tokens": tokens_ours,
            "ttft_ours_s": item["answer"].timings_ms.get("first_token", 0) / 1000 or None,
            "ttft_call_s": call["first"], "ttft_floor_s": first,
            "decode_ours": (tokens_ours - 1) / (call["last"] - call["first"]) if tokens_ours > 1 and
            call["last"] > call["first"] else None,
            "decode_floor": (tokens_floor - 1) / (last - first) if tokens_floor > 1 and last and first and
            last > first else None,
            "total_ours_s": item["answer"].timings_ms["total"] / 1000,
            "total_floor_s": last,
            "abstained": item["answer"].abstained,
            "same_text": call["text"].strip() == text.strip(),
            "draft": call.get("draft", {}),
        })
    floor_llama.close()
    bot.llm.close()
    # A restart: a new process answers a question on a section this process did not ask about; its prompt
    # state comes from disk, saved by the warm-up above.
    # It reads the FAQ and the index this run was given (`--faq`, `--index-dir`, `--embedder`), not the defaults.
    rss_ask, ask_s, printed = _peak_rss_of([sys.executable, "-m", "ui.cli", "ask", "--json",
                                            "--faq", str(ingest_settings.faq_path),
                                            "--index-dir", str(index_settings.index_dir),
                                            "--embedder", index_settings.embedder, restart_question])
    restart = json.loads(printed).get("timings_ms", {}) if printed.strip() else {}

    def p(key: str, q: float) -> float:
        values = [r[key] for r in rows if r[key] is not None]
        return round(percentile(values, q), 3) if values else float("nan")

    stages = {}
    for key, label in STAGES:
        values = [item["stages"][key] for item in ours if key in item["stages"]]
        stages[key] = {"label": label, "runs": len(values), "of": len(ours),
                       "p50_ms": round(percentile(values, 50), 1) if values else None,
                       "mean_ms": round(statistics.mean(values), 1) if values else None}
    totals = [item["stages"]["total"] / 1000 for item in ours]
    return {
        "model": bot.llm.model, "questions": len(asked), "compared": len(rows),
        "cpu_description": cpu_info().describe(), "load_average": round(os.getloadavg()[0], 2),
        "llama_cpp_features": llama_cpp_features(),
        "llm_load_s": round(load_s, 2), "warm_up_s": round(warm_s, 1), "states_computed": warmed.computed,
        "states_total": warmed.total, "warm_up_error": warmed.error,
        "ttft_p50_s": p("ttft_ours_s", 50), "ttft_p95_s": p("ttft_ours_s", 95),
        "ttft_floor_p50_s": p("ttft_floor_s", 50), "ttft_floor_p95_s": p("ttft_floor_s", 95),
        "ttft_ratio_p50": round(p("ttft_ours_s", 50) / p("ttft_floor_s", 50), 3),
        "decode_tps": p("decode_ours", 50), "decode_floor_tps": p("decode_floor", 50),
        "answer_tokens_p50": p("answer_tokens", 50),
        "total_p50_s": round(percentile(totals, 50), 3), "total_p95_s": round(percentile(totals, 95), 3),
        "total_floor_p50_s": p("total_floor_s", 50),
        "prompt_tokens_p50": p("prompt_tokens", 50),
        "llm_calls": sum(item["calls"] for item in ours),
        "draft_tokens": draft_tokens,
        "drafted": sum(r["draft"].get("drafted", 0) for r in rows),
        "draft_kept": sum(r["draft"].get("kept", 0) for r in rows),
        "draft_batches": sum(r["draft"].get("batches", 0) for r in rows),
        "same_text": sum(r["same_text"] for r in rows),
        "ms_drafted": next((r["draft"].get("ms_drafted") for r in reversed(rows) if r["draft"]), None),
        "ms_plain": next((r["draft"].get("ms_plain") for r in reversed(rows) if r["draft"]), None),
        "stages": stages,
        "restart_question": restart_question,
        "restart_first_token_s": round(restart.get("first_token", float("nan")) / 1000, 3),
        "restart_total_s": round(restart.get("total", float("nan")) / 1000, 3),
        "peak_rss_ask_mb": round(rss_ask, 1), "ask_wall_s": round(ask_s, 1),
        "peak_rss_bench_mb": round(peak_rss_mb(), 1),
        "rows": rows,
    }


def llama_cpp_features() -> str:
    """The instruction sets this llama.cpp build uses ("AVX2 FMA F16C …"): a wheel built elsewhere, or with
    GGML_NATIVE off, may use fewer than the CPU has."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    used = [part.split("=")[0].strip() for part in info.split("|") if part.strip().endswith("= 1")]
    return " ".join(name for name in used if name.startswith(("AVX", "F16C", "FMA", "AMX", "SSE3"))) or info.strip()


def _drafts(f: dict) -> str:
    """One line on the prompt-lookup drafts: how many tokens were proposed and kept."""
    if not f.get("draft_tokens"):
        return "off (FAQBOT_DRAFT_TOKENS=0)"
    share = f["draft_kept"] / f["drafted"] if f["drafted"] else 0.0
    line = (f"up to {f['draft_tokens']} a step: {f['draft_kept']} of {f['drafted']} proposed tokens kept "
            f"({share:.0%}) in {f['draft_batches']} batches")
    if f.get("ms_drafted") and f.get("ms_plain"):
        line += f"; {f['ms_drafted']:.0f} ms a token with a draft, {f['ms_plain']:.0f} without"
    return line


def format_answers(f: dict) -> str:
    """Human-readable answer benchmark report."""
    lines = [
        f"answer benchmark — {f['model']}, {f['questions']} questions ({f['compared']} reached the LLM, "
        f"{f['llm_calls']} LLM calls)",
        f"  CPU: {f['cpu_description']}; load average {f['load_average']}",
        f"  llama.cpp built for: {f.get('llama_cpp_features', '?')}",
        f"  model load {f['llm_load_s']:.1f} s; background warm-up of the section states {f['warm_up_s']:.1f} s"
        f" ({f['states_computed']} of {f['states_total']} computed, the others already saved)",
        f"  time to first token p50 / p95     {f['ttft_p50_s']:6.2f} / {f['ttft_p95_s']:.2f} s (from the question)",
        f"  floor (bare llama-cpp-python)     {f['ttft_floor_p50_s']:6.2f} / {f['ttft_floor_p95_s']:.2f} s"
        f"   ratio p50 ours/floor {f['ttft_ratio_p50']:.3f}",
        f"  decode speed p50                  {f['decode_tps']:6.1f} tokens/s (floor {f['decode_floor_tps']:.1f});"
        f" {f['answer_tokens_p50']:.0f} tokens an answer",
        f"  total answer time p50 / p95       {f['total_p50_s']:6.2f} / {f['total_p95_s']:.2f} s"
        f" (floor, generation alone: {f['total_floor_p50_s']:.2f} s)",
        f"  prompt tokens p50                 {f['prompt_tokens_p50']:6.0f}",
        f"  prompt-lookup drafts              {_drafts(f)}",
        f"  first answers identical to floor  {f['same_text']} of {f['compared']}",
        f"  first question after a restart    first token {f['restart_first_token_s']:.2f} s, answer "
        f"{f['restart_total_s']:.2f} s (new process, whole command {f['ask_wall_s']:.1f} s)",
        f"  peak memory of `faqbot ask`       {f['peak_rss_ask_mb']:6.0f} MB",
        "  where the seconds go              runs      p50 ms    mean ms",
    ]
    for stage in f["stages"].values():
        if stage["runs"]:
            lines.append(f"    {stage['label']:<42} {stage['runs']:>2}/{stage['of']:<3} {stage['p50_ms']:9.0f}"
                         f" {stage['mean_ms']:9.0f}")
        else:
            lines.append(f"    {stage['label']:<42}  0/{stage['of']}")
    return "\n".join(lines)
