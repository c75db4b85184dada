"""Evaluation cases (JSONL, schema in DESIGN.md) and the normalised matching they are judged with."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import InputError
from ingest.normalize import normalize

KINDS = ("answer", "refuse", "resist")
MODES = ("ask", "draft")
# `tune` cases may be looked at when choosing rules and thresholds; `test` cases are written before the change
# they measure and never used to pick a rule or a number. A case without a split is `test` (DESIGN.md).
SPLITS = ("tune", "test")
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Case:
    """One evaluation case: a question (maybe with history), what must be retrieved and said."""

    id: str
    question: str
    kind: str = "answer"
    expect_sections: tuple[int, ...] = ()
    must_include: tuple[tuple[str, ...], ...] = ()
    must_not_include: tuple[str, ...] = ()
    history: tuple[tuple[str, str], ...] = ()  # (role, content)
    mode: str = "ask"
    draft: dict[str, str] = field(default_factory=dict)
    note: str = ""
    source: str = ""  # file:line it came from
    split: str = "test"
    tags: tuple[str, ...] = ()
    # The language the answer must be in; empty: the language detected in the question (the bot's own reading,
    # so a question it misreads cannot fail this check: give it for such questions).
    language: str = ""

    def to_dict(self) -> dict[str, object]:
        """The case in its JSONL form (optional fields only when set)."""
        out: dict[str, object] = {
            "id": self.id, "question": self.question, "kind": self.kind,
            "expect_sections": list(self.expect_sections),
            "must_include": [list(g) for g in self.must_include],
            "must_not_include": list(self.must_not_include),
        }
        if self.history:
            out["history"] = [{"role": r, "content": c} for r, c in self.history]
        if self.mode != "ask":
            out["mode"] = self.mode
        if self.draft:
            out["draft"] = dict(self.draft)
        if self.note:
            out["note"] = self.note
        out["split"] = self.split
        if self.tags:
            out["tags"] = list(self.tags)
        if self.language:
            out["language"] = self.language
        return out


def _fail(where: str, problem: str) -> InputError:
    return InputError(f"{where}: {problem}")


def parse_case(data: object, where: str) -> Case:
    """Validate one decoded JSON object as a case; errors name the file and line."""
    if not isinstance(data, dict):
        raise _fail(where, "each line must be a JSON object")
    for key in ("id", "question"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _fail(where, f"'{key}' must be a non-empty string")
    kind = data.get("kind", "answer")
    if kind not in KINDS:
        raise _fail(where, f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    sections = data.get("expect_sections") or []
    if not isinstance(sections, list) or not all(isinstance(s, int) for s in sections):
        raise _fail(where, "'expect_sections' must be a list of question numbers")
    include = data.get("must_include") or []
    if not isinstance(include, list) or not all(
        isinstance(g, list) and g and all(isinstance(a, str) for a in g) for g in include
    ):
        raise _fail(where, "'must_include' must be a list of non-empty lists of strings")
    exclude = data.get("must_not_include") or []
    if not isinstance(exclude, list) or not all(isinstance(a, str) for a in exclude):
        raise _fail(where, "'must_not_include' must be a list of strings")
    history = data.get("history") or []
    if not isinstance(history, list) or not all(
        isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
        for t in history
    ):
        raise _fail(where, "'history' must be a list of {\"role\": \"user\"|\"assistant\", \"content\": ...}")
    mode = data.get("mode", "ask")
    if mode not in MODES:
        raise _fail(where, f"'mode' must be one of {', '.join(MODES)}, not {mode!r}")
    draft = data.get("draft") or {}
    if not isinstance(draft, dict):
        raise _fail(where, "'draft' must be an object such as {\"tone\": \"factuel\", \"length\": \"court\"}")
    split = data.get("split", "test")
    if split not in SPLITS:
        raise _fail(where, f"'split' must be one of {', '.join(SPLITS)}, not {split!r}")
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise _fail(where, "'tags' must be a list of non-empty strings")
    language = data.get("language", "")
    if language not in ("", *LANGUAGES):
        raise _fail(where, f"'language' must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return Case(
        id=data["id"].strip(),
        question=data["question"],
        kind=kind,
        expect_sections=tuple(sections),
        must_include=tuple(tuple(normalize(a) for a in g) for g in include),
        must_not_include=tuple(normalize(a) for a in exclude),
        history=tuple((t["role"], t["content"]) for t in history),
        mode=mode,
        draft={str(k): str(v) for k, v in draft.items()},
        note=str(data.get("note", "")),
        source=where,
        split=split,
        tags=tuple(t.strip() for t in tags),
        language=language,
    )


def load_cases(paths: list[Path] | tuple[Path, ...]) -> list[Case]:
    """Read and validate every case of the given JSONL files; ids must be unique across them."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"cases file not found: {path}")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise InputError(f"cases file {path} is not valid UTF-8") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _fail(where, f"invalid JSON ({exc.msg})") from None
            case = parse_case(data, where)
            if case.id in seen:
                raise _fail(where, f"duplicate case id {case.id!r} (first at {seen[case.id]})")
            seen[case.id] = where
            cases.append(case)
    if not cases:
        raise InputError("no cases found in " + ", ".join(str(p) for p in paths))
    return cases


def select_cases(cases: list[Case], *, split: str | None = None, ids: list[str] | None = None) -> list[Case]:
    """The cases of one split and/or with the given ids; an id that matches nothing is an error."""
    chosen = [c for c in cases if split is None or c.split == split]
    if ids:
        unknown = sorted(set(ids) - {c.id for c in cases})
        if unknown:
            raise InputError(f"no case with id {', '.join(unknown)}")
        chosen = [c for c in chosen if c.id in ids]
    if not chosen:
        raise InputError(f"no case left after choosing split {split!r}" + (f" and ids {ids}" if ids else ""))
    return chosen


def write_cases(path: Path, cases: list[Case]) -> None:
    """Write cases as JSONL (one object a line, accents kept)."""
    path.write_text("".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")


# What may stand right before and after a matched alternative: not a letter or digit, and no decimal point
# followed by a digit (`1.367` must not match inside `11.367` or `1.3670`).
_BEFORE = r"(?<![\w])(?<!\d\.)"
_AFTER = r"(?![\w])(?!\.\d)"


def _pattern(alternative: str) -> re.Pattern[str]:
    """The whole-word pattern of a normalised alternative; a trailing `*` makes its last word a prefix
    (`independ*` matches `independant`, `independance`)."""
    prefix = alternative.endswith("*")
    body = re.escape(alternative.rstrip("*").strip())
    return re.compile(_BEFORE + body + (r"\w*" if prefix else "") + _AFTER)


def find_alternative(normalised_text: str, alternative: str) -> bool:
    """True when `alternative` (normalised) occurs as whole words in already-normalised text."""
    return bool(alternative.strip("* ")) and _pattern(alternative).search(normalised_text) is not None


def matches(text: str, alternative: str) -> bool:
    """True when the normalised `alternative` occurs as whole words in the normalised `text`: a figure matches
    only as that figure (`12` is not in `2012`), a word only as that word (`vot` is not in `votre`)."""
    return find_alternative(normalize(text), normalize(alternative))
