"""Feedback on answers: a capped, rotated JSONL log of the public's ratings, and the staff's review that turns
a rating into a regression case for `faqbot eval`.

A public click only appends to the log (at most `FAQBOT_FEEDBACK_MAX_BYTES`, then rotated, three old files
kept). A rating becomes a case only when someone on the staff side accepts it (staff page or `faqbot feedback
review`), written to the cases file the staff names; every decision is kept in a reviews file beside the log.

A rating becomes a case in the eval schema of DESIGN.md: a good answer must keep its sections and facts
(its figures, else one or two distinctive words found in the cited passage); "aurait dû refuser" must
abstain; "fait erroné" must not repeat the answer's figures that the sources do not support.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from chatbot.answer import Answer
from chatbot.verify import (
    check_figures,
    cited_numbers,
    figures,
    proper_nouns,
    strip_references,
    supported_values,
)
from eval.cases import Case, parse_case
from index.retriever import Hit
from ingest import Chunk
from ingest.normalize import normalize, tokens
from ingest.settings import REPO_ROOT, IngestSettings
from ui.organisation import faq_profile

UP, DOWN = "up", "down"
WRONG_FACT, WRONG_SOURCE, SHOULD_REFUSE, TONE = "fait erroné", "mauvaise source", "aurait dû refuser", "ton"
REASONS = (WRONG_FACT, WRONG_SOURCE, SHOULD_REFUSE, TONE)
# Turn history kept in a case: the chatbot rewrites follow-ups from the last four turns only.
MAX_HISTORY = 4
MAX_GROUPS = 2
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Words every answer about the organisation contains prove nothing: these, and the words of its name (profile).
_GENERIC = {"association", "associations", "faq"}
# Appends from concurrent sessions must not interleave within a line.
_WRITE_LOCK = threading.Lock()
# The rating log: rotated past this size (FAQBOT_FEEDBACK_MAX_BYTES), this many old files kept.
MAX_LOG_BYTES = 5 * 1024 * 1024
KEEP_ROTATED = 3
ACCEPTED, REJECTED = "accepted", "rejected"

History = Sequence[tuple[str, str]]


def feedback_file() -> Path:
    """`FAQBOT_FEEDBACK_FILE`, else `$XDG_DATA_HOME/faqbot/feedback.jsonl`, else `~/.local/share/faqbot/...`."""
    explicit = os.environ.get("FAQBOT_FEEDBACK_FILE", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    data = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(data).expanduser() / "faqbot" / "feedback.jsonl"


def cases_file() -> Path:
    """`FAQBOT_FEEDBACK_CASES`, else `eval/cases/feedback.jsonl` in the repository (run by `make eval`)."""
    explicit = os.environ.get("FAQBOT_FEEDBACK_CASES", "").strip()
    return Path(explicit).expanduser() if explicit else REPO_ROOT / "eval" / "cases" / "feedback.jsonl"


def append_jsonl(path: Path, record: dict) -> None:
    """Append one JSON object as a line (folders created, accents kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _WRITE_LOCK, path.open("a", encoding="utf-8") as handle:
        handle.write(line)


def feedback_record(answer: Answer, *, rating: str, reason: str | None = None, history: History = (),
                    now: datetime | None = None) -> dict:
    """What the feedback log keeps of one rated answer: enough to make its regression case later."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    history = tuple(history)[-MAX_HISTORY:]
    key = json.dumps([stamp, answer.question, [list(t) for t in history], answer.text, rating, reason],
                     ensure_ascii=False)
    return {
        "id": f"r-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}",
        "timestamp": stamp,
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "history": [{"role": role, "content": content} for role, content in history],
        "answer": answer.text,
        "model_text": answer.model_text,  # the model's own words, the FAQ quotes after them set aside
        "abstained": answer.abstained,
        "abstain_reason": answer.abstain_reason,
        "sources": [h.to_dict() for h in answer.sources],
        "rating": rating,
        "reason": reason,
        "backend": answer.backend,
        "model": answer.model,
    }


def max_log_bytes() -> int:
    """`FAQBOT_FEEDBACK_MAX_BYTES`, else 5 MiB."""
    raw = os.environ.get("FAQBOT_FEEDBACK_MAX_BYTES", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else MAX_LOG_BYTES


def rotated(path: Path, n: int) -> Path:
    """The n-th older log beside `path` (`feedback.jsonl.1` is the most recent of them)."""
    return path.with_name(f"{path.name}.{n}")


def log_rating(record: dict, path: Path | None = None) -> Path:
    """Append a rating to the log, rotating it first when it would outgrow its cap; returns the log's path."""
    path = path or feedback_file()
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _WRITE_LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size + len(line.encode("utf-8")) > max_log_bytes():
            rotated(path, KEEP_ROTATED).unlink(missing_ok=True)
            for n in range(KEEP_ROTATED - 1, 0, -1):
                if rotated(path, n).exists():
                    rotated(path, n).rename(rotated(path, n + 1))
            path.rename(rotated(path, 1))
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return path


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue  # a damaged line costs one rating, not the log
        if isinstance(item, dict):
            out.append(item)
    return out


def read_ratings(path: Path | None = None) -> list[dict]:
    """Every rating still kept (rotated logs included), oldest first; ratings without an id are skipped."""
    path = path or feedback_file()
    files = [rotated(path, n) for n in range(KEEP_ROTATED, 0, -1)] + [path]
    return [r for f in files for r in _jsonl(f) if r.get("id")]


def reviews_file(path: Path | None = None) -> Path:
    """Where the staff's decisions are kept: `feedback-reviews.jsonl` beside the rating log."""
    path = path or feedback_file()
    return path.with_name(f"{path.stem}-reviews.jsonl")


def read_reviews(path: Path | None = None) -> dict[str, dict]:
    """The staff's decisions by rating id (the last one counts)."""
    return {r["rating_id"]: r for r in _jsonl(reviews_file(path)) if r.get("rating_id")}


def pending(path: Path | None = None) -> list[dict]:
    """Ratings nobody on the staff side has decided on yet, newest first."""
    decided = read_reviews(path)
    return [r for r in reversed(read_ratings(path)) if r["id"] not in decided]


def answer_of(record: dict) -> Answer:
    """The rated answer, rebuilt from its log record."""
    hits = []
    for rank, source in enumerate(record.get("sources") or [], start=1):
        if "text" not in source:  # a record written before sources carried their passage
            continue
        score = float(source.get("score") or 0.0)
        hits.append(Hit(Chunk.from_dict(source), score, score, 0.0, rank))
    return Answer(question=str(record.get("question", "")), text=str(record.get("answer", "")),
                  model_text=str(record.get("model_text") or ""),
                  abstained=bool(record.get("abstained")), sources=tuple(hits),
                  backend=str(record.get("backend", "")), model=str(record.get("model", "")),
                  standalone_question=record.get("standalone_question"),
                  abstain_reason=record.get("abstain_reason"))


def history_of(record: dict) -> tuple[tuple[str, str], ...]:
    """The conversation before the rated answer."""
    return tuple((str(t.get("role")), str(t.get("content"))) for t in record.get("history") or [])


def case_of(record: dict) -> Case | None:
    """The regression case a logged rating would make (None when the right answer is unknown)."""
    try:
        when = datetime.fromisoformat(str(record.get("timestamp")))
    except ValueError:
        when = None
    return regression_case(answer_of(record), history_of(record), rating=str(record.get("rating")),
                           reason=record.get("reason"), now=when)


def decide(record: dict, decision: str, *, cases: Path | None = None, log: Path | None = None) -> Case | None:
    """Record the staff's decision on a rating; on acceptance, append its case to `cases` (returned)."""
    case = None
    if decision == ACCEPTED:
        case = case_of(record)
        if case is None:
            raise ValueError("this rating makes no regression case: the right answer is unknown")
        add_case(cases or cases_file(), case)
    entry = {"rating_id": record["id"], "decision": decision, "case_id": case.id if case else None,
             "cases_file": str(cases or cases_file()) if case else None,
             "timestamp": datetime.now(UTC).isoformat(timespec="seconds")}
    append_jsonl(reviews_file(log), entry)
    return case


def case_kind(answer: Answer, rating: str, reason: str | None) -> str | None:
    """The kind of regression case a rating makes, or None when it makes none (the right answer is unknown)."""
    if rating == UP:
        return "refuse" if answer.abstained else "answer"
    if reason == SHOULD_REFUSE:
        return "refuse"
    if reason == WRONG_FACT and not answer.abstained:
        return "answer"
    return None


def cited_passages(answer: Answer) -> list[str]:
    """The passages the answer cites (the best one when it cites none)."""
    hits = [answer.sources[n - 1] for n in cited_numbers(answer.text) if 1 <= n <= len(answer.sources)]
    return [h.chunk.text for h in hits or answer.sources[:1]]


def cited_sections(answer: Answer) -> list[int]:
    """FAQ question numbers of the cited passages (the best one's when none is cited)."""
    hits = [answer.sources[n - 1] for n in cited_numbers(answer.text) if 1 <= n <= len(answer.sources)]
    sections = [h.chunk.section for h in hits or answer.sources[:1]]
    return sorted({s for s in sections if s is not None})


def _number_group(figure_text: str) -> list[str]:
    """Alternatives matching a figure in the normalised form: `2,5 millions` -> ["2.5", "25"]."""
    match = _NUMBER.search(normalize(figure_text))
    if not match:
        return []
    number = match.group(0)
    return [number, number.replace(".", "")] if "." in number else [number]


def figure_groups(answer: str, passages: Sequence[str], question: str = "") -> list[list[str]]:
    """`must_include` groups for the answer's figures that the passages support (years only when nothing
    else), skipping figures the question itself contains."""
    allowed = supported_values(passages)
    asked = normalize(question)
    groups: list[list[str]] = []
    years: list[list[str]] = []
    for figure in figures(answer):
        group = _number_group(figure.text)
        if not group or not figure.values & allowed or group in groups or group in years:
            continue
        if re.search(rf"(?<![\d.]){re.escape(group[0])}(?![\d.])", asked):
            continue
        (years if _YEAR.match(group[0]) else groups).append(group)
    return (groups or years)[:MAX_GROUPS]


def word_groups(answer: str, passages: Sequence[str], question: str = "") -> list[list[str]]:
    """`must_include` groups for one or two distinctive words of the answer found in the cited passage:
    names first, then the longest words the question does not already contain."""
    in_passage = set(tokens(" ".join(passages)))
    generic = _GENERIC | faq_profile(IngestSettings.from_env()).name_forms
    asked = set(tokens(question))
    text = strip_references(answer)
    names = [normalize(n) for n in proper_nouns(text)]
    words = sorted(dict.fromkeys(tokens(text)), key=len, reverse=True)
    chosen: list[str] = []
    for word in [*names, *(w for w in words if len(w) >= 6)]:
        if (word in in_passage and word not in asked and word not in generic and not word.isdigit()
                and word not in chosen):
            chosen.append(word)
    return [[w] for w in chosen[:MAX_GROUPS]]


def case_id(question: str, history: History, kind: str, day: str) -> str:
    """`fb-<date>-<hash>`: the same question and history rated the same way give the same id."""
    key = json.dumps([question, [list(t) for t in history], kind], ensure_ascii=False)
    return f"fb-{day}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"


def regression_case(answer: Answer, history: History, *, rating: str, reason: str | None = None,
                    now: datetime | None = None) -> Case | None:
    """The regression case a rated answer makes (validated by `parse_case`), or None."""
    kind = case_kind(answer, rating, reason)
    if kind is None:
        return None
    now = now or datetime.now(UTC)
    history = tuple(history)[-MAX_HISTORY:]
    verdict = "👍" if rating == UP else f"👎 {reason}"
    data: dict[str, object] = {
        "id": case_id(answer.question, history, kind, now.strftime("%Y%m%d")),
        "question": answer.question, "kind": kind, "expect_sections": [], "must_include": [],
        "must_not_include": [],
        "note": f"avis {verdict} dans l'interface le {now.date().isoformat()} ({answer.backend}/{answer.model})",
    }
    if history:
        data["history"] = [{"role": role, "content": content} for role, content in history]
    passages = cited_passages(answer)
    if kind == "answer" and rating == UP:
        data["expect_sections"] = cited_sections(answer)
        asked = answer.standalone_question or answer.question
        # The figures of the answer's own words first: the quotes after it may add neighbouring facts (last year's
        # result after the budget) that the question did not ask for; a quote that is the whole answer counts.
        data["must_include"] = (figure_groups(answer.model_text, passages, asked)
                                or figure_groups(answer.text, passages, asked)
                                or word_groups(answer.text, passages, asked))
    elif kind == "answer":  # a wrong fact: the figures the sources do not support must not come back
        wrong = check_figures(answer.text, passages).unsupported
        data["must_not_include"] = list(dict.fromkeys(normalize(w) for w in wrong))
        data["note"] = f"{data['note']}; réponse jugée fausse : « {answer.text[:200]} »"
    return parse_case(data, "feedback")


def existing_ids(path: Path) -> set[str]:
    """Case ids already in the cases file (empty when it does not exist)."""
    if not path.exists():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            ids.add(json.loads(line).get("id"))
        except (ValueError, AttributeError):
            continue
    return ids


def add_case(path: Path, case: Case) -> bool:
    """Append the case to the cases file; False when a case with its id is already there."""
    with _WRITE_LOCK:
        if case.id in existing_ids(path):
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(case.to_dict(), ensure_ascii=False) + "\n")
    return True
