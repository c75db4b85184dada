"""The verifier benchmark: labelled (claim, cited passages, supported or not) pairs and how well the checks of
`chatbot.verify` tell them apart.

A pair is one claim sentence (with its `[n]` citations), the passages it may cite (numbered as the answer
numbered them), the question it answered, a label (`supported` / `unsupported`), a kind (`real` model output,
hand-written `paraphrase`, or the mutation that made it), and a split (`tune` may be looked at when choosing
rules and thresholds; `test` was written before the verifier it measures). The schema is documented in
docs/verifier.md. "Not supported" is the positive class: recall is the share of unsupported claims the
verifier rejects, precision the share of its rejections that are right.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ingest.errors import InputError
from ingest.settings import REPO_ROOT

if TYPE_CHECKING:
    from chatbot.backends.base import LLM
    from chatbot.claims import Entails, Restates
    from index.embedder_base import Embedder

BENCH_DIR = REPO_ROOT / "eval" / "verifier"
# The claim judge's replies on the benchmark's pairs: one file for every FAQ's evaluation, which all run the bench.
JUDGE_CACHE = REPO_ROOT / "eval" / "cache" / "verifier.jsonl"
SPLITS = ("tune", "test")
LABELS = ("supported", "unsupported")
# Kinds of pairs: real model sentences and hand-written paraphrases (both labels), then the mutations of
# supported claims (unsupported by construction, each one read and labelled).
KINDS = ("real", "paraphrase", "number", "name", "polarity", "year", "role", "entity", "endorsement", "echo")
# Answer-level checks that say nothing about one claim's support: a figure question answered without a
# figure is a fault of the whole answer (`answers_question`), and so is an answer beside the question (`on_topic`),
# not of a sentence it contains.
ANSWER_LEVEL = frozenset({"answers_question", "on_topic"})
NO_CITATION = "no citation"


@dataclass(frozen=True)
class Pair:
    """One labelled claim."""

    id: str
    claim: str
    sources: tuple[str, ...]  # chunk ids, in citation order: [1] is the first
    question: str
    label: str
    kind: str
    split: str
    origin: str = ""
    note: str = ""

    @property
    def unsupported(self) -> bool:
        """True for the positive class."""
        return self.label == "unsupported"

    def to_dict(self) -> dict[str, object]:
        """The JSONL form."""
        out: dict[str, object] = {"id": self.id, "claim": self.claim, "sources": list(self.sources),
                                  "question": self.question, "label": self.label, "kind": self.kind,
                                  "split": self.split}
        if self.origin:
            out["origin"] = self.origin
        if self.note:
            out["note"] = self.note
        return out


def parse_pair(data: object, where: str) -> Pair:
    """Validate one decoded JSON object as a pair; errors name the file and line."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: each line must be a JSON object")
    for key in ("id", "claim", "label", "kind", "split"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InputError(f"{where}: `{key}` must be a non-empty string")
    if data["label"] not in LABELS:
        raise InputError(f"{where}: label {data['label']!r} must be one of {', '.join(LABELS)}")
    if data["kind"] not in KINDS:
        raise InputError(f"{where}: kind {data['kind']!r} must be one of {', '.join(KINDS)}")
    if data["split"] not in SPLITS:
        raise InputError(f"{where}: split {data['split']!r} must be one of {', '.join(SPLITS)}")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise InputError(f"{where}: `sources` must be a non-empty list of chunk ids")
    return Pair(id=data["id"], claim=data["claim"], sources=tuple(sources), question=str(data.get("question", "")),
                label=data["label"], kind=data["kind"], split=data["split"], origin=str(data.get("origin", "")),
                note=str(data.get("note", "")))


def load_pairs(paths: Iterable[Path]) -> list[Pair]:
    """Pairs from JSONL files (blank lines skipped); InputError on a bad line or a duplicate id."""
    pairs: list[Pair] = []
    seen: set[str] = set()
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise InputError(f"verifier pairs not found: {path}") from None
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
            pair = parse_pair(data, f"{path}:{n}")
            if pair.id in seen:
                raise InputError(f"{path}:{n}: duplicate pair id {pair.id}")
            seen.add(pair.id)
            pairs.append(pair)
    return pairs


def load_passages(path: Path) -> dict[str, str]:
    """Chunk id -> passage text, from the benchmark's passages.jsonl (`{"chunk_id", "text"}` a line)."""
    return {chunk_id: text for chunk_id, (text, _) in _passage_rows(path).items()}


def load_titles(path: Path) -> dict[str, str]:
    """Passage text -> the title of the FAQ question it belongs to (the optional `title` of passages.jsonl)."""
    return {text: title for text, title in _passage_rows(path).values() if title}


def _passage_rows(path: Path) -> dict[str, tuple[str, str]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"verifier passages not found: {path}") from None
    out = {}
    for n, line in enumerate(lines, start=1):
        if line.strip():
            try:
                data = json.loads(line)
                out[str(data["chunk_id"])] = (str(data["text"]), str(data.get("title") or ""))
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{path}:{n}: expected {{\"chunk_id\": ..., \"text\": ...}}") from None
    return out


def bench_files(folder: Path = BENCH_DIR) -> list[Path]:
    """The pair files of the benchmark folder (every split)."""
    return [folder / f"{split}.jsonl" for split in SPLITS if (folder / f"{split}.jsonl").exists()]


# judge(claim, passages, question) -> names of the reasons the claim is not supported (empty: supported).
Judge = Callable[[str, Sequence[str], str], Sequence[str]]


# rank(question, passages) -> the passages' sentences, best answer to the question first.
Ranker = Callable[[str, Sequence[str]], Sequence[str]]


def verify_judge(claim: str, passages: Sequence[str], question: str, *, restates: Restates | None = None,
                 entails: Entails | None = None, rank: Ranker | None = None) -> list[str]:
    """The verifier the bot runs, on one claim: the checks it fails, answer-level checks set aside; `restates`:
    the bot's restatement test (`chatbot.restatement`), None for the word checks alone; `entails`: its claim judge
    (`judge_of`); `rank`: the sentence ranking the bot passes with its answers (`sentence_ranker`)."""
    from chatbot.claims import opens_with_yes_or_no
    from chatbot.verify import verify

    # Only a Yes/No reads the ranking (`chatbot.claims._yes_no`): the other claims skip its cost.
    answers = rank(question, passages) if rank is not None and question and opens_with_yes_or_no(claim) else ()
    result = verify(claim, passages, question, org_terms=_org_terms(passages), restates=restates, entails=entails,
                    answers=answers)
    # A sentence without a marker, cut from an answer whose other sentences cite, is judged against every
    # passage: "an answer must cite" is a rule for the whole answer, not for one of its sentences.
    return [c.name for c in result.checks if not c.passed and c.name not in ANSWER_LEVEL
            and not (c.name == "citations" and c.unsupported == [NO_CITATION])]


def judge_of(llm: LLM | None, *, offline: bool = False, cache: Path | None = JUDGE_CACHE) -> Entails | None:
    """The bot's claim judge (`chatbot.entailment`) asking `llm` through the benchmark's own reply cache (`offline`:
    never asking the model, a reply not cached raising `CacheMiss`); None without an LLM."""
    if llm is None:
        return None
    from chatbot.backends.cache import AnswerCache, CachingLLM
    from chatbot.entailment import Entailment

    judged = llm if cache is None else CachingLLM(llm, AnswerCache(cache), offline=offline)
    return Entailment(lambda: judged)


def sentence_ranker(embedder: Embedder, titles: Mapping[str, str]) -> Ranker:
    """The passages' sentences ranked for a question as the retriever ranks them (`Retriever.evidence`: the query
    vector against each sentence embedded as a passage under its question's title, `titles`: passage text -> title),
    without an index: the benchmark holds passages, not the FAQ's index."""
    from index.store import indexed_sentences

    vectors: dict[tuple[str, str], np.ndarray] = {}

    def rank(question: str, passages: Sequence[str]) -> list[str]:
        rows = list(dict.fromkeys((s, titles.get(p, "")) for p in passages for s in indexed_sentences(p)))
        missing = [r for r in rows if r not in vectors]
        if missing:
            embedded = embedder.embed_documents([t for t, _ in missing], [title for _, title in missing])
            vectors.update(zip(missing, embedded, strict=True))
        if not rows:
            return []
        scores = np.stack([vectors[r] for r in rows]) @ embedder.embed_query(question)
        return [rows[i][0] for i in np.argsort(-scores, kind="stable")]

    return rank


def sentence_singles_out(embedder: Embedder, path: Path, z_min: float) -> Callable[[str, Sequence[str]], list[bool]]:
    """The bot's `singles_out` (`Chatbot._singles_out`) over the benchmark's passages instead of the FAQ's index: every
    sentence of `path` embedded under its question's title as the index embeds it; a text is singled out when its best
    sentence stands `z_min` standard deviations above the mean of all of them for the words (True when it holds none)."""
    from index.retriever import best_z, standardised
    from index.store import indexed_sentences

    rows = list(dict.fromkeys((s, title) for text, title in _passage_rows(path).values()
                              for s in indexed_sentences(text)))
    matrix: list[np.ndarray] = []  # embedded on first use: a words-only run never pays for it

    def singles_out(words: str, texts: Sequence[str]) -> list[bool]:
        if not matrix:
            matrix.append(np.stack(embedder.embed_documents([s for s, _ in rows], [t for _, t in rows])))
        z = standardised(matrix[0] @ embedder.embed_query(words).reshape(-1)) if len(rows) >= 2 else None
        if z is None:
            return [True] * len(texts)
        return [score is None or score >= z_min for score in best_z([s for s, _ in rows], z, texts)]

    return singles_out


_ORG_TERMS: frozenset[str] | None = None


def _org_terms(passages: Sequence[str]) -> frozenset[str]:
    """The organisation's name, read once from the benchmark's passages (the FAQ it was built on)."""
    global _ORG_TERMS
    if _ORG_TERMS is None:
        from chatbot.claims import organisation_terms

        _ORG_TERMS = organisation_terms(list(load_passages(BENCH_DIR / "passages.jsonl").values()))
    return _ORG_TERMS


@dataclass
class Outcome:
    """One pair judged."""

    pair: Pair
    rejected: bool
    reasons: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        """True when the verdict matches the label."""
        return self.rejected == self.pair.unsupported


@dataclass
class Scores:
    """Confusion counts of "not supported" detection, with precision and recall."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        if outcome.pair.unsupported:
            self.tp += outcome.rejected
            self.fn += not outcome.rejected
        else:
            self.fp += outcome.rejected
            self.tn += not outcome.rejected

    @property
    def n(self) -> int:
        """Number of pairs."""
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        """Share of rejected claims that are unsupported (None when nothing was rejected)."""
        return round(self.tp / (self.tp + self.fp), 4) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Share of unsupported claims rejected (None when there are none)."""
        return round(self.tp / (self.tp + self.fn), 4) if self.tp + self.fn else None

    @property
    def false_rejection(self) -> float | None:
        """Share of supported claims rejected (None when there are none)."""
        return round(self.fp / (self.fp + self.tn), 4) if self.fp + self.tn else None

    def to_dict(self) -> dict[str, object]:
        """JSON form."""
        return {"pairs": self.n, "unsupported": self.tp + self.fn, "supported": self.fp + self.tn,
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "precision": self.precision,
                "recall": self.recall, "false_rejection": self.false_rejection}


@dataclass
class BenchResult:
    """Every pair judged, and the time the judge took."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def scores(self, split: str | None = None, kind: str | None = None) -> Scores:
        """Scores over one split and/or kind (None: all)."""
        s = Scores()
        for o in self.outcomes:
            if (split is None or o.pair.split == split) and (kind is None or o.pair.kind == kind):
                s.add(o)
        return s

    def summary(self) -> dict[str, object]:
        """Per split: overall and per kind; and the judge's time per claim."""
        out: dict[str, object] = {}
        for split in SPLITS:
            kinds = [k for k in KINDS if any(o.pair.kind == k and o.pair.split == split for o in self.outcomes)]
            out[split] = {"all": self.scores(split).to_dict(),
                          "kinds": {k: self.scores(split, k).to_dict() for k in kinds}}
        out["ms_per_claim"] = round(1000 * self.seconds / len(self.outcomes), 3) if self.outcomes else None
        return out

    def errors(self, split: str) -> list[Outcome]:
        """The misjudged pairs of a split."""
        return [o for o in self.outcomes if o.pair.split == split and not o.correct]


def run_bench(pairs: Sequence[Pair], passages: Mapping[str, str], judge: Judge = verify_judge) -> BenchResult:
    """Judge every pair; InputError when a pair cites a passage the benchmark does not hold."""
    result = BenchResult()
    started = time.perf_counter()
    for pair in pairs:
        missing = [s for s in pair.sources if s not in passages]
        if missing:
            raise InputError(f"pair {pair.id}: passages {', '.join(missing)} are not in the benchmark's "
                             "passages.jsonl")
        reasons = tuple(judge(pair.claim, [passages[s] for s in pair.sources], pair.question))
        result.outcomes.append(Outcome(pair, bool(reasons), reasons))
    result.seconds = time.perf_counter() - started
    return result


def _pct(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "–"


def format_result(result: BenchResult, *, errors: int = 0, error_splits: Sequence[str] = ("tune",)) -> str:
    """The text `faqbot eval --verifier` prints: per split, precision and recall overall and per kind; the first
    `errors` misjudged pairs of the `error_splits` (tune only by default: rules are chosen on tune, test is read as
    figures)."""
    lines = []
    summary = result.summary()
    for split in SPLITS:
        block = summary[split]
        assert isinstance(block, dict)
        overall = block["all"]
        if not overall["pairs"]:
            continue
        lines.append(f"{split}: {overall['pairs']} pairs ({overall['unsupported']} unsupported, "
                     f"{overall['supported']} supported) — precision {_pct(overall['precision'])}, "
                     f"recall {_pct(overall['recall'])}, supported claims rejected "
                     f"{_pct(overall['false_rejection'])}")
        lines.append(f"  {'kind':<12} {'pairs':>5} {'unsup.':>6} {'caught':>6} {'recall':>7} "
                     f"{'sup.':>5} {'rejected':>8} {'precision':>9}")
        for kind, s in block["kinds"].items():
            lines.append(f"  {kind:<12} {s['pairs']:>5} {s['unsupported']:>6} {s['tp']:>6} {_pct(s['recall']):>7} "
                         f"{s['supported']:>5} {s['fp']:>8} {_pct(s['precision']):>9}")
        if errors and split in error_splits:
            wrong = result.errors(split)
            if wrong:
                lines.append(f"  misjudged ({len(wrong)}; first {min(errors, len(wrong))}):")
            for o in wrong[:errors]:
                verdict = "rejected" if o.rejected else "passed"
                why = f" ({', '.join(o.reasons)})" if o.reasons else ""
                lines.append(f"    {o.pair.id} [{o.pair.kind}, {o.pair.label}] {verdict}{why}: {o.pair.claim}")
    lines.append(f"verification time: {summary['ms_per_claim']} ms per claim")
    return "\n".join(lines)


def metrics(result: BenchResult) -> dict[str, float | int | None]:
    """The gated figures: precision and recall of the `test` split (the split no rule was chosen on)."""
    test = result.scores("test")
    return {"verifier_pairs": test.n, "verifier_precision": test.precision, "verifier_recall": test.recall}


def gate(result: BenchResult, thresholds: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Why the benchmark fails the `verifier_*` bounds of the thresholds (empty: it passes)."""
    reasons = []
    values = metrics(result)
    for side, table in thresholds.items():
        for metric, bound in table.items():
            value = values.get(metric)
            if not metric.startswith("verifier_") or not isinstance(value, float):
                continue
            if (side == "min" and value < bound) or (side == "max" and value > bound):
                where = "below the minimum" if side == "min" else "above the maximum"
                reasons.append(f"Metric {metric} is {value:.1%}, {where} {bound:.1%} (verifier benchmark, test split).")
    return reasons
