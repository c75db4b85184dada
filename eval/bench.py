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
from index.store import build_index, open_index, vector_inputs
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
    rows, texts, titles = vector_inputs(faq.chunks)
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
        "vectors": len(rows),
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
        f"retrieval benchmark — embedder {f['embedder']}, {f['chunks']} chunks ({f['vectors']} vectors)",
        f"  model load                 {f['model_load_s']:8.2f} s",
        f"  index build (ours)         {f['index_build_s']:8.3f} s   best of {f['rounds']}",
        f"  encode chunks only (floor) {f['index_build_floor_s']:8.3f} s   ratio ours/floor {f['index_build_ratio']:.3f}",
        f"  warm query p50 / p95       {f['query_p50_ms']:8.2f} / {f['query_p95_ms']:.2f} ms over {f['queries']} queries",
        f"  encode query only (floor)  {f['query_floor_p50_ms']:8.2f} / {f['query_floor_p95_ms']:.2f} ms"
        f"   ratio p50 ours/floor {f['query_ratio_p50']:.3f}",
        f"  peak memory (RSS)          {f['peak_rss_mb']:8.1f} MB",
    ])
