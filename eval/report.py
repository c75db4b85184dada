"""Regression report of an answer-fidelity run: what changed against the baseline, and whether it may ship.

`compare` turns the records of this run and of the baseline (one judged record per case, as written by
`eval.answers.run_case`) and both summaries into a `Comparison`: cases that went pass -> fail (regressions)
and fail -> pass (fixes), metric changes, thresholds broken, and the exit code of the gate. `write_reports`
writes it as `report.md` and `report.html`, with a word-level diff of each changed answer.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import InputError
from ingest.normalize import normalize

if TYPE_CHECKING:
    from eval.mutate import MutationReport

Number = float | int
SIDES = ("min", "max")


@dataclass(frozen=True)
class MetricRow:
    """One metric in both runs; `change` is current - baseline when both are numbers."""

    metric: str
    baseline: Number | None
    current: Number | None
    change: Number | None


@dataclass(frozen=True)
class ThresholdFailure:
    """A metric outside its bound: `side` is "min" (value below bound) or "max" (value above bound)."""

    metric: str
    value: Number
    bound: Number
    side: str


@dataclass
class Comparison:
    """Everything the gate decides on, and the human sentences explaining the decision."""

    regressions: list[str] = field(default_factory=list)
    # Still passing, but the model's own words lost required facts that only the FAQ quotes now carry.
    model_regressions: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    new_cases: list[str] = field(default_factory=list)
    missing_cases: list[str] = field(default_factory=list)
    metric_rows: list[MetricRow] = field(default_factory=list)
    threshold_failures: list[ThresholdFailure] = field(default_factory=list)
    exit_code: int = 0
    reasons: list[str] = field(default_factory=list)
    # Worth reading but not failing the gate: thresholds on metrics this run did not measure, cases that
    # disappeared, cases whose repeated runs disagree.
    notes: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)
    has_baseline: bool = False
    run_info: list[tuple[str, object, object]] = field(default_factory=list)  # (key, baseline, current)

    @property
    def passed(self) -> bool:
        """True when the gate lets the run through."""
        return self.exit_code == 0

    def to_dict(self) -> dict[str, object]:
        """JSON form (comparison.json)."""
        return asdict(self) | {"passed": self.passed}


# --- thresholds -------------------------------------------------------------------------------------------


def check_thresholds(thresholds: Mapping[str, object]) -> dict[str, dict[str, Number]]:
    """Validate `{"min": {metric: bound}, "max": {metric: bound}}`; InputError naming the bad entry."""
    unknown = [key for key in thresholds if key not in SIDES]
    if unknown:
        raise InputError(f"thresholds: unknown section(s) {', '.join(map(repr, unknown))}: use [min] and [max]")
    out: dict[str, dict[str, Number]] = {}
    for side in SIDES:
        table = thresholds.get(side) or {}
        if not isinstance(table, Mapping):
            raise InputError(f"thresholds: [{side}] must be a table of metric = number")
        for metric, bound in table.items():
            if isinstance(bound, bool) or not isinstance(bound, int | float):
                raise InputError(f"thresholds: {side}.{metric} must be a number, not {bound!r}")
        out[side] = dict(table)
    return out


def load_thresholds(path: Path) -> dict[str, dict[str, Number]]:
    """Read and validate a thresholds TOML file ([min] and [max] tables of metric = number)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"thresholds file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"thresholds file {path} is not valid TOML: {exc}") from None
    return check_thresholds(data)


# --- numbers ------------------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_number(value: object) -> Number | None:
    """`value` when it is a number (JSON true/false are not), else None."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def is_rate(metric: str, value: object) -> bool:
    """True for a share in [0, 1] (pass rate, hit@k...), which is shown as a percentage.

    Counts, latencies and the mean reciprocal rank are not shares.
    """
    if not isinstance(value, float) or not 0.0 <= value <= 1.0:
        return False
    return not any(part in metric for part in ("mrr", "_ms", "_s", "ratio", "score"))


def format_value(metric: str, value: object) -> str:
    """A metric value for people: rates as percentages with one decimal, latencies in ms."""
    if value is None:
        return "–"
    number = _as_number(value)
    if number is None:
        return str(value)
    if is_rate(metric, number):
        return f"{number * 100:.1f}%"
    if metric.endswith("_ms"):
        return f"{number:.0f} ms"
    return str(number) if isinstance(number, int) else f"{number:.3f}"


def format_change(row: MetricRow) -> str:
    """The change column: percentage points for rates, signed values otherwise, "–" when not comparable."""
    if row.change is None:
        return "–"
    rate = is_rate(row.metric, row.current) or is_rate(row.metric, row.baseline)
    if rate:
        points = row.change * 100
        return "±0" if abs(points) < 0.05 else f"{points:+.1f} pts"
    if row.change == 0:
        return "±0"
    if row.metric.endswith("_ms"):
        return f"{row.change:+.0f} ms"
    return f"{row.change:+d}" if isinstance(row.change, int) else f"{row.change:+.3f}"


# --- records ------------------------------------------------------------------------------------------------


def _index(records: Iterable[Mapping]) -> dict[str, list[Mapping]]:
    """Records by case id, in first-seen order (a case run several times has several records)."""
    out: dict[str, list[Mapping]] = {}
    for record in records:
        out.setdefault(str(record.get("id")), []).append(record)
    return out


def _passed(records: Sequence[Mapping]) -> bool:
    # A case run several times passes only if every run passed: the gate must not pass on luck.
    return all(r.get("passed") is True for r in records)


def _shown(records: Sequence[Mapping]) -> Mapping:
    """The record to show for a case: its first failing run, else its first run."""
    return next((r for r in records if r.get("passed") is not True), records[0])


def _alternatives(group: object) -> str:
    items = group if isinstance(group, list | tuple) else [group]
    return " or ".join(f"«{a}»" for a in items)


_EXPLAINED = ("abstention", "must_include", "must_not_include", "grounding", "language", "cache", "model_facts")


def _model_facts(records: Sequence[Mapping]) -> bool | None:
    """Whether the model's own words held the required facts in every run (None: not measured)."""
    checks = [(r.get("checks") or {}).get("model_facts") for r in records]
    if not checks or any(c is None for c in checks):
        return None
    return all(c.get("passed") is True for c in checks)


def failure_reasons(record: Mapping) -> list[str]:
    """Why a record fails: one phrase per failed check (facts missing, forbidden strings, abstention...)."""
    checks = record.get("checks") or {}
    reasons: list[str] = []
    if record.get("error"):
        reasons.append(f"error: {record['error']}")
    abstention = checks.get("abstention") or {}
    if abstention.get("passed") is False:
        if abstention.get("expected") is False or abstention.get("abstained"):
            why = record.get("abstain_reason")
            reasons.append("abstained" + (f" ({why})" if why else "") + " although the FAQ answers it")
        else:
            reasons.append("answered although it should have abstained")
    include = checks.get("must_include") or {}
    if include.get("passed") is False:
        missing = "; ".join(_alternatives(g) for g in include.get("missing") or []) or "?"
        reasons.append(f"missing required facts: {missing}")
    exclude = checks.get("must_not_include") or {}
    if exclude.get("passed") is False:
        found = ", ".join(f"«{s}»" for s in exclude.get("found") or []) or "?"
        reasons.append(f"forbidden strings found: {found}")
    grounding = checks.get("grounding") or {}
    if grounding.get("passed") is False:
        details = grounding.get("details") or {}
        if details:
            parts = [f"{name} {', '.join(f'«{s}»' for s in spans)}" for name, spans in details.items() if spans]
            reasons.append("not grounded in its sources: " + "; ".join(parts))
        else:
            spans = ", ".join(f"«{s}»" for s in grounding.get("unsupported") or []) or "?"
            reasons.append(f"not grounded in its sources: {spans}")
    language = checks.get("language") or {}
    if language.get("passed") is False:
        reasons.append(f"answered in {language.get('answer', '?')} to a question in {language.get('expected', '?')}")
    cache = checks.get("cache") or {}
    if cache.get("passed") is False:
        reasons.append(f"no cached answer ({cache.get('error', 'cache miss')})")
    for name, check in checks.items():
        if name in _EXPLAINED or not isinstance(check, dict):
            continue
        if check.get("passed") is False:
            evidence = {k: v for k, v in check.items() if k != "passed"}
            reasons.append(f"{name} check failed" + (f" ({_compact(evidence)})" if evidence else ""))
    model = checks.get("model_facts") or {}
    if model.get("passed") is False and record.get("passed") is True:
        missing = "; ".join(_alternatives(g) for g in model.get("missing") or []) or "?"
        reasons.append(f"the model's own words lack required facts ({missing}): only the FAQ quotes carry them")
    if not reasons and record.get("passed") is False:
        reasons.append("failed (no check recorded why)")
    return reasons


def _compact(evidence: Mapping) -> str:
    text = json.dumps(evidence, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def offending_spans(record: Mapping) -> list[str]:
    """The pieces of the answer that make it fail: unsupported figures and names, forbidden strings."""
    checks = record.get("checks") or {}
    spans: list[str] = []
    grounding = checks.get("grounding") or {}
    spans += [s for s in grounding.get("unsupported") or [] if isinstance(s, str)]
    for found in (grounding.get("details") or {}).values():
        spans += [s for s in found or [] if isinstance(s, str)]
    exclude = checks.get("must_not_include") or {}
    spans += [s for s in exclude.get("found") or [] if isinstance(s, str)]
    verification = record.get("verification") or {}
    for check in verification.get("checks") or []:
        if isinstance(check, dict) and check.get("passed") is False:
            spans += [s for s in check.get("unsupported") or [] if isinstance(s, str)]
    unique: list[str] = []
    for span in spans:
        if span.strip() and span not in unique:
            unique.append(span)
    return unique


def span_ranges(text: str, spans: Iterable[str]) -> list[tuple[int, int]]:
    """Character ranges of `spans` in `text`, found as written or in normalised form.

    Forbidden strings are stored normalised ("10 milliards"): for those, the shortest run of words whose
    normalised form contains the span is taken.
    """
    ranges: list[tuple[int, int]] = []
    words = [m.span() for m in re.finditer(r"\S+", text)]
    for span in spans:
        exact = [(m.start(), m.end()) for m in re.finditer(re.escape(span), text, re.IGNORECASE)]
        if exact:
            ranges += exact
            continue
        needle = normalize(span)
        if not needle:
            continue
        last_end = -1
        for j in range(len(words)):
            # The closest start that still contains the span gives the shortest window ending at word j.
            for i in range(j, max(-1, j - 12), -1):
                if words[i][0] > last_end and needle in normalize(text[words[i][0]:words[j][1]]):
                    end = words[j][1]
                    # Trailing punctuation is the sentence's, not the span's.
                    while text[end - 1] in ".,;:!?»)" and needle in normalize(text[words[i][0]:end - 1]):
                        end -= 1
                    ranges.append((words[i][0], end))
                    last_end = words[j][1]
                    break
    return ranges


# --- comparison ---------------------------------------------------------------------------------------------


def _metric_rows(summary: Mapping, baseline_summary: Mapping | None) -> list[MetricRow]:
    base = baseline_summary or {}
    names = [k for k in summary if _is_number(summary[k]) or summary[k] is None]
    names += [k for k in base if k not in summary and (_is_number(base[k]) or base[k] is None)]
    rows = []
    for name in names:
        b, c = _as_number(base.get(name)), _as_number(summary.get(name))
        change: Number | None = None
        if b is not None and c is not None:
            # Rounded so that 0.875 - 1.0 reads -0.125, not -0.12500000000000006.
            change = c - b if isinstance(b, int) and isinstance(c, int) else round(c - b, 6)
        rows.append(MetricRow(name, b, c, change))
    return rows


def category_rows(records: Sequence[Mapping]) -> list[tuple[str, int, int, int, int]]:
    """Per tag: (tag, tune passed, tune cases, test passed, test cases), most frequent tags first."""
    counts: dict[str, list[int]] = {}
    for record in records:
        test = record.get("split", "test") == "test"
        for tag in record.get("tags") or ():
            row = counts.setdefault(tag, [0, 0, 0, 0])
            row[2 * test] += bool(record.get("passed"))
            row[2 * test + 1] += 1
    return sorted(((t, *v) for t, v in counts.items()), key=lambda r: (-(r[2] + r[4]), r[0]))


def _share(passed: int, total: int) -> str:
    return f"{passed}/{total} ({passed / total:.0%})" if total else "–"


def _ids(ids: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _change_sections(c: Comparison) -> list[tuple[str, list[str], bool, str]]:
    """The report's case sections: (title, case ids, explain from the baseline run?, label of the why)."""
    return [
        ("Regressions (pass → fail)", c.regressions, False, "Why it fails now"),
        ("Model regressions (facts now only in the FAQ quotes)", c.model_regressions, False, "What changed"),
        ("Fixes (fail → pass)", c.fixes, True, "Why it failed in the baseline"),
    ]


def compare(current: list[dict], baseline: list[dict] | None, summary: dict, baseline_summary: dict | None,
            thresholds: dict) -> Comparison:
    """Compare this run with the baseline (None: thresholds only) and decide the exit code of the gate."""
    bounds = check_thresholds(thresholds or {})
    now = _index(current)
    out = Comparison(has_baseline=baseline is not None)
    out.flaky = [i for i, recs in now.items() if len({r.get("passed") is True for r in recs}) > 1]
    if baseline is not None:
        before = _index(baseline)
        for case_id, recs in now.items():
            if case_id not in before:
                out.new_cases.append(case_id)
            elif _passed(before[case_id]) and not _passed(recs):
                out.regressions.append(case_id)
            elif not _passed(before[case_id]) and _passed(recs):
                out.fixes.append(case_id)
            elif _passed(recs) and _model_facts(before[case_id]) and _model_facts(recs) is False:
                out.model_regressions.append(case_id)
        out.missing_cases = [i for i in before if i not in now]
    out.metric_rows = _metric_rows(summary, baseline_summary)
    base_summary = baseline_summary or {}
    out.run_info = [(k, base_summary.get(k), v) for k, v in summary.items()
                    if isinstance(v, str) or isinstance(base_summary.get(k), str)]

    unmeasured, empty = [], []
    for side in SIDES:
        for metric, bound in bounds[side].items():
            value = _as_number(summary.get(metric))
            if value is None:
                # Not a failure: a retrieval-only run has no answer metrics, a run without --mutate no
                # mutants_caught, a run without refuse cases no refuse_abstained. Listed, so a typo shows.
                (unmeasured if metric not in summary else empty).append(metric)
                continue
            if (side == "min" and value < bound) or (side == "max" and value > bound):
                out.threshold_failures.append(ThresholdFailure(metric, value, bound, side))

    if unmeasured:
        out.notes.append(f"Thresholds not checked, metric not measured in this run: {', '.join(unmeasured)}.")
    if empty:
        out.notes.append(f"Thresholds not checked, metric has no value (no cases of its kind): {', '.join(empty)}.")
    for case_id in out.regressions:
        why = "; ".join(failure_reasons(_shown(now[case_id]))) or "it fails"
        out.reasons.append(f"Regression: case {case_id} passed in the baseline and fails now: {why}.")
    for case_id in out.model_regressions:
        why = "; ".join(failure_reasons(_shown(now[case_id]))) or "it lost facts"
        out.reasons.append(f"Regression: case {case_id} still passes, but {why}.")
    for f in out.threshold_failures:
        where = "below the minimum" if f.side == "min" else "above the maximum"
        out.reasons.append(f"Metric {f.metric} is {format_value(f.metric, f.value)}, {where} "
                           f"{format_value(f.metric, f.bound)}.")
    if out.missing_cases:
        out.notes.append(f"{len(out.missing_cases)} baseline case(s) were not run: {_ids(out.missing_cases)}.")
    if out.flaky:
        out.notes.append(f"{len(out.flaky)} case(s) passed in some runs and failed in others (counted as "
                         f"failing): {_ids(out.flaky)}.")
    out.exit_code = 1 if out.regressions or out.model_regressions or out.threshold_failures else 0
    return out


# --- word diff ----------------------------------------------------------------------------------------------

# A piece of the diff: its text, "same" / "del" / "ins", and whether it is an offending span.
Piece = tuple[str, str, bool]


def _tokens(text: str) -> list[tuple[str, int]]:
    # A word keeps the spaces after it: matching spaces on their own would splice unrelated answers into
    # a confetti of one-word replacements.
    return [(m.group(0), m.start()) for m in re.finditer(r"^\s+|\S+\s*", text)]


def _overlaps(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


MIN_DIFF_RATIO = 0.3


def word_diff(old: str, new: str, old_bad: Sequence[tuple[int, int]] = (),
              new_bad: Sequence[tuple[int, int]] = ()) -> list[Piece]:
    """Word-level diff of `new` against `old`, words inside the `*_bad` character ranges flagged."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
    pieces: list[Piece] = []

    def emit(tokens: list[tuple[str, int]], state: str, bad: Sequence[tuple[int, int]]) -> None:
        # Consecutive words with the same state and flag make one piece (one pair of marks).
        for text, start in tokens:
            offending = not text.isspace() and _overlaps(start, start + len(text.rstrip()), bad)
            if pieces and pieces[-1][1] == state and (pieces[-1][2] == offending or text.isspace()):
                pieces[-1] = (pieces[-1][0] + text, state, pieces[-1][2])
            else:
                pieces.append((text, state, offending))

    if matcher.ratio() < MIN_DIFF_RATIO:
        # Answers that share almost nothing read better whole: the old one struck out, then the new one.
        emit(a, "del", old_bad)
        if a and b:
            pieces.append((" → " if not a[-1][0].endswith((" ", "\n")) else "→ ", "same", False))
        emit(b, "ins", new_bad)
        return pieces
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            emit(b[j1:j2], "same", new_bad)
        if op in ("delete", "replace"):
            emit(a[i1:i2], "del", old_bad)
        if op in ("insert", "replace"):
            emit(b[j1:j2], "ins", new_bad)
    return pieces


def _md_escape(text: str) -> str:
    """Text shown literally in Markdown, escaping only what would start markup here (emphasis, strike,
    highlight, code, tables, raw HTML), so that report.md stays readable as plain text."""
    text = re.sub(r"([\\`*~<>|])", r"\\\1", text)
    text = re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)
    return re.sub(r"=(?==)", r"=\\", text)


def _md_piece(text: str, state: str, offending: bool, warn: bool = True) -> str:
    marks = ("~~" if state == "del" else "**" if state == "ins" else "") + ("==" if offending else "")
    if not marks:
        return _md_escape(text)
    lines = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            lines.append(line)
            continue
        lead, trail = line[:len(line) - len(line.lstrip())], line[len(line.rstrip()):]
        # Marks must hug the words (CommonMark ignores "** word**"), so spaces stay outside them.
        lines.append(f"{lead}{'⚠' if offending and warn else ''}{marks}{_md_escape(core)}{marks[::-1]}{trail}")
    return "\n".join(lines)


def diff_markdown(pieces: Sequence[Piece]) -> str:
    """The diff in Markdown: ~~removed~~, **added**, ⚠==offending==, as a block quote."""
    # One ⚠ per offending stretch, even when it spans an unchanged and an added piece.
    body = "".join(_md_piece(*p, warn=not (k and pieces[k - 1][2])) for k, p in enumerate(pieces)).strip("\n")
    return "\n".join("> " + line if line.strip() else ">" for line in body.split("\n"))


def diff_html(pieces: Sequence[Piece]) -> str:
    """The diff in HTML: <del>, <ins>, <mark>; every piece of text escaped before any tag is added."""
    out = []
    for text, state, offending in pieces:
        piece = html.escape(text)
        if offending:
            piece = f"<mark>{piece}</mark>"
        if state != "same":
            piece = f"<{state}>{piece}</{state}>"
        out.append(piece)
    return "".join(out)


def _case_diff(current: Mapping | None, baseline: Mapping | None) -> list[Piece]:
    new = str((current or {}).get("answer") or "")
    old = str((baseline or {}).get("answer") or "") if baseline is not None else new
    return word_diff(old, new,
                     span_ranges(old, offending_spans(baseline)) if baseline is not None else (),
                     span_ranges(new, offending_spans(current or {})))


# --- rendering ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CaseView:
    case_id: str
    question: str
    why: list[str]
    pieces: list[Piece]
    has_baseline_answer: bool


def _views(ids: Sequence[str], current: list[dict], baseline: list[dict] | None, *,
           why_from_baseline: bool) -> list[_CaseView]:
    now, before = _index(current), _index(baseline or [])
    views = []
    for case_id in ids:
        cur = _shown(now[case_id]) if case_id in now else None
        old = _shown(before[case_id]) if case_id in before else None
        judged = old if why_from_baseline else cur
        question = str((cur or old or {}).get("question") or "")
        views.append(_CaseView(case_id, question, failure_reasons(judged or {}), _case_diff(cur, old),
                               old is not None))
    return views


def _failing(comparison: Comparison, current: list[dict]) -> list[tuple[str, str]]:
    shown = set(comparison.regressions)
    return [(i, "; ".join(failure_reasons(_shown(recs))))
            for i, recs in _index(current).items() if not _passed(recs) and i not in shown]


MAX_FAILING_LISTED = 100


def render_markdown(comparison: Comparison, current: list[dict], baseline: list[dict] | None,
                    mutation: MutationReport | None = None) -> str:
    """report.md: metrics table, verdict and reasons, regressions and fixes with diffs, failing cases."""
    c = comparison
    lines = ["# faqbot answer-fidelity report", ""]
    for key, old, new in c.run_info:
        lines.append(f"- {key}: {new}" + (f" (baseline: {old})" if c.has_baseline and old != new else ""))
    lines += ["", "## Metrics", "", "| metric | baseline | current | change |", "|---|---:|---:|---:|"]
    for row in c.metric_rows:
        lines.append(f"| {_md_escape(row.metric)} | {format_value(row.metric, row.baseline)} | "
                     f"{format_value(row.metric, row.current)} | {format_change(row)} |")
    categories = category_rows(current)
    if categories:
        lines += ["", "## Cases passed by category", "", "| category | tune | test |", "|---|---:|---:|"]
        lines += [f"| {_md_escape(tag)} | {_share(tp, tn)} | {_share(sp, sn)} |" for tag, tp, tn, sp, sn in categories]
    verdict = "PASS" if c.passed else "FAIL"
    lines += ["", "## Verdict", "", f"**{verdict}** (exit code {c.exit_code})"
              + ("" if c.has_baseline else " — no baseline: only the thresholds apply"), ""]
    lines += [f"- {_md_escape(r)}" for r in c.reasons]
    if c.notes:
        lines += ["", "Notes:", ""] + [f"- {_md_escape(n)}" for n in c.notes]

    for title, ids, from_baseline, label in _change_sections(c):
        if not ids:
            continue
        lines += ["", f"## {title}", ""]
        for view in _views(ids, current, baseline, why_from_baseline=from_baseline):
            lines += [f"### `{view.case_id}`", "", f"**Question:** {_md_escape(view.question)}", "",
                      f"**{label}:** {_md_escape('; '.join(view.why) or '–')}", "",
                      "**Answer** (~~baseline only~~, **new**, ⚠==offending==):", "",
                      diff_markdown(view.pieces), ""]

    failing = _failing(c, current)
    if failing:
        lines += ["", "## Currently failing cases", ""]
        lines += [f"- `{i}`: {_md_escape(why)}" for i, why in failing[:MAX_FAILING_LISTED]]
        if len(failing) > MAX_FAILING_LISTED:
            lines.append(f"- ... and {len(failing) - MAX_FAILING_LISTED} more")
    if c.new_cases:
        lines += ["", f"New cases (not in the baseline): {', '.join(f'`{i}`' for i in c.new_cases)}"]
    if c.missing_cases:
        lines += ["", f"Baseline cases not run: {', '.join(f'`{i}`' for i in c.missing_cases)}"]
    if mutation is not None:
        lines += ["", mutation.to_markdown().rstrip()]
    return "\n".join(lines).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25rem .6rem}td.num{text-align:right}
.pass{color:#176a2c}.fail{color:#b00020}.answer{white-space:pre-wrap;background:#f6f6f6;padding:.6rem;
border-left:3px solid #bbb}del{background:#fdd;color:#800}ins{background:#dfd;text-decoration:none}
mark{background:#ffe066;outline:1px solid #e0a800}code{background:#eee;padding:0 .2rem}
blockquote{white-space:pre-wrap;margin:.3rem 0 .6rem 1rem;color:#444}"""


def render_html(comparison: Comparison, current: list[dict], baseline: list[dict] | None,
                mutation: MutationReport | None = None) -> str:
    """report.html: the same content as report.md, self-contained, every text from a run escaped."""
    c, e = comparison, html.escape
    verdict = "PASS" if c.passed else "FAIL"
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>faqbot answer-fidelity report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>faqbot answer-fidelity report</h1>"]
    if c.run_info:
        parts.append("<ul>" + "".join(
            f"<li>{e(k)}: {e(str(new))}" + (f" (baseline: {e(str(old))})" if c.has_baseline and old != new
                                             else "") + "</li>" for k, old, new in c.run_info) + "</ul>")
    parts.append("<h2>Metrics</h2><table>"
                 "<tr><th>metric</th><th>baseline</th><th>current</th><th>change</th></tr>")
    for row in c.metric_rows:
        parts.append(f"<tr><td>{e(row.metric)}</td><td class=num>{e(format_value(row.metric, row.baseline))}</td>"
                     f"<td class=num>{e(format_value(row.metric, row.current))}</td>"
                     f"<td class=num>{e(format_change(row))}</td></tr>")
    parts.append("</table>")
    categories = category_rows(current)
    if categories:
        parts.append("<h2>Cases passed by category</h2><table><tr><th>category</th><th>tune</th><th>test</th></tr>"
                     + "".join(f"<tr><td>{e(tag)}</td><td class=num>{_share(tp, tn)}</td>"
                               f"<td class=num>{_share(sp, sn)}</td></tr>" for tag, tp, tn, sp, sn in categories)
                     + "</table>")
    parts.append(f'<h2>Verdict</h2><p class="{verdict.lower()}"><strong>{verdict}</strong> '
                 f"(exit code {c.exit_code})"
                 + ("" if c.has_baseline else " — no baseline: only the thresholds apply") + "</p>")
    if c.reasons:
        parts.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in c.reasons) + "</ul>")
    if c.notes:
        parts.append("<p>Notes:</p><ul>" + "".join(f"<li>{e(n)}</li>" for n in c.notes) + "</ul>")

    for title, ids, from_baseline, label in _change_sections(c):
        if not ids:
            continue
        parts.append(f"<h2>{e(title)}</h2>")
        for view in _views(ids, current, baseline, why_from_baseline=from_baseline):
            parts.append(f"<h3><code>{e(view.case_id)}</code></h3>"
                         f"<p><strong>Question:</strong> {e(view.question)}</p>"
                         f"<p><strong>{e(label)}:</strong> {e('; '.join(view.why) or '–')}</p>"
                         f'<div class="answer">{diff_html(view.pieces)}</div>')

    failing = _failing(c, current)
    if failing:
        parts.append("<h2>Currently failing cases</h2><ul>")
        parts += [f"<li><code>{e(i)}</code>: {e(why)}</li>" for i, why in failing[:MAX_FAILING_LISTED]]
        if len(failing) > MAX_FAILING_LISTED:
            parts.append(f"<li>... and {len(failing) - MAX_FAILING_LISTED} more</li>")
        parts.append("</ul>")
    if c.new_cases:
        parts.append("<p>New cases (not in the baseline): "
                     + ", ".join(f"<code>{e(i)}</code>" for i in c.new_cases) + "</p>")
    if c.missing_cases:
        parts.append("<p>Baseline cases not run: " + ", ".join(f"<code>{e(i)}</code>" for i in c.missing_cases)
                     + "</p>")
    if mutation is not None:
        parts.append(mutation.to_html())
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_reports(out_dir: Path, comparison: Comparison, current: list[dict], baseline: list[dict] | None,
                  mutation: MutationReport | None = None) -> tuple[Path, Path]:
    """Write report.md and report.html into `out_dir` (created if needed); return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md, page = out_dir / "report.md", out_dir / "report.html"
    md.write_text(render_markdown(comparison, current, baseline, mutation), encoding="utf-8")
    page.write_text(render_html(comparison, current, baseline, mutation), encoding="utf-8")
    return md, page
