"""How the verifier benchmark (eval/verifier/) was built: a development tool, run by hand, not by `faqbot`.

    python -m eval.verifier_build harvest OUT.jsonl      # replay every case from the answer cache and record
                                                         # each text the bot asked `verify` to judge
    python -m eval.verifier_build build CALLS.jsonl LABELS.tsv HANDWRITTEN.jsonl [REVIEW.tsv]
                                                         # pairs, mutants, splits -> eval/verifier/*.jsonl

- **real**: every sentence of the model's own words (quote lines set aside) of every recorded text, with the
  passages the bot numbered, labelled by hand in LABELS.tsv (`index<TAB>S|U|X<TAB>note`, X: not a claim —
  apologies, offers of help, sentences about the FAQ itself — left out of the benchmark).
- **hand-written** pairs (paraphrases, role and entity swaps, year binding, endorsements, question echoes)
  in HANDWRITTEN.jsonl: `{"kind", "label", "src": [chunk ids], "question", "claim", "note"}`.
- **mutants** of the supported real and paraphrase claims, made by `eval.mutate` (a figure changed, a year
  changed, a negation inserted or removed, a name swapped), unsupported by construction; REVIEW.tsv
  (`id<TAB>S|U|X<TAB>note`) records the reading of each one (a mutant that still says something the FAQ
  says is relabelled, one that is not French is dropped).

Splits are drawn at random (fixed seed), stratified by kind and label; `test.jsonl` is committed before the
verifier it measures is changed.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from chatbot.evidence import prose
from eval.verifier import BENCH_DIR, Pair
from ingest.chunker import split_sentences
from ingest.normalize import tokens

SEED = 20240609
# Mutants per kind, at most (the cap keeps one long answer from outweighing the others).
MAX_MUTANTS = {"number": 40, "year": 30, "polarity": 50, "name": 40}


def _id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


@contextmanager
def _recording(calls: list[dict], current: dict) -> Iterator[None]:
    """Record every (answer, passages, question) the bot and the drafter hand to `verify`."""
    import chatbot.bot as bot_module
    import chatbot.draft as draft_module

    real = bot_module.verify

    def recording(answer: str, passages: Sequence[str], question: str = "", **kwargs: object):
        calls.append({"case": current["id"], "question": question or current["question"], "answer": answer,
                      "passages": list(passages)})
        return real(answer, passages, question, **kwargs)

    bot_module.verify, draft_module.verify = recording, recording  # type: ignore[assignment]
    try:
        yield
    finally:
        bot_module.verify, draft_module.verify = real, real  # type: ignore[assignment]


def harvest(out: Path) -> int:
    """Replay every case of eval/cases from the committed answer cache (never the LLM); write the calls."""
    import argparse

    from chatbot.backends.cache import AnswerCache, CachingLLM
    from eval.answers import run_case
    from eval.cases import load_cases
    from eval.suite import CACHE_FILE
    from ingest.settings import REPO_ROOT
    from ui.cmd_ask import make_bot

    bot = make_bot(argparse.Namespace(llm=None, model=None, k=4, length=None, faq=None, index_dir=None))
    assert bot.llm is not None
    bot.llm = CachingLLM(bot.llm, AnswerCache(CACHE_FILE), offline=True)
    calls: list[dict] = []
    current: dict = {}
    with _recording(calls, current):
        for case in load_cases(sorted((REPO_ROOT / "eval" / "cases").glob("*.jsonl"))):
            current.update(id=case.id, question=case.question)
            run_case(case, bot)
    out.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8")
    return len(calls)


def claim_sentences(answer: str) -> list[str]:
    """The sentences of the model's own words (quote lines set aside), without greetings and list markers."""
    from chatbot.draft import _FORMULA, _connective

    out = []
    for line in prose(answer).splitlines():
        for sentence in split_sentences(line):
            if not (_FORMULA.match(sentence) or not tokens(sentence) or _connective(sentence)):
                out.append(sentence)
    return out


def real_candidates(calls: Sequence[dict]) -> list[dict]:
    """Unique (claim, passages) of the recorded calls, in order: the rows LABELS.tsv numbers from 0."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    out = []
    for call in calls:
        for sentence in claim_sentences(call["answer"]):
            key = (sentence, tuple(call["passages"]))
            if key not in seen:
                seen.add(key)
                out.append({"case": call["case"], "claim": sentence, "passages": call["passages"],
                            "question": call["question"]})
    return out


def _read_tsv(path: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, label, *note = line.split("\t")
            out[key] = (label, note[0] if note else "")
    return out


_LABELS = {"S": "supported", "U": "unsupported"}


def build(calls_file: Path, labels_file: Path, handwritten_file: Path, review_file: Path | None = None,
          out_dir: Path = BENCH_DIR) -> dict[str, int]:
    """Write passages.jsonl, tune.jsonl and test.jsonl; returns counts per kind."""
    from eval.mutate import name_mutants, negation_mutants, number_mutants
    from ingest import IngestSettings, ingest

    faq_chunks = ingest(IngestSettings()).chunks
    chunks = {c.chunk_id: c.text for c in faq_chunks}
    titles = {c.chunk_id: c.title for c in faq_chunks}
    by_text = {text: cid for cid, text in chunks.items()}
    calls = [json.loads(line) for line in calls_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = _read_tsv(labels_file)
    rows: list[dict] = []
    for i, cand in enumerate(real_candidates(calls)):
        label, note = labels[str(i)]
        if label == "X":
            continue
        sources = [by_text[p] for p in cand["passages"]]
        rows.append({"id": _id("real", cand["claim"], sources), "claim": cand["claim"], "sources": sources,
                     "question": cand["question"], "label": _LABELS[label], "kind": "real",
                     "origin": cand["case"], "note": note})
    for line in handwritten_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            h = json.loads(line)
            rows.append({"id": _id(h["kind"], h["claim"], h["src"], h["question"]), "claim": h["claim"],
                         "sources": h["src"], "question": h["question"], "label": h["label"], "kind": h["kind"],
                         "origin": "hand-written", "note": h.get("note", "")})

    # Mutants of supported French claims: one per rule and claim, at most MAX_MUTANTS per kind.
    review = _read_tsv(review_file) if review_file and review_file.exists() else {}
    faq_texts = list(chunks.values())
    pools: dict[str, list[dict]] = defaultdict(list)
    for row in [r for r in rows if r["label"] == "supported" and r["kind"] in ("real", "paraphrase")]:
        passages = [chunks[s] for s in row["sources"]]
        if _english(row["claim"]):
            continue
        made: dict[str, object] = {}
        for m in number_mutants(row["claim"], passages):
            made.setdefault("year" if m.pattern == "year" else "number", m)
        negations = negation_mutants(row["claim"])
        for m in negations:
            made.setdefault("polarity-" + m.pattern.split(":")[0], m)
        for m in name_mutants(row["claim"], passages, faq_texts):
            made.setdefault("name", m)
        for key, m in made.items():
            kind = key.split("-")[0]
            pools[kind].append({"id": _id(kind, m.mutated, row["sources"]), "claim": m.mutated,  # type: ignore[attr-defined]
                                "sources": row["sources"], "question": row["question"], "label": "unsupported",
                                "kind": kind, "origin": row["id"],
                                "note": f"{m.description} ({m.pattern})"})  # type: ignore[attr-defined]
    rng = random.Random(SEED)
    for kind, pool in sorted(pools.items()):
        unique = list({p["claim"] + "|" + ",".join(p["sources"]): p for p in pool}.values())
        rng.shuffle(unique)
        for p in unique[: MAX_MUTANTS.get(kind, 40)]:
            verdict = review.get(p["id"])
            if verdict and verdict[0] == "X":
                continue
            if verdict:
                p["label"] = _LABELS[verdict[0]]
                p["note"] = f"{p['note']}; {verdict[1]}" if verdict[1] else p["note"]
            rows.append(p)

    seen: set[str] = set()
    unique_rows = []
    for r in rows:
        if r["id"] not in seen:
            seen.add(r["id"])
            unique_rows.append(r)
    _assign_splits(unique_rows, _existing_splits(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    used = sorted({s for r in unique_rows for s in r["sources"]})
    (out_dir / "passages.jsonl").write_text(
        "".join(json.dumps({"chunk_id": c, "text": chunks[c], "title": titles[c]}, ensure_ascii=False) + "\n"
                for c in used),
        encoding="utf-8")
    for split in ("tune", "test"):
        pairs = [Pair(**{k: r[k] for k in ("id", "claim", "question", "label", "kind", "split", "origin", "note")},
                      sources=tuple(r["sources"])) for r in unique_rows if r["split"] == split]
        (out_dir / f"{split}.jsonl").write_text(
            "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)
    for r in unique_rows:
        counts[f"{r['kind']}/{r['label']}/{r['split']}"] += 1
    return dict(sorted(counts.items()))


def _english(text: str) -> bool:
    from chatbot.language import detect

    return detect(text) == "en"


def _existing_splits(out_dir: Path) -> dict[str, str]:
    """Pair id -> split of the benchmark already written: a rebuild never moves a pair between splits."""
    out = {}
    for split in ("tune", "test"):
        path = out_dir / f"{split}.jsonl"
        if path.exists():
            out.update({json.loads(line)["id"]: split for line in path.read_text(encoding="utf-8").splitlines()
                        if line.strip()})
    return out


def _assign_splits(rows: list[dict], fixed: dict[str, str] | None = None) -> None:
    """Half of each (kind, label) stratum to `test`, at random with a fixed seed (odd ones out alternate);
    pairs already in a split (`fixed`) stay there."""
    rng = random.Random(SEED)
    strata: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if fixed and r["id"] in fixed:
            r["split"] = fixed[r["id"]]
            continue
        strata[(r["kind"], r["label"])].append(r)
    extra = 0
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda r: r["id"])
        rng.shuffle(members)
        half = len(members) // 2 + (len(members) % 2 and extra % 2)
        extra += len(members) % 2
        for i, r in enumerate(members):
            r["split"] = "test" if i < half else "tune"


def main(argv: Sequence[str]) -> int:
    """Command line of the tool (see the module docstring)."""
    if argv[:1] == ["harvest"] and len(argv) == 2:
        print(f"{harvest(Path(argv[1]))} calls recorded")
        return 0
    if argv[:1] == ["build"] and len(argv) in (4, 5):
        review = Path(argv[4]) if len(argv) == 5 else None
        for key, n in build(Path(argv[1]), Path(argv[2]), Path(argv[3]), review).items():
            print(f"{key}: {n}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
