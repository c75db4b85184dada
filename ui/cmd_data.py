"""`faqbot models`, `ingest`, `index` and `search`: the data side of the command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from index import IndexSettings, build, check_index, check_replaceable, load_retriever
from index.gemma import OnnxUnavailable, engine_for, prepare, resolve_dtype
from index.hardware import cpu_info
from index.models import EMBEDDINGGEMMA, MODELS, fetch, get_spec, model_path, verify
from index.query import clean_question, read_stdin_question
from index.store import CorruptIndexError, IndexMissingError, StaleIndexError
from ingest import IngestSettings, Profile, ingest, profile_path
from ui.render import print_json, progress_bar, source_block


def ingest_settings(args: argparse.Namespace) -> IngestSettings:
    """Ingestion settings from the environment and the `--faq` flag."""
    return IngestSettings.from_env(faq_path=getattr(args, "faq", None))


def index_settings(args: argparse.Namespace) -> IndexSettings:
    """Index settings from the environment and the `--index-dir`/`--embedder` flags."""
    return IndexSettings.from_env(faq_path=getattr(args, "faq", None), index_dir=getattr(args, "index_dir", None),
                                  embedder=getattr(args, "embedder", None))


def models(args: argparse.Namespace) -> int:
    """Fetch (or list, or re-verify) the model weights."""
    settings = IndexSettings.from_env()
    specs = [get_spec(n) for n in args.names] if args.names else list(MODELS.values())
    if args.list:
        for spec in specs:
            where = model_path(spec, settings.models_dir)
            state = "present" if where.exists() else "missing"
            print(f"{spec.name:40s} {spec.role:9s} {spec.license:20s} {state:8s} {where}")
        return 0
    for spec in specs:
        if args.verify and model_path(spec, settings.models_dir).exists():
            verify(spec, settings.models_dir, full=True)
            print(f"{spec.name}: SHA-256 verified")
        else:
            fetch(spec, settings.models_dir, log=lambda line: print(line, flush=True))
        if spec is EMBEDDINGGEMMA:
            _prepare_embedder(settings)
    return 0


def _prepare_embedder(settings: IndexSettings) -> None:
    """Make the one copy of EmbeddingGemma this machine will run (ONNX export, or bfloat16 where native)."""
    def say(line: str) -> None:
        print(line, flush=True)

    dtype = resolve_dtype(settings.models_dir)
    engine = engine_for(dtype, settings.models_dir)
    say(f"{EMBEDDINGGEMMA.name}: runs in {dtype} with {engine} on this CPU ({cpu_info().describe()})")
    try:
        prepare(dtype, settings.models_dir, log=say, engine=engine)
    except OnnxUnavailable as exc:
        if dtype == "int8":
            raise
        say(f"{EMBEDDINGGEMMA.name}: {exc}; sentence-transformers will compute the same vectors instead")
        prepare(dtype, settings.models_dir, log=say, engine="sentence-transformers")


def ingest_cmd(args: argparse.Namespace) -> int:
    """Parse and chunk the FAQ; print a summary (or the chunks as JSON)."""
    faq = ingest(ingest_settings(args))
    if args.json:
        print_json({"faq": str(faq.path), "sha256": faq.sha256, "title": faq.title,
                    "profile": faq.profile.to_dict(), "chunks": [c.to_dict() for c in faq.chunks]})
        return 0
    print(f"{faq.title} — {faq.path}")
    print(f"{len(faq.chunks)} chunks, {len(faq.sections)} questions\n")
    counts: dict[int | None, int] = {}
    for chunk in faq.chunks:
        counts[chunk.section] = counts.get(chunk.section, 0) + 1
    seen: set[int | None] = set()
    for chunk in faq.chunks:
        if chunk.section in seen:
            continue
        seen.add(chunk.section)
        label = f"Q{chunk.section:>2}" if chunk.section is not None else "  —"
        print(f"{label}  {counts[chunk.section]} chunk(s)  {chunk.title}")
        if chunk.aliases:
            print(f"       paraphrases: {' | '.join(chunk.aliases)}")
    print_profile(faq.profile, faq.path)
    return 0


def print_profile(profile: Profile, faq_path: Path) -> None:
    """The organisation read from the FAQ, and where each detail came from (title, text, footer, profile file)."""
    def where(key: str) -> str:
        origin = profile.origin(key)
        return f"  [{origin}]" if origin else ""

    print(f"\norganisation: {profile.label} ({profile.the_name}){where('name')}")
    if profile.short_name:
        print(f"short name: {profile.short_name}{where('short_name')}")
    print(f"press signature: {profile.press_signature}{where('signature')}")
    for key in ("address", "phone", "email", "site"):
        value = getattr(profile.contact, key)
        if value:
            print(f"{key}: {value}{where('contact.' + key)}")
    if profile.faq_url:
        print(f"FAQ online: {profile.faq_url}{where('faq_url')}")
    print(f"(to correct any of these, write {profile_path(faq_path)}: see README, \"The organisation\")")


def index_cmd(args: argparse.Namespace) -> int:
    """Build the index (or, with --if-stale, only when it is missing or stale)."""
    ing, idx = ingest_settings(args), index_settings(args)
    if args.if_stale:
        try:
            _, loaded = check_index(ing, idx)
            print(f"index is up to date ({loaded.manifest['chunk_count']} chunks, built {loaded.manifest['built_at']})"
                  f" in {idx.index_dir}")
            return 0
        except (IndexMissingError, StaleIndexError, CorruptIndexError) as exc:
            print(f"rebuilding: {exc}", file=sys.stderr)
    check_replaceable(idx.index_dir)  # a folder of the user's is refused before any model loads
    print(f"loading the {idx.embedder} embedding model…", file=sys.stderr, flush=True)
    with progress_bar("embedding", unit="text") as update:
        manifest = build(ing, idx, progress=update)
    embedder = manifest["embedder"]
    precision = f", {embedder['dtype']} with {manifest.get('engine')}" if embedder.get("dtype") else ""
    print(f"indexed {manifest['chunk_count']} chunks ({manifest['vector_count']} passage vectors, "
          f"{manifest['sentence_count']} sentence vectors, {manifest['dimensions']} dimensions) of {manifest['faq']['path']} in {manifest['build_seconds']:.1f} s "
          f"({embedder['name']}{precision}) -> {idx.index_dir}")
    return 0


def search_cmd(args: argparse.Namespace) -> int:
    """Print the best passages for a question."""
    question = clean_question(args.question if args.question is not None else read_stdin_question())
    if args.k < 1:
        from ingest.errors import InputError

        raise InputError("-k must be at least 1")
    retriever = load_retriever(ingest_settings(args), index_settings(args))
    started = time.perf_counter()
    hits = retriever.search(question.text, k=args.k)
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    if args.json:
        print_json({"question": question.text, "sources": [h.to_dict() for h in hits],
                    "timings_ms": {"retrieval": elapsed_ms}})
        return 0
    if question.notice:
        print(f"({question.notice})", file=sys.stderr)
    for hit in hits:
        print(source_block(hit.rank, hit.chunk.section, hit.chunk.title, hit.chunk.text, score=hit.score))
        print()
    print(f"({elapsed_ms} ms)", file=sys.stderr)
    return 0


__all__ = ["index_cmd", "ingest_cmd", "models", "search_cmd"]
